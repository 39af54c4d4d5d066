"""``python -m gis.cli`` runs the parkgis command line."""

from gis.cli.main import cli

if __name__ == "__main__":
    cli(prog_name="parkgis")
