"""Options and helpers shared by several subcommands (one definition, one help text)."""

from __future__ import annotations

from collections.abc import Iterable

import click

from gis.geodesy.datums import DATUMS

layers_option = click.option(
    "--layers",
    "layers_src",
    metavar="SRC",
    default=None,
    help="图层来源：GeoPackage、文件夹或 TOML 清单（默认：内置崇明图层）。 "
    "Layer source: a GeoPackage, a folder or a TOML manifest (default: the embedded Chongming layers).",
)

datum_option = click.option(
    "--datum",
    type=click.Choice(DATUMS, case_sensitive=False),
    default="wgs84",
    show_default=True,
    help="输入坐标的基准：高德/腾讯为 gcj02，百度为 bd09。 "
    "Datum of this command's input coordinates: gcj02 for Amap/Tencent, bd09 for Baidu.",
)

assume_crs_option = click.option(
    "--assume-crs",
    metavar="CRS",
    default=None,
    help="输入文件无 CRS 时采用的坐标系（如 EPSG:4326）。 "
    "CRS to assume when the input file declares none (e.g. EPSG:4326).",
)

encoding_option = click.option(
    "--encoding",
    metavar="ENC",
    default=None,
    help="Shapefile 文本编码（默认自动识别 GBK/UTF-8）。 "
    "Text encoding of a Shapefile (default: .cpg, else detect GBK/UTF-8).",
)

io_engine_option = click.option(
    "--io-engine",
    type=click.Choice(["pyogrio", "fiona"]),
    default="pyogrio",
    show_default=True,
    help="读写引擎。 Vector I/O engine.",
)

helmert_option = click.option(
    "--helmert",
    metavar="PARAMS",
    default=None,
    help="界址点 TXT 文件（1980 西安/1954 北京）的转换参数："
    "dX,dY,旋转角(秒),尺度(ppm) 或 dx,dy,dz,rx,ry,rz,尺度(ppm)。 "
    "Helmert parameters for a boundary-coordinate TXT file in a local system.",
)

layer_option = click.option("--layer", default=None, help="输入文件中的图层名。 Layer of a multi-layer input.")

rules_option = click.option(
    "--rules", "rules_cfg", metavar="CONFIG", default=None,
    help="规则配置 TOML（覆盖默认）。 Rule configuration TOML (applied over the defaults).",
)

id_field_option = click.option(
    "--id-field", default=None,
    help="地块编号字段（默认 parcel_id；文件没有该字段时按要素顺序编号并标记 id_generated；明确给出的字段必须存在）。 "
    "The parcels' id field (default parcel_id; a file without it is numbered in feature order and flagged "
    "id_generated; a field named here must exist).",
)

parcels_argument = click.argument("parcels", required=False, default=None)

targets_option = click.option(
    "--targets", "targets_src", metavar="TOML", default=None,
    help="目标文件（覆盖默认值 gis/data/targets.toml 中的项）。 Targets TOML merged over the defaults "
    "(gis/data/targets.toml).")

base_year_option = click.option(
    "--base-year", type=int, default=None,
    help="数据所属年份（覆盖目标文件）。 Year the figures describe (overrides the targets file).")

target_year_option = click.option(
    "--target-year", type=int, default=None,
    help="目标年份（覆盖目标文件）。 Target year (overrides the targets file).")


def is_quiet(ctx: click.Context) -> bool:
    """Whether ``parkgis -q`` asked for no progress bars."""
    return bool((ctx.find_root().obj or {}).get("quiet", False))


def echo_lines(lines: Iterable[str]) -> None:
    """Print a command's summary lines on stderr (stdout is for machine-readable output)."""
    for line in lines:
        click.echo(line, err=True)


def echo_note(note: str) -> None:
    """Print one note on stderr."""
    click.echo(f"注意 Note: {note}", err=True)


def echo_notes(notes: Iterable[str]) -> None:
    """Print notes on stderr, each once, in the order they arose."""
    for n in dict.fromkeys(notes):
        echo_note(n)


def parcel_options(func):
    """The options of every command that reads and classifies parcels."""
    for option in reversed((rules_option, id_field_option, datum_option, assume_crs_option, encoding_option,
                            io_engine_option)):
        func = option(func)
    return func


class BilingualBadParameter(click.BadParameter):
    """A bad option value, printed like every parkgis error: a Chinese line, an English line, the hints.

    Parameters
    ----------
    error : gis.errors.ParkgisError
        What the library said about the value.
    ctx, param
        The click context and parameter (click fills them in when raised from a type).
    """

    def __init__(self, error, ctx=None, param=None):
        super().__init__(error.message_en, ctx=ctx, param=param)
        self.error = error

    def format_message(self) -> str:
        name = self.param.get_error_hint(self.ctx) if self.param is not None else "value"
        e = self.error
        lines = [f"错误：选项 {name} 的值无效：{e.message_zh}", f"Error: Invalid value for {name}: {e.message_en}"]
        lines += [f"提示：{e.hint_zh}" if e.hint_zh else "", f"Hint: {e.hint_en}" if e.hint_en else ""]
        return "\n".join(line for line in lines if line)

    def show(self, file=None) -> None:
        # click's usage lines, then the bilingual message (click would prefix "Error: " to the Chinese line).
        color = self.ctx.color if self.ctx is not None else None
        if self.ctx is not None:
            help_option = max(self.ctx.command.get_help_option_names(self.ctx), key=len)
            click.echo(f"{self.ctx.get_usage()}\nTry '{self.ctx.command_path} {help_option}' for help.\n",
                       file=file, err=file is None, color=color)
        click.echo(self.format_message(), file=file, err=file is None, color=color)


class LonLatType(click.ParamType):
    """``LON,LAT`` in decimal degrees → a ``(lon, lat)`` pair of floats.

    The library's parser (:func:`gis.siting.coordinates.parse_lonlat`) decides,
    so the command line and the library accept and refuse the same values.
    """

    name = "lon,lat"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        from gis.errors import ParkgisError
        from gis.siting.coordinates import parse_lonlat

        try:
            return parse_lonlat(value)
        except ParkgisError as exc:
            raise BilingualBadParameter(exc, ctx=ctx, param=param) from None


#: A point as ``LON,LAT`` (decimal degrees), parsed into two numbers.
LONLAT = LonLatType()
