"""A siting check as a user asks for it: one of a point, WKT or a file, plus the project's figures.

``parkgis site-check`` (one site) and the web app's ``POST /api/site-check``
both call :func:`check_site_request`, so the two answer with the same
:class:`~gis.siting.result.SiteResult` — and the same DESIGN §6 JSON — for the
same input. :func:`check_file_sites` is the web page's "several sites in one
file, one row each": every feature of the file checked as its own site.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from gis.errors import InputError, ParkgisError
from gis.layers.layerset import LayerSet
from gis.rules import RuleSet
from gis.siting.check import check_site
from gis.siting.coordinates import parse_lonlat
from gis.siting.projects import ATTRIBUTES
from gis.siting.result import SiteResult

__all__ = ["MAX_FILE_SITES", "FileSite", "SiteRequest", "check_file_sites", "check_site_request"]

#: At most this many features of one file are checked one by one (a larger table is a batch: --projects).
MAX_FILE_SITES = 500


@dataclass
class SiteRequest:
    """What a user gives for one siting check (DESIGN §6).

    Exactly one of ``lonlat`` (``(lon, lat)`` in decimal degrees or the text
    ``"LON,LAT"``), ``wkt`` or ``site_file`` (a path) is the site. Money in 万元,
    energy in tce, areas in m², the radius in metres.
    """

    lonlat: tuple[float, float] | str | None = None
    wkt: str | None = None
    site_file: str | None = None
    layer: str | None = None
    encoding: str | None = None
    assume_crs: str | None = None
    datum: str = "wgs84"
    radius_m: float | None = None
    industry: str | None = None
    land_m2: float | None = None
    output_wan: float | None = None
    value_added_wan: float | None = None
    energy_tce: float | None = None
    investment_wan: float | None = None
    name: str | None = None
    facility: str | None = None

    def figures(self) -> dict:
        """The project attributes given with the request (None where not given)."""
        return {k: getattr(self, k) for k in ATTRIBUTES}


def _where(req: SiteRequest) -> dict:
    """The site arguments of :func:`~gis.siting.check.check_site` for the request's one site."""
    given = [n for n, v in (("lonlat", req.lonlat), ("wkt", req.wkt), ("site", req.site_file)) if v]
    if len(given) != 1:
        raise InputError(
            "请给出且只给出一种场地：经纬度点、WKT 或场地文件。" + (f"（现为 {', '.join(given)}）" if given else ""),
            "Give exactly one site: a lon,lat point, WKT or a site file." + (f" (got {', '.join(given)})" if given
                                                                           else ""),
        )
    if req.lonlat:
        # parsed here as lon,lat (a text is never re-guessed as WKT)
        return {"site": parse_lonlat(req.lonlat)}
    if req.wkt:
        return {"wkt": req.wkt, "crs": req.assume_crs}
    # a site file's own attributes count where the request gives none
    return {"site": Path(req.site_file), "layer": req.layer, "encoding": req.encoding, "crs": req.assume_crs}


def check_site_request(req: SiteRequest, *, layers: LayerSet, rules: RuleSet) -> SiteResult:
    """Check the one site of a request (the features of a site file are merged into one site).

    Parameters
    ----------
    req : SiteRequest
    layers : LayerSet
    rules : RuleSet
        Siting rules (``load_rules(..., kind="site")``).

    Returns
    -------
    SiteResult
        ``to_json()`` is what ``parkgis site-check --json`` prints.

    Raises
    ------
    ParkgisError
        Not exactly one site, an unreadable file, a site outside the district…
    """
    return check_site(**_where(req), layers=layers, rules=rules, datum=req.datum, **req.figures())


@dataclass
class FileSite:
    """One feature of a site file, checked as its own site: a result or the error that stopped it."""

    index: int
    label: str
    result: SiteResult | None = None
    error: ParkgisError | None = None


def _label(row: pd.Series, index: int) -> str:
    for col in ("name", "block_id", "project_id", "id"):
        if col in row.index and not pd.isna(row[col]) and str(row[col]).strip():
            return str(row[col]).strip()
    return f"#{index}"


def check_file_sites(req: SiteRequest, *, layers: LayerSet, rules: RuleSet) -> list[FileSite]:
    """Check every feature of ``req.site_file`` as a site of its own (one row each).

    The request's figures apply to every feature; a feature's own attributes
    (``name``, ``industry``, ``land_m2``…) fill what the request leaves open. A
    feature that cannot be checked (outside the district, no geometry) gets its
    error; the others go on.

    Raises
    ------
    InputError
        No file, an unreadable file, or more than :data:`MAX_FILE_SITES` features.
    """
    from gis.geomarrays import present
    from gis.io.vector import read_vector

    if not req.site_file:
        raise InputError("逐个检查需要场地文件。", "Checking feature by feature needs a site file.")
    gdf = read_vector(req.site_file, layer=req.layer, encoding=req.encoding, assume_crs=req.assume_crs)
    if len(gdf) > MAX_FILE_SITES:
        raise InputError(
            f"文件有 {len(gdf)} 个要素，逐个检查最多 {MAX_FILE_SITES} 个。",
            f"The file has {len(gdf)} features; at most {MAX_FILE_SITES} are checked one by one.",
            "大批量项目请用命令行：parkgis site-check --projects FILE -o results.xlsx。",
            "For a large batch use the command line: parkgis site-check --projects FILE -o results.xlsx.",
        )
    ok = present(gdf.geometry.to_numpy())
    out: list[FileSite] = []
    for i, (has, (_, row)) in enumerate(zip(ok, gdf.iterrows(), strict=True), start=1):
        item = FileSite(index=i, label=_label(row, i))
        if not has:
            item.error = InputError("该要素没有几何。", "This feature has no geometry.")
        else:
            attrs = {k: row[k] for k in ATTRIBUTES if k in row.index and k != "radius_m" and not pd.isna(row[k])}
            try:
                values = {**attrs, **{k: v for k, v in req.figures().items() if v is not None}}
                item.result = check_site(row[gdf.geometry.name], crs=gdf.crs, layers=layers, rules=rules,
                                         datum=req.datum, **values)
            except ParkgisError as exc:
                item.error = exc
        out.append(item)
    return out
