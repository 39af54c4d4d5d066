"""The ``parkgis`` click group.

Subcommands live one per module in this package and are listed in
``_COMMANDS``; third-party subcommands are added through the
``parkgis.commands`` entry-point group. The CLI only parses and calls the
library: a :class:`gis.errors.ParkgisError` becomes a bilingual message on
stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import importlib
import logging
import sys
import warnings
from importlib.metadata import entry_points, version

import click

from gis.errors import ParkgisError

# module name -> command attribute; each module defines one click command.
_COMMANDS = [
    "layers_cmd",
    "classify_cmd",
    "rules_cmd",
    "convert_cmd",
    "synth_cmd",
    "map_cmd",
    "density_cmd",
    "grade_cmd",
    "track_cmd",
    "site_check_cmd",
    "report_cmd",
    "demo_cmd",
    "serve_cmd",
]


class _Group(click.Group):
    """A group that loads subcommands lazily and prints user errors bilingually."""

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(_lazy_commands()))

    def get_command(self, ctx, name):
        cmd = super().get_command(ctx, name)
        if cmd is not None:
            return cmd
        return _lazy_commands().get(name)

    def format_commands(self, ctx, formatter):
        """List the subcommands with their Chinese and English one-line help."""
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, bilingual_short_help(name, cmd.help or "")))
        if rows:
            with formatter.section("命令 Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ParkgisError as exc:
            click.echo(exc.bilingual(), err=True)
            sys.exit(exc.exit_code)
        except ModuleNotFoundError as exc:
            extra = _EXTRA_OF.get((exc.name or "").split(".")[0])
            if extra is None:
                raise
            click.echo(ParkgisError(
                f"此功能需要可选依赖 {exc.name}。",
                f"This feature needs the optional dependency {exc.name}.",
                f"安装：pip install 'parkgis[{extra}]'（或 parkgis[all]）。",
                f"Install it: pip install 'parkgis[{extra}]' (or parkgis[all]).",
            ).bilingual(), err=True)
            sys.exit(2)


#: Optional third-party module → the pyproject extra that installs it.
_EXTRA_OF = {
    "folium": "maps", "branca": "maps", "xyzservices": "maps", "matplotlib": "maps", "matplotlib_scalebar": "maps",
    "jinja2": "maps", "pylopdf_fonts_zh_cn": "maps", "openpyxl": "excel", "rasterio": "raster",
    "sqlalchemy": "postgis", "geoalchemy2": "postgis", "psycopg": "postgis", "fiona": "fiona",
    "dask": "dask", "distributed": "dask", "dask_geopandas": "dask", "weasyprint": "report",
    "starlette": "web", "uvicorn": "web", "multipart": "web", "python_multipart": "web", "pebble": "web",
}


#: The English one-liners of the built-in commands in the command list of ``parkgis --help``.
_SHORT_EN = {
    "classify": "Classify industrial parcels: upgrade / transform / reduce.",
    "convert": "Convert format, CRS, datum (WGS84/GCJ-02/BD-09) and text encoding.",
    "demo": "The whole chain on the embedded Chongming layers: classify, density, grading, siting, maps, report.",
    "density": "Output density per park/zone/town against the plan's targets (亿元/km²).",
    "grade": "Land-efficiency grading A/B/C/D (output and tax per 亩, value added per tce).",
    "layers": "List the layers: roles, features, areas, CRS/datum, sources and checks.",
    "map": "Draw maps: an offline web map (HTML) or print maps (PNG/PDF).",
    "report": "Write the planning report: HTML (offline), PDF (A4), Excel tables, parcels and maps.",
    "rules": "List the classification and siting rules with their legal or plan basis.",
    "serve": "Start the planners' web app: site checks, classification, park density (offline).",
    "site-check": "Check a proposed project's site: riverbank, 104/195/198 zones, park positioning, targets.",
    "synth": "Generate synthetic industrial parcels (not real data).",
    "track": "Plan monitoring across years: yearly snapshots against the targets, the reduction ledger.",
}


def bilingual_short_help(name: str, text: str) -> str:
    """A command's one-line help in Chinese and English for the command list.

    The Chinese is the first sentence of the docstring; the English comes from
    :data:`_SHORT_EN`, or for a plug-in command the first sentence of its
    second (English) paragraph.
    """
    paras = [" ".join(ln.strip() for ln in p.splitlines() if ln.strip() and ln.strip() != "\\b")
             for p in text.split("\n\n")]
    paras = [p for p in paras if p]
    zh = paras[0].split("。")[0] + "。" if paras else ""
    en = _SHORT_EN.get(name)
    if en is None and len(paras) > 1:
        en = paras[1].split(". ")[0].rstrip(".") + "."
    return f"{zh} {en or ''}".strip()


_CACHE: dict[str, click.Command] | None = None


def _lazy_commands() -> dict[str, click.Command]:
    global _CACHE
    if _CACHE is None:
        found: dict[str, click.Command] = {}
        for mod_name in _COMMANDS:
            try:
                mod = importlib.import_module(f"gis.cli.{mod_name}")
            except ModuleNotFoundError as exc:
                if exc.name == f"gis.cli.{mod_name}":
                    continue  # not built yet
                raise
            cmd = mod.command
            found[cmd.name] = cmd
        for ep in entry_points(group="parkgis.commands"):
            cmd = ep.load()
            found.setdefault(cmd.name, cmd)
        _CACHE = found
    return _CACHE


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version("parkgis"), prog_name="parkgis")
@click.option("-v", "--verbose", count=True, help="更多日志。 More log output on stderr.")
@click.option("-q", "--quiet", is_flag=True, help="安静模式，无进度条。 No progress bars, warnings only.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """parkgis：崇明区产业用地与空间规划 GIS 工具。

    parkgis: GIS tool for industrial-land and spatial planning in Chongming
    District, Shanghai — 104/195/198 zones, the Yangtze 1 km riverbank zone,
    upgrade/transform/reduce classification, output density, siting checks.
    """
    level = logging.WARNING - 10 * verbose
    if quiet:
        level = logging.WARNING
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_LevelFormatter())
    logging.basicConfig(level=level, handlers=[handler], force=True)
    warnings.showwarning = library_warning
    ctx.ensure_object(dict)
    ctx.obj["quiet"] = quiet


_WARNED: set[str] = set()


def library_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A library's warning on the console: one bilingual note per kind, the details with ``-v``.

    The known causes are handled where they arise (out-of-range coordinates, Shapefile
    field names…); this keeps any other library's technical text off the planner's console.
    """
    log = logging.getLogger("gis.cli")
    log.info("%s: %s (%s:%s)", category.__name__, message, filename, lineno)
    if category.__name__ not in _WARNED:
        _WARNED.add(category.__name__)
        log.warning("程序库给出一条技术性警告（%s；用 -v 查看详情），请核对相关结果 / a library issued a technical "
                    "warning (%s; rerun with -v for the details): check the results concerned",
                    category.__name__, category.__name__)


class _LevelFormatter(logging.Formatter):
    """``注意 Warning: message``: the level in Chinese and English, then the (bilingual) message."""

    def format(self, record: logging.LogRecord) -> str:
        from gis.wording import LEVEL_WORDS

        text = f"{LEVEL_WORDS.get(record.levelname, record.levelname)}: {record.getMessage()}"
        return text + ("\n" + self.formatException(record.exc_info) if record.exc_info else "")


def main() -> None:  # pragma: no cover - console entry
    cli()
