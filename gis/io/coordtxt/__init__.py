"""The boundary-coordinate TXT format (建设项目用地红线坐标 / 勘测定界界址点坐标).

Land administration exchanges project sites in this text format (用地预审,
land approval). A file looks like::

    [属性描述]
    格式版本号=1.01版本
    数据产生单位=崇明区规划和自然资源局
    数据产生日期=2024-05-01
    坐标系=2000国家大地坐标系
    几度分带=3
    投影类型=高斯克吕格
    计量单位=米
    带号=40
    精度=0.01
    转换参数=,,,,,,
    [地块坐标]
    5,1.2000,A-01,地块1,面,,工业用地,0601,@
    J1,1,3505000.000,40640000.000
    J2,1,3505000.000,40640100.000
    J3,1,3504880.000,40640100.000
    J4,1,3504880.000,40640000.000
    J1,1,3505000.000,40640000.000

Each block starts with a header line ending in ``@`` (界址点数, 地块面积 in
hectares, 地块编号, 地块名称, 记录图形属性 面/线/点, 图幅号, 地块用途, 地类编码,
…) followed by point lines ``点号,圈号,X,Y``. **X is the northing and Y the
easting** (often with the zone number prefixed), the reverse of GIS x/y. 圈号 1
is the outer ring; higher numbers are holes (or further parts, told apart by
nesting). Files come as GBK/GB18030 or UTF-8 (with or without BOM), CRLF or LF.

Reading returns one feature per block in the CGCS2000 Gauss–Krüger zone of the
file (e.g. EPSG:4549 for zone 40, whatever the prefix), plus bilingual warnings
that name the line: point count or area differing from the header, unclosed
rings (closed), self-intersections (repaired, ``geometry_repaired``), swapped
X/Y (detected per block and fixed).

1980 西安 / 1954 北京 files need Helmert parameters, from the file's
``转换参数`` or from ``helmert=``, e.g. a 4-parameter plane transformation::

    gdf, warnings = read_coordtxt("site_xian80.txt", helmert="-35.2,118.7,1.35,-4.2")
    # parkgis convert site_xian80.txt -o site.gpkg --helmert "-35.2,118.7,1.35,-4.2"

or 7 Bursa–Wolf parameters ``"dx,dy,dz,rx,ry,rz,s_ppm"`` (see :mod:`gis.geodesy.helmert`).
The result is then in the CGCS2000 zone of the same number.

Modules: :mod:`~gis.io.coordtxt.text` (recognising, decoding and parsing the
lines), :mod:`~gis.io.coordtxt.header` (datum, zone and Helmert parameters from
the header), :mod:`~gis.io.coordtxt.geometry` (features from the points, and
their checks), :mod:`~gis.io.coordtxt.read` and :mod:`~gis.io.coordtxt.write`.
Zone arithmetic lives in :mod:`gis.geodesy.gauss_kruger`.
"""

from gis.io.coordtxt.read import read_coordtxt
from gis.io.coordtxt.text import FIELDS, is_coordtxt
from gis.io.coordtxt.write import output_zone, write_coordtxt

__all__ = ["FIELDS", "is_coordtxt", "output_zone", "read_coordtxt", "write_coordtxt"]
