"""Build the boundary-coordinate TXT samples used by the tests.

Run ``python tests/data/coordtxt/make_samples.py`` to rewrite the ``*.txt`` files
here; ``tests/io/test_coordtxt_read.py`` checks that the committed files equal what this
script produces. Coordinates are projected with pyproj directly (EPSG:4549 for
zone 40, EPSG:4550 for zone 41), independently of :mod:`gis.io.coordtxt`, so the
reader is tested against an outside reference. Sites are in lon/lat (CGCS2000 ≈
WGS84) in :data:`SITES`.
"""

from __future__ import annotations

from pathlib import Path

import pyproj

HERE = Path(__file__).resolve().parent

#: Test sites, lon/lat rings (outer ring first, then holes), counter-clockwise.
SITES: dict[str, list[list[tuple[float, float]]]] = {
    # Near the Chongming Industrial Park (城桥), west of 121.5° E: zone 40.
    "west": [[(121.400, 31.620), (121.404, 31.620), (121.404, 31.6235), (121.400, 31.6235)]],
    # Chenjia town (陈家镇), east of 121.5° E: zone 41.
    "east": [[(121.800, 31.520), (121.8045, 31.520), (121.8045, 31.523), (121.800, 31.523)]],
    # A block with a hole (a retained building not acquired).
    "holed": [
        [(121.410, 31.630), (121.416, 31.630), (121.416, 31.635), (121.410, 31.635)],
        [(121.412, 31.632), (121.413, 31.632), (121.413, 31.633), (121.412, 31.633)],
    ],
    # A site just east of 121.5° E drawn in zone 40 (a zone runs past its edge).
    "edge": [[(121.560, 31.600), (121.565, 31.600), (121.565, 31.604), (121.560, 31.604)]],
}

HEADER = """[属性描述]
格式版本号=1.01版本
数据产生单位=崇明区规划和自然资源局（测试样例）
数据产生日期=2024-05-01
坐标系={datum}
几度分带=3
投影类型=高斯克吕格
计量单位=米
带号={zone}
精度=0.01
转换参数={params}
[地块坐标]
"""


#: A project-information section as some land-administration exporters write before [属性描述]: long enough
#: (≈ 3 KB) that the format's sections start well past the first kilobyte.
PROJECT_INFO = "[项目信息]\n" + "".join(
    f"项目说明{i:02d}=崇明区某产业项目用地预审材料（测试样例），第 {i} 条说明，含用地位置、规模与用途等信息\n"
    for i in range(1, 41))


def project(ring, zone: int) -> list[tuple[float, float]]:
    """lon/lat → (X northing, Y easting without prefix) in the CGCS2000 3° zone."""
    epsg = {40: 4549, 41: 4550}[zone]
    tr = pyproj.Transformer.from_crs(4490, epsg, always_xy=True)
    return [tuple(reversed(tr.transform(lon, lat))) for lon, lat in ring]


def area_ha(rings_xy) -> float:
    def shoelace(r):
        return abs(sum(r[i][0] * r[i - 1][1] - r[i - 1][0] * r[i][1] for i in range(len(r)))) / 2

    return (shoelace(rings_xy[0]) - sum(shoelace(r) for r in rings_xy[1:])) / 1e4


def block(rings_xy, *, zone, bid, name, prefix=True, swap=False, close=True, n_points=None,
          area=None, use="工业用地", land_class="0601") -> str:
    lines, k = [], 0
    for ring_no, ring in enumerate(rings_xy, start=1):
        first = k + 1
        for x, y in ring:
            k += 1
            lines.append((f"J{k}", ring_no, x, y))
        if close:
            lines.append((f"J{first}", ring_no, *ring[0]))
    out = []
    for name_, ring_no, x, y in lines:
        y = y + zone * 1e6 if prefix else y
        a, b = (y, x) if swap else (x, y)
        out.append(f"{name_},{ring_no},{a:.4f},{b:.4f}")
    n = len(out) if n_points is None else n_points
    a = area_ha(rings_xy) if area is None else area
    return f"{n},{a:.4f},{bid},{name},面,,{use},{land_class},@\n" + "\n".join(out) + "\n"


