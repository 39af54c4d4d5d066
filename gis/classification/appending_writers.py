"""Writing a classification chunk by chunk into one GeoPackage or GeoParquet file (for the dask engine).

Both writers take the result chunks in order (:meth:`write`) and finish the
file once at the end (:meth:`close`), so that the file is the one a whole-frame
write (:func:`gis.io.vector.write_vector`) gives: a GeoPackage with its spatial
index, or a GeoParquet file with one schema and file-wide metadata.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from gis.classification.chunked_reader import PARQUET_SUFFIXES
from gis.errors import OutputError
from gis.io.geopackage import GPKG_DATASET_OPTIONS

__all__ = ["GpkgAppender", "ParquetAppender", "open_appender", "APPEND_SUFFIXES"]

#: Outputs that can be written chunk by chunk.
APPEND_SUFFIXES = (".gpkg", *PARQUET_SUFFIXES)


def open_appender(path: Path, out: Path, workdir: Path, *, spatial_index: bool | None,
                  geometry_type: str | None) -> GpkgAppender | ParquetAppender:
    """The writer for ``out``'s format, writing to ``path`` (a temporary file beside ``out``).

    Parameters
    ----------
    path : Path
        Where to write (renamed to ``out`` by the caller when all went well).
    out : Path
        The final output: its suffix chooses the format and its stem names the GeoPackage layer.
    workdir : Path
        A private scratch folder, removed by the caller.
    spatial_index : bool, optional
        GeoPackage spatial index (default: yes, as :func:`gis.io.vector.write_vector`).
    geometry_type : str, optional
        The input's declared geometry type.
    """
    if out.suffix.lower() in PARQUET_SUFFIXES:
        return ParquetAppender(path, workdir)
    return GpkgAppender(path, out.stem, spatial_index is not False, geometry_type, workdir)


class GpkgAppender:
    """Append chunks to one GeoPackage layer; build the spatial index once at the end.

    GDAL keeps a GeoPackage's R-tree up to date by triggers when a layer is
    appended to, which doubled the write time; instead the chunks go in without
    an index and the R-tree is bulk-loaded from the recorded bounding boxes,
    with the very table, triggers and extension rows GDAL itself creates (taken
    from a one-row template written by GDAL).
    """

    def __init__(self, path: Path, layer: str, spatial_index: bool, geometry_type: str | None, workdir: Path):
        self.path, self.layer, self.spatial_index = path, layer, spatial_index
        self.geometry_type = geometry_type if geometry_type and geometry_type != "Unknown" else None
        self.workdir = workdir
        self.first: gpd.GeoDataFrame | None = None
        self._bounds = open(workdir / "bounds.f64", "wb") if spatial_index else None
        self.rows = 0

    def write(self, gdf: gpd.GeoDataFrame) -> None:
        """Append one chunk (and record its bounding boxes for the index)."""
        import pyogrio

        # As gis.io.vector.write_vector: GDAL's Arrow writer (≈2× faster with wide text columns).
        kwargs = {"layer": self.layer, "driver": "GPKG", "SPATIAL_INDEX": "NO", "use_arrow": True}
        if self.geometry_type:
            kwargs["geometry_type"] = self.geometry_type
        if self.first is None:
            self.first = gdf.iloc[:1].copy()
            pyogrio.write_dataframe(gdf, self.path, **kwargs, **GPKG_DATASET_OPTIONS)
        else:
            pyogrio.write_dataframe(gdf, self.path, append=True, **kwargs)
        if self._bounds is not None:
            shapely.bounds(gdf.geometry.to_numpy()).astype("float64").tofile(self._bounds)
        self.rows += len(gdf)

    def close(self) -> None:
        """Build the spatial index (when asked for) from the recorded bounding boxes."""
        if self._bounds is None:
            return
        self._bounds.close()
        if self.first is None:
            return
        rtree, vtable_sql, triggers, ext, ext_sql = self._gdal_index_sql()
        bounds = np.memmap(self.workdir / "bounds.f64", dtype="float64", mode="r").reshape(-1, 4)
        with contextlib.closing(sqlite3.connect(self.path)) as c:
            fids = np.array([r[0] for r in c.execute(f'SELECT fid FROM "{self.layer}" ORDER BY fid')],
                            dtype=np.int64)
            if len(fids) != len(bounds):
                raise OutputError(
                    "写出的要素数与结果不符，空间索引未建立。",
                    "The written feature count does not match the result; spatial index not built.",
                )
            c.execute(vtable_sql)
            _insert_boxes(c, rtree, fids, bounds)
            for sql in triggers:
                c.execute(sql)
            if c.execute("SELECT 1 FROM sqlite_master WHERE name = 'gpkg_extensions'").fetchone() is None:
                c.execute(ext_sql)
            c.executemany(f"INSERT INTO gpkg_extensions VALUES ({', '.join('?' * len(ext[0]))})", ext)
            c.commit()

    def _gdal_index_sql(self) -> tuple[str, str, list[str], list[tuple], str]:
        """What GDAL creates for a layer's R-tree, from a one-row template it writes.

        Returns the R-tree table's name, its ``CREATE VIRTUAL TABLE``, its
        triggers, the layer's ``gpkg_extensions`` rows and that table's ``CREATE``.
        """
        import pyogrio

        template = self.workdir / "template.gpkg"
        kwargs = {"geometry_type": self.geometry_type} if self.geometry_type else {}
        pyogrio.write_dataframe(self.first, template, layer=self.layer, driver="GPKG", SPATIAL_INDEX="YES", **kwargs,
                                **GPKG_DATASET_OPTIONS)
        with contextlib.closing(sqlite3.connect(template)) as t:
            (geom_col,) = t.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?",
                                    (self.layer,)).fetchone()
            rtree = f"rtree_{self.layer}_{geom_col}"
            (vtable_sql,) = t.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                      (rtree,)).fetchone()
            triggers = [r[0] for r in t.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                                                "AND tbl_name = ? AND name LIKE ?", (self.layer, f"{rtree}_%"))]
            ext = t.execute("SELECT * FROM gpkg_extensions WHERE table_name = ? AND extension_name = "
                            "'gpkg_rtree_index'", (self.layer,)).fetchall()
            (ext_sql,) = t.execute("SELECT sql FROM sqlite_master WHERE type = 'table' "
                                   "AND name = 'gpkg_extensions'").fetchone()
        return rtree, vtable_sql, triggers, ext, ext_sql


def _insert_boxes(c: sqlite3.Connection, rtree: str, fids: np.ndarray, bounds: np.ndarray) -> None:
    """Bulk-load the R-tree with each feature's box, in steps of bounded memory."""
    step = 200_000
    for s in range(0, len(fids), step):
        b = np.asarray(bounds[s:s + step])
        ok = ~np.isnan(b).any(axis=1)  # empty or missing geometries are not indexed (as GDAL)
        rows = zip(fids[s:s + step][ok].tolist(), b[ok, 0].tolist(), b[ok, 2].tolist(),
                   b[ok, 1].tolist(), b[ok, 3].tolist(), strict=True)
        c.executemany(f'INSERT INTO "{rtree}" VALUES (?, ?, ?, ?, ?)', rows)


