"""``parkgis layers``: what a layer source holds, with areas and provenance."""

from __future__ import annotations

import json

import click

from gis.cli.common import layers_option
from gis.wording import bilingual


@click.command("layers")
@layers_option
@click.option("--buffer-m", type=float, default=1000.0, show_default=True,
              help="长江岸线范围宽度（米）。 Width of the riverbank zone, metres.")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。 Print JSON on stdout.")
def command(layers_src, buffer_m, as_json):
    """列出图层：角色、要素数、面积、坐标系/基准、来源与校验说明。

    List the layers of a source: role, features, area (km²), CRS/datum, source
    and validation notes, the derived zones and the district's land area.
    """
    from gis.layers.layerset import load_layers

    ls = load_layers(layers_src, buffer_m=buffer_m)
    if as_json:
        click.echo(json.dumps(_listing(ls), ensure_ascii=False, indent=2, default=str))
        return
    for line in _lines(ls):
        click.echo(line)


def _official_land_km2(ls):
    """The district's official land area (km²) when its layer states one, else None."""
    return ls.district.iloc[0].get("land_area_km2") if "land_area_km2" in ls.district.columns else None


def _listing(ls) -> dict:
    """The listing as JSON-ready data: the layers, the district's parts, the notes."""
    land = _official_land_km2(ls)
    return {
        "source": ls.source,
        "layers": ls.summary().to_dict(orient="records"),
        "district_parts": ls.island_areas().to_dict(orient="records"),
        "official_land_area_km2": None if land is None else float(land),
        "illustrative": ls.illustrative,
        "notes": ls.notes,
    }


def _lines(ls) -> list[str]:
    """The listing as text: one row per layer, the district's parts (islands), the zones, the notes."""
    table = ls.summary()
    lines = [f"图层来源 Layer source: {ls.source}", "",
             f"{'角色 role':<22}{'要素 feat':>10}{'面积 km²':>14}{'长度 km':>12}  基准 datum  来源 source"]
    for r in table.itertuples():
        area = "" if r.area_km2 is None or r.area_km2 != r.area_km2 else f"{r.area_km2:,.2f}"
        length = "" if r.length_km is None or r.length_km != r.length_km else f"{r.length_km:,.1f}"
        tag = " [示意 illustrative]" if r.illustrative else ""
        tag += " [推导 derived]" if r.derived else ""
        lines.append(f"{r.role:<22}{r.features:>10}{area:>14}{length:>12}  {r.datum:<10} {r.source[:60]}{tag}")
    lines += ["", *_island_lines(ls)]
    zones = table.set_index("role")
    if {"zone_104", "zone_195", "zone_198"} <= set(zones.index):
        total = zones.loc[["zone_104", "zone_195", "zone_198"], "area_km2"].sum()
        lines.append(f"104+195+198 = {total:,.2f} km²；长江 {ls.buffer_m:g} 米范围 Yangtze zone: "
                     f"{zones.loc['yangtze_1km', 'area_km2']:,.2f} km²")
    if ls.illustrative:
        lines.append(bilingual(ls.illustrative_note()))
    if ls.notes:
        lines += ["", "校验说明 Validation notes:", *(f"  - {n}" for n in ls.notes)]
    return lines


def _island_lines(ls) -> list[str]:
    islands = ls.island_areas()
    lines = ["区界各部分（岛屿）District parts (islands), km²:"]
    for r in islands.itertuples():
        if r.area_km2 < 1:
            continue
        name = r.name_zh if isinstance(r.name_zh, str) else "—"
        lines.append(f"  #{r.part} {name}: {r.area_km2:,.1f} km²  (≈{r.lat:.3f}N {r.lon:.3f}E)")
    named = islands[islands.name_zh.notna()]
    if len(named):
        lines.append(f"  各岛 {'、'.join(named.name_zh)} 合计 islands total: {named.area_km2.sum():,.1f} km²")
    big = islands[islands.area_km2 >= 1]
    lines.append(f"  合计 total: {big.area_km2.sum():,.1f} km²"
                 "（行政界线面积，含滩涂水域 admin polygon, incl. tidal flats/water）")
    land = _official_land_km2(ls)
    if land is not None and land == land:
        lines.append(f"  官方陆域面积 official land area: {float(land):,.0f} km²")
    return lines
