"""One file to another: format, CRS, datum and text encoding in one pass (``parkgis convert``).

Reads any vector format :func:`gis.io.vector.read_vector` reads and the
boundary-coordinate TXT format (:mod:`gis.io.coordtxt`), shifts the datum and
projects with :func:`gis.geodesy.convert.convert_frame`, and writes any format
again, TXT included. What cannot be (GCJ-02 plane coordinates, a TXT file in
another CRS than its zone's) is refused before anything is written; the input
is never overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyproj

from gis.errors import DatumError, OutputError
from gis.geodesy.convert import convert_frame, crs_label
from gis.geodesy.crs import WGS84, check_crs
from gis.geodesy.gauss_kruger import zone_crs
from gis.geodesy.offset_crs import OFFSET_DATUMS, offset_crs, offset_datum_of, offset_note, resolve_datum
from gis.io.coordtxt import is_coordtxt, output_zone, read_coordtxt, write_coordtxt
from gis.io.offset_output import write_in_datum
from gis.io.vector import check_vector_output, read_vector

__all__ = ["LONLAT_SUFFIXES", "Conversion", "OptionConflict", "conversion_lines", "convert_file"]

#: Output formats whose readers expect lon/lat (GeoJSON by RFC 7946; CSV keeps no CRS).
LONLAT_SUFFIXES = (".geojson", ".json", ".csv")


class OptionConflict(ValueError):
    """Two options that do not go together (the command line reports it as a usage error)."""


@dataclass
class Conversion:
    """What :func:`convert_file` did.

    Attributes
    ----------
    src, out : str
        Input and output as given.
    features : int
    crs_in, crs_out : pyproj.CRS
    datum : str
        Datum of the input coordinates.
    shift : str or None
        ``"gcj02 → wgs84"`` when a datum shift was applied.
    boundary_file : dict or None
        For a boundary-coordinate TXT input: its declared system, zone width,
        zone, whether eastings carry the zone prefix, the Helmert parameters used.
    notes : list of str
        Everything noted on the way (TXT warnings, ignored options).
    """

    src: str
    out: str
    features: int
    crs_in: pyproj.CRS
    crs_out: pyproj.CRS
    datum: str
    shift: str | None = None
    boundary_file: dict | None = None
    notes: list[str] = field(default_factory=list)


def _check_output(src, out, out_layer: str | None) -> None:
    """Before any work: the output is not the input, and a GeoPackage keeps its other layers unless asked."""
    if _same_path(src, out):
        raise OutputError(
            f"输出“{out}”与输入相同，拒绝覆盖输入数据。",
            f"Output '{out}' is the input; refusing to overwrite an input.",
            "请换一个输出文件名。", "Choose another output path.",
        )
    if out_layer is not None and Path(out).suffix.lower() != ".gpkg":
        raise OptionConflict("--out-layer 只用于 GeoPackage（.gpkg）输出。 --out-layer is for a GeoPackage (.gpkg) "
                             "output only.")
    check_vector_output(out, layer=out_layer, keep_layers=out_layer is not None, inputs=[src])


def convert_file(src, out, *, layer: str | None = None, datum: str = "wgs84", to_datum: str = "wgs84", to_crs=None,
                 encoding: str | None = None, out_encoding: str | None = None, assume_crs: str | None = None,
                 zone: int | None = None, zone_prefix: bool = True, helmert: str | None = None,
                 engine: str = "pyogrio", on_note: Callable[[str], None] | None = None,
                 out_layer: str | None = None) -> Conversion:
    """Convert a vector file's format, CRS, datum and text encoding.

    Parameters
    ----------
    src, out : str or Path
        Input and output; formats from the suffixes (``.txt``: the boundary-coordinate format).
    layer : str, optional
        Layer of a multi-layer input.
    datum, to_datum : {"wgs84", "gcj02", "bd09"}
        Datum of the input (a CRS labelled GCJ-02/BD-09 declares its own) and of the output: an offset one
        says so in its CRS, name and description (:func:`gis.io.offset_output.write_in_datum`), and a note.
    to_crs : CRS-like, optional
        Output CRS; default the input's, EPSG:4326 for GeoJSON and CSV. Not for a TXT output.
    encoding, out_encoding : str, optional
        Text encoding of the input (default: detected) and of the output
        (``gbk``/``utf-8``; default gbk for TXT, utf-8 otherwise).
    assume_crs : str, optional
        The input's CRS when it declares none.
    zone : int, optional
        3° zone of a TXT output (40 or 41 in Chongming; default from the data's centre).
    zone_prefix : bool
        Prefix a TXT output's eastings with the zone.
    helmert : str, optional
        Helmert parameters of a TXT input in a local system (4 or 7, comma-separated).
    engine : {"pyogrio", "fiona"}
    on_note : callable, optional
        Called with each note as it arises (e.g. to print it at once).
    out_layer : str, optional
        Write the result as this layer of the GeoPackage ``out``, keeping its other layers.

    Returns
    -------
    Conversion

    Raises
    ------
    OutputError
        ``out`` is the input.
    DatumError
        A datum the input or output format cannot have.
    OptionConflict
        ``helmert`` for a non-TXT input; ``to_crs`` for a TXT output.
    """
    notes: list[str] = []

    def note(text: str) -> None:
        notes.append(text)
        if on_note is not None:
            on_note(text)

    datum, to_datum = datum.lower(), to_datum.lower()
    _check_output(src, out, out_layer)
    gdf, in_txt = _read(src, layer=layer, datum=datum, encoding=encoding, assume_crs=assume_crs, helmert=helmert,
                        engine=engine, note=note)
    crs_in = check_crs(gdf.crs, str(src))
    datum = resolve_datum(crs_in, datum, str(src))  # a file parkgis wrote in GCJ-02 says so in its CRS
    if offset_datum_of(crs_in):
        gdf = gdf.set_crs(WGS84, allow_override=True)  # its lon/lat as they are; the shift below undoes the offset
    out_txt = Path(out).suffix.lower() == ".txt"
    target = _output_crs(out, out_txt, to_datum, to_crs, zone, note)
    offset_out = _offset_target(to_datum, target)
    # An offset datum is written on purpose by write_in_datum (its own CRS, name and description); the frame
    # stays in WGS84 until then, never offset coordinates under an EPSG label.
    result, shift = convert_frame(gdf, datum=datum, to_datum="wgs84" if offset_out else to_datum, to_crs=target)
    if offset_out:
        shift = f"{datum} → {to_datum}" if datum != to_datum else None
    out, crs_out = _write(result, src, out, out_txt, to_datum, zone=zone, out_encoding=out_encoding,
                          zone_prefix=zone_prefix, engine=engine, note=note, out_layer=out_layer)
    return Conversion(str(src), str(out), len(result), crs_in, pyproj.CRS.from_user_input(crs_out), datum, shift,
                      _boundary_file(gdf) if in_txt else None, notes)


def _offset_target(to_datum: str, target) -> bool:
    """Whether the output is to be in an offset datum (which exists only as lon/lat)."""
    if to_datum in OFFSET_DATUMS and target is not None and not pyproj.CRS.from_user_input(target).is_geographic:
        raise DatumError(f"{to_datum} 只能以经纬度输出，--to-crs {target} 是投影坐标系。",
                         f"{to_datum} exists only as lon/lat; --to-crs {target} is projected.",
                         "去掉 --to-crs，或改为 --to-crs EPSG:4326。", "Drop --to-crs or use --to-crs EPSG:4326.")
    return to_datum in OFFSET_DATUMS


def _write(result, src, out, out_txt: bool, to_datum: str, *, zone, out_encoding, zone_prefix, engine, note,
           out_layer: str | None = None):
    """Write the converted frame (WGS84 or ``to_crs``; an offset datum on purpose, saying so); (path, CRS)."""
    if out_txt:
        zone_used = output_zone(result, zone)
        for w in write_coordtxt(result, out, zone=zone_used, encoding=out_encoding or "gbk", prefix_zone=zone_prefix):
            note(w)
        return out, zone_crs("cgcs2000", 3, zone_used)
    enc = None
    if out_encoding:
        enc = "GBK" if out_encoding.lower() == "gbk" else "UTF-8"
    written = write_in_datum(result, out, to_datum, inputs=[src], encoding=enc, engine=engine, layer=out_layer,
                             keep_layers=out_layer is not None)
    if to_datum not in OFFSET_DATUMS:
        return written, result.crs
    note(offset_note(to_datum, written))
    return written, offset_crs(to_datum)


def _same_path(a, b) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def _read(src, *, layer, datum, encoding, assume_crs, helmert, engine, note):
    """The input frame, and whether it is a boundary-coordinate TXT file."""
    if Path(src).suffix.lower() == ".txt" and is_coordtxt(src):
        if datum != "wgs84":
            raise DatumError(
                "界址点坐标文件为高斯–克吕格平面坐标，不可能是 GCJ-02/BD-09。",
                "A boundary-coordinate file holds Gauss–Krüger plane coordinates; they cannot be GCJ-02/BD-09.",
                "去掉 --datum。", "Drop --datum.",
            )
        gdf, warnings = read_coordtxt(src, encoding=encoding, helmert=helmert)
        for w in warnings:
            note(w)
        return gdf, True
    if helmert:
        raise OptionConflict("--helmert 仅用于界址点坐标 .txt 输入。 --helmert applies to a .txt input only.")
    return read_vector(src, layer=layer, encoding=encoding, engine=engine, assume_crs=assume_crs), False


def _output_crs(out, out_txt: bool, to_datum: str, to_crs, zone, note):
    """The CRS to project to before writing (None: keep the input's; a TXT output sets its own by zone)."""
    if out_txt:
        if to_datum != "wgs84":
            raise DatumError(
                "界址点坐标文件只能写 CGCS2000 平面坐标。",
                "The boundary-coordinate format holds CGCS2000 plane coordinates only.",
                "去掉 --to-datum。", "Drop --to-datum.",
            )
        if to_crs:
            raise OptionConflict(".txt 输出的坐标系由 --zone 决定。 The CRS of a .txt output is set by --zone.")
        return None
    if zone is not None:
        note("--zone 仅用于 .txt 输出，已忽略。 / --zone applies to a .txt output only; ignored.")
    if to_crs is None and Path(out).suffix.lower() in LONLAT_SUFFIXES:
        return "EPSG:4326"
    return to_crs


def _boundary_file(gdf) -> dict:
    info = gdf.attrs.get("coordtxt_crs", {})
    return {"declared": gdf.attrs.get("coordtxt", {}).get("坐标系", info.get("datum")), "width": info.get("width"),
            "zone": info.get("zone"), "prefixed": bool(info.get("prefixed")), "helmert": info.get("helmert")}


def conversion_lines(c: Conversion) -> list[str]:
    """The console summary of :func:`convert_file`: features, the TXT file's system, the CRS and datum change."""
    lines = [f"已转换 {c.features} 个要素：{c.src} → {c.out} / converted {c.features} features: {c.src} → {c.out}"]
    if c.boundary_file is not None:
        b = c.boundary_file
        prefix = "，带号前缀 zone-prefixed" if b["prefixed"] else ""
        lines.append(f"  界址点文件 boundary-coordinate file: {b['declared']}，{b['width']}° 分带 zone "
                     f"{b['zone']}{prefix}")
        if b["helmert"]:
            lines.append(f"  转换参数 Helmert: {b['helmert']}")
    lines.append(f"  坐标系 CRS: {crs_label(c.crs_in)} → {crs_label(c.crs_out)}")
    lines.append(f"  基准转换 datum shift: {c.shift}" if c.shift else f"  基准不变 no datum shift ({c.datum})")
    return lines