class ParquetAppender:
    """Chunks as GeoParquet parts, joined into one file (one schema, file-wide metadata) at the end."""

    def __init__(self, path: Path, workdir: Path):
        self.path, self.workdir = path, workdir
        self.parts: list[Path] = []
        self.rows = 0

    def write(self, gdf: gpd.GeoDataFrame) -> None:
        """Write one chunk as a part."""
        part = self.workdir / f"part-{len(self.parts):06d}.parquet"
        gdf.to_parquet(part)
        self.parts.append(part)
        self.rows += len(gdf)

    def close(self) -> None:
        """Join the parts into the output file."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.parts:
            return
        files = [pq.ParquetFile(p) for p in self.parts]
        schemas = [f.schema_arrow for f in files]
        schema = pa.unify_schemas([s.remove_metadata() for s in schemas], promote_options="permissive")
        schema = schema.with_metadata(_file_metadata(schemas, self.rows))
        with pq.ParquetWriter(self.path, schema) as w:
            for f in files:
                for rg in range(f.num_row_groups):
                    w.write_table(f.read_row_group(rg).cast(schema))


def _file_metadata(schemas: list, rows: int) -> dict:
    """The parts' metadata made file-wide.

    Geometry types and bbox over all parts, the index as one range, and per
    column the pandas entry of a part where it is not all null.
    """
    import pyarrow as pa

    geos = [json.loads(s.metadata[b"geo"]) for s in schemas]
    geo = geos[0]
    for name, col in geo["columns"].items():
        types = sorted({t for g in geos for t in g["columns"][name].get("geometry_types", [])})
        col["geometry_types"] = types
        boxes = [g["columns"][name]["bbox"] for g in geos if g["columns"][name].get("bbox")]
        boxes = [b for b in boxes if all(np.isfinite(b))]
        if boxes:
            arr = np.array(boxes)
            col["bbox"] = [arr[:, 0].min(), arr[:, 1].min(), arr[:, 2].max(), arr[:, 3].max()]
        else:
            col.pop("bbox", None)
    pandas_meta = [json.loads(s.metadata[b"pandas"]) for s in schemas]
    meta = pandas_meta[0]
    for ic in meta.get("index_columns", []):
        if isinstance(ic, dict) and ic.get("kind") == "range":
            ic["start"], ic["stop"], ic["step"] = 0, rows, 1
    for i, col in enumerate(meta["columns"]):
        for s, pm in zip(schemas, pandas_meta, strict=True):
            name = col.get("field_name")
            if name in s.names and not pa.types.is_null(s.field(name).type):
                meta["columns"][i] = pm["columns"][i]
                break
    metadata = dict(schemas[0].metadata)
    metadata[b"geo"] = json.dumps(geo).encode()
    metadata[b"pandas"] = json.dumps(meta).encode()
    return metadata
