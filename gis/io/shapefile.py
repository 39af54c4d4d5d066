"""Shapefile output: ≤10-character field names, no booleans, the sidecar files moved as a set."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

__all__ = ["SHAPEFILE_FIELD_NAMES", "shapefile_frame", "write_shapefile"]

log = logging.getLogger(__name__)

_SHP_SIDECARS = (".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".qmd")

#: Short Shapefile field names (10 characters at most) for our long column names.
SHAPEFILE_FIELD_NAMES: dict[str, str] = {
    "share_outside": "share_out",
    "riverbank_m": "river_m",
    "yangtze_1km": "yz_1km",
    "yangtze_1km_share": "yz_1km_shr",
    "enterprise_zh": "enterp_zh",
    "value_added_wan": "va_wan",
    "revenue_wan": "rev_wan",
    "target_output_2025_yi": "target_yi",
    "leading_industries": "lead_ind",
}



def shapefile_frame(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Rename long columns to ≤10 characters and make bools integers (DBF has no bool)."""
    out = gdf.copy()
    geom_name = out.geometry.name
    used: set[str] = set()
    mapping = {}
    for col in out.columns:
        if col == geom_name:
            continue
        name = SHAPEFILE_FIELD_NAMES.get(col, col)[:10]
        base, k = name, 1
        while name.lower() in used:
            k += 1
            name = f"{base[: 10 - len(str(k)) - 1]}_{k}"
        used.add(name.lower())
        mapping[col] = name
        if pd.api.types.is_bool_dtype(out[col]) or out[col].dtype == object and out[col].map(
            lambda v: isinstance(v, (bool, np.bool_))
        ).any():
            out[col] = out[col].map(lambda v: None if v is None or v is pd.NA else int(bool(v)))
    renamed = {k: v for k, v in mapping.items() if k != v}
    if renamed:
        log.info("Shapefile field names shortened: %s", renamed)
    return out.rename(columns=mapping)


def write_shapefile(gdf: gpd.GeoDataFrame, p: Path, kwargs: dict) -> None:
    """Write a Shapefile's files in a temporary folder beside ``p``, then move them in as a set.

    ``kwargs`` go to ``GeoDataFrame.to_file`` and must name the ``encoding``; a
    ``.cpg`` stating it is written when GDAL does not write one, and sidecars of an
    older output that the new one lacks are removed, so no stale ``.qix`` or
    ``.cpg`` describes the new file.
    """
    p.parent.mkdir(parents=True, exist_ok=True)
    tmpdir = Path(tempfile.mkdtemp(prefix=f".{p.stem}.", dir=p.parent))
    try:
        tmp = tmpdir / p.name
        gdf.to_file(tmp, **kwargs)
        cpg = tmp.with_suffix(".cpg")
        if not cpg.exists():
            cpg.write_text(kwargs["encoding"].upper(), encoding="ascii")
        # Remove stale sidecars of an older output, then move the new set in.
        for sfx in _SHP_SIDECARS:
            old = p.with_suffix(sfx)
            if old.exists() and not (tmpdir / old.name).exists():
                old.unlink()
        for f in tmpdir.iterdir():
            os.replace(f, p.parent / f.name)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
