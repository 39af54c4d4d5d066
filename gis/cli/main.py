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

    def invoke(self, ctx):
        from gis.io.safe_write import command_scope

        try:
            with command_scope():  # no output may overwrite a file the command reads
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
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s", stream=sys.stderr)
    ctx.ensure_object(dict)
    ctx.obj["quiet"] = quiet


def main() -> None:  # pragma: no cover - console entry
    cli()
