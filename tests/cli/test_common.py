"""gis.cli.common: the shared options keep their names and order; notes are printed once each."""

from __future__ import annotations

import click
from click.testing import CliRunner

from gis.cli.common import echo_notes, is_quiet, parcel_options


def test_parcel_options_in_order():
    @click.command()
    @parcel_options
    def cmd(**kwargs):
        click.echo(",".join(kwargs))

    r = CliRunner().invoke(cmd, [])
    assert r.output.strip() == "rules_cfg,id_field,datum,assume_crs,encoding,io_engine"


def test_notes_once_each_in_order():
    @click.command()
    def cmd():
        echo_notes(["b", "a", "b"])

    r = CliRunner().invoke(cmd, [])
    assert r.stderr.splitlines() == ["注意 Note: b", "注意 Note: a"]


def test_quiet_is_read_from_the_group():
    @click.group()
    @click.option("-q", "quiet", is_flag=True)
    @click.pass_context
    def group(ctx, quiet):
        ctx.obj = {"quiet": quiet}

    @group.command()
    @click.pass_context
    def sub(ctx):
        click.echo(is_quiet(ctx))

    assert CliRunner().invoke(group, ["-q", "sub"]).output.strip() == "True"
    assert CliRunner().invoke(group, ["sub"]).output.strip() == "False"
