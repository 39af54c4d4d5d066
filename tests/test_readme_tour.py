"""The README's five-minute tour runs as written, from a fresh clone of the repository.

Every command of the tour's code block is run in order in one clone (the
installed environment linked in as ``.venv``, as ``make demo`` leaves it), so
the later commands reuse what the earlier ones wrote (one classification of the
sample feeds density, grading, maps and the report). Each must exit with status
0, write the outputs it names, and print no library warning or traceback.
``parkgis serve`` runs until stopped: it must answer ``/api/health``, then it
is stopped.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO, require

#: Options whose value is a file or folder the command writes.
OUTPUT_OPTIONS = ("-o", "--output", "--summary", "--grid", "--changes", "--charts", "--report")
#: What a library warning or a crash looks like on the console (our own warnings start with "注意 Warning:").
LIBRARY_NOISE = re.compile(r"(?m)^(?!注意 Warning:).*(\b\w*Warning\b|Traceback \(most recent call last\))")


def tour_commands(readme: str) -> list[str]:
    """The commands of the tour's ``sh`` block: one per line, comments and the venv activation dropped."""
    section = readme.split("## A five-minute tour", 1)[1]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    commands = []
    for line in block.splitlines():
        line = line.split(" #", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if line and not line.startswith("source "):
            commands.append(line)
    return commands


def named_outputs(command: str) -> list[str]:
    """The paths a command says it writes (``-o``, ``--summary``, ``--grid``…)."""
    args = shlex.split(command)
    return [args[i + 1] for i, a in enumerate(args[:-1]) if a in OUTPUT_OPTIONS]


def test_tour_commands_are_found():
    commands = tour_commands((REPO / "README.md").read_text(encoding="utf-8"))
    assert commands[0] == "parkgis layers" and commands[-1] == "parkgis serve"
    assert all(c.startswith("parkgis ") for c in commands)
    assert any("examples/picks.geojson" in c for c in commands) and "out/density.xlsx" in named_outputs(
        next(c for c in commands if c.startswith("parkgis density")))


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """A fresh clone of the repository with the installed environment as its ``.venv``."""
    require(shutil.which("git") is not None and (REPO / ".git").exists(), "git and the repository's history")
    dest = tmp_path_factory.mktemp("tour") / "parkgis"
    subprocess.run(["git", "clone", "-q", str(REPO), str(dest)], check=True)
    (dest / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    return dest


def _env(clone: Path) -> dict:
    env = dict(os.environ)
    env["PATH"] = f"{clone / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTHONWARNINGS", None)
    return env


def _serve(command: str, clone: Path) -> None:
    """Start ``parkgis serve`` as written, wait for its health answer, stop it."""
    proc = subprocess.Popen(shlex.split(command), cwd=clone, env=_env(clone), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen("http://127.0.0.1:8765/api/health", timeout=2) as r:
                    assert b'"ok"' in r.read()
                    return
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                time.sleep(0.5)
        pytest.fail("parkgis serve did not answer /api/health")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def dependencies(commands: list[str]) -> list[set[int]]:
    """For each command, the earlier commands whose outputs it reads (a named output among its arguments)."""
    deps: list[set[int]] = []
    for i, command in enumerate(commands):
        args = shlex.split(command)
        deps.append({j for j in range(i) for out in named_outputs(commands[j])
                     if any(a == out or a.startswith(out.rstrip("/") + "/") for a in args)})
    return deps


def test_dependencies_follow_the_files():
    cmds = ["parkgis classify a.gpkg -o out/p.gpkg", "parkgis synth --years 2020-2021 -o out/s/",
            "parkgis density out/p.gpkg -o out/d.xlsx", "parkgis track out/s/ -o out/t.xlsx"]
    assert dependencies(cmds) == [set(), set(), {0}, {1}]


def _run(command: str, clone: Path) -> None:
    """Run one tour command as a planner would, in the activated environment; check what it promises."""
    run = subprocess.run(["bash", "-c", f"source .venv/bin/activate && {command}"], cwd=clone,
                         env=_env(clone), capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"{command}\n{run.stdout[-2000:]}\n{run.stderr[-3000:]}"
    noise = LIBRARY_NOISE.search(run.stderr + run.stdout)
    assert noise is None, f"{command}: library noise on the console: {noise.group(0)}"
    for out in named_outputs(command):
        path = clone / out
        assert path.exists(), f"{command}: {out} not written"
        if path.is_dir():
            assert any(path.iterdir()), f"{command}: {out} is empty"


def _after(earlier: list, command: str, clone: Path) -> None:
    """Run ``command`` once the commands it reads from have finished (their failure is its failure)."""
    for f in earlier:
        f.result()
    _run(command, clone)


def test_every_tour_command_runs_from_a_fresh_clone(clone):
    """Each command after the ones whose files it reads; two at a time (independent chains overlap)."""
    from concurrent.futures import ThreadPoolExecutor

    commands = tour_commands((clone / "README.md").read_text(encoding="utf-8"))
    serve = [c for c in commands if c.startswith("parkgis serve")]
    commands = [c for c in commands if c not in serve]
    deps = dependencies(commands)
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures: list = []
        for i, command in enumerate(commands):  # FIFO: a command's dependencies start before it does
            futures.append(pool.submit(_after, [futures[j] for j in deps[i]], command, clone))
        for f in futures:
            f.result()
    for command in serve:  # last: it runs until stopped
        _serve(command, clone)