def samples() -> dict[str, tuple[str, str, str]]:
    """name → (text, encoding, newline)."""
    cg = "2000国家大地坐标系"
    west = [project(r, 40) for r in SITES["west"]]
    east = [project(r, 41) for r in SITES["east"]]
    holed = [project(r, 40) for r in SITES["holed"]]
    edge = [project(r, 40) for r in SITES["edge"]]
    h40 = HEADER.format(datum=cg, zone=40, params=",,,,,,")
    h41 = HEADER.format(datum=cg, zone=41, params=",,,,,,")
    # A self-intersecting (bow-tie) ring: the 2nd and 3rd corners exchanged.
    bowtie = [[west[0][0], west[0][2], west[0][1], west[0][3]]]
    return {
        "one_block_gbk_crlf.txt": (h40 + block(west, zone=40, bid="A-01", name="城桥地块"), "gbk", "\r\n"),
        "two_blocks_hole.txt": (
            h40 + block(holed, zone=40, bid="B-01", name="含保留建筑地块")
            + block(west, zone=40, bid="B-02", name="城桥地块", use="仓储用地", land_class="0602"),
            "utf-8", "\n"),
        "east_zone41_bom.txt": (h41 + block(east, zone=41, bid="C-01", name="陈家镇地块"), "utf-8-sig", "\n"),
        "west_zone40_noprefix.txt": (h40 + block(west, zone=40, bid="D-01", name="城桥地块", prefix=False),
                                     "gb18030", "\r\n"),
        "edge_zone40.txt": (h40 + block(edge, zone=40, bid="E-01", name="跨带边地块"), "utf-8", "\n"),
        "swapped.txt": (h40 + block(west, zone=40, bid="F-01", name="XY互换", swap=True), "utf-8", "\n"),
        "swapped_noprefix.txt": (h40 + block(west, zone=40, bid="F-02", name="XY互换无前缀", swap=True,
                                             prefix=False), "utf-8", "\n"),
        "prefix_conflict.txt": (h40 + block(east, zone=41, bid="G-01", name="前缀与带号矛盾"), "utf-8", "\n"),
        "validation.txt": (
            h40
            + block(west, zone=40, bid="V-01", name="点数不符", n_points=9)
            + block(west, zone=40, bid="V-02", name="面积不符", area=area_ha(west) * 1.05)
            + block(west, zone=40, bid="V-03", name="未闭合", close=False)
            + block(bowtie, zone=40, bid="V-04", name="自相交", area=0),
            "utf-8", "\n"),
        "gross_error.txt": (h40 + block([[(x, y + 900_000) for x, y in west[0]]], zone=40, bid="H-01",
                                        name="坐标错误", prefix=False), "utf-8", "\n"),
        "xian80.txt": (HEADER.format(datum="1980西安坐标系", zone=40, params=",,,,,,")
                       + block(west, zone=40, bid="X-01", name="西安80地块"), "gbk", "\r\n"),
        # The placeholder many exporters write: all-zero parameters mean none were given.
        "xian80_zero_params.txt": (HEADER.format(datum="1980西安坐标系", zone=40, params="0,0,0,0,0,0,0")
                                   + block(west, zone=40, bid="X-02", name="西安80零参数"), "gbk", "\r\n"),
        # A long [项目信息] section before the format's own sections (beyond the first kilobytes).
        "long_project_header.txt": (PROJECT_INFO + h40 + block(west, zone=40, bid="L-01", name="长表头地块"),
                                    "gbk", "\r\n"),
        # Full-width brackets around the section names.
        "fullwidth_brackets.txt": ((h40 + block(west, zone=40, bid="W-01", name="全角括号地块"))
                                   .replace("[属性描述]", "【属性描述】").replace("[地块坐标]", "【地块坐标】"),
                                   "utf-8", "\n"),
    }


def render(text: str, encoding: str, newline: str) -> bytes:
    return text.replace("\n", newline).encode(encoding)


def main() -> None:
    for name, (text, enc, nl) in samples().items():
        (HERE / name).write_bytes(render(text, enc, nl))
        print("wrote", HERE / name)


if __name__ == "__main__":
    main()
