"""The layout's rules, checked on the source (docs/architecture.md).

* data flows one way: a stage imports only from the stages before it
  (:data:`STAGES`), lazily imported names included;
* no module imports another module's ``_private`` name;
* the CLI only parses: no geometry or table library in ``gis/cli``;
* modules stay under ~400 lines and functions under ~80, data tables aside;
* the library holds no test-only code (servers, oracles).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GIS = REPO / "gis"

#: The stages in flow order (DESIGN §2). A module may import its own stage and the ones before it.
STAGES = [
    ("foundation", ["gis.errors", "gis.parallel", "gis.progress", "gis.geomarrays", "gis.wording", "gis.units",
                    "gis.config", "gis.lookup"]),
    ("domain", ["gis.domain"]),
    ("geodesy", ["gis.geodesy"]),
    ("io", ["gis.io"]),
    ("layers", ["gis.layers"]),
    ("engine", ["gis.engine"]),
    ("rules", ["gis.rules", "zoning_rules"]),
    ("classification", ["gis.classification"]),
    ("siting", ["gis.siting"]),
    ("planning", ["gis.planning"]),
    ("synth", ["gis.synth"]),
    ("maps", ["gis.maps"]),
    ("report", ["gis.report"]),
    ("web", ["gis.web"]),
    ("cli", ["gis.cli"]),
]
#: Module-level data tables (names and codes, not logic) may be longer.
DATA_MODULES = {"gis/domain/industry_divisions.py", "gis/domain/industry_classes.py"}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80
#: Libraries the CLI must not touch: it parses options and calls the library.
CLI_FORBIDDEN = {"geopandas", "shapely", "pandas", "numpy", "pyproj", "pyogrio"}


def _modules() -> list[Path]:
    return sorted(p for d in (GIS, REPO / "zoning_rules") for p in d.rglob("*.py")
                  if "assets" not in p.parts)


def _name(path: Path) -> str:
    rel = path.relative_to(REPO).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _stage(module: str) -> int | None:
    for i, (_, prefixes) in enumerate(STAGES):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return i
    return None


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, imported module, imported names) for every import in the file, nested ones too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module, [a.name for a in node.names]))
    return out


MODULES = _modules()
IDS = [str(p.relative_to(REPO)) for p in MODULES]


@pytest.mark.parametrize("path", MODULES, ids=IDS)
def test_imports_flow_down(path):
    me = _name(path)
    mine = _stage(me)
    if me == "gis" or mine is None:
        return  # gis/__init__ is the public API: it may gather every stage
    bad = []
    for line, mod, names in _imports(path):
        targets = [mod] + [f"{mod}.{n}" for n in names]
        stages = [s for s in (_stage(t) for t in targets) if s is not None]
        theirs = min(stages) if stages else None
        if mod == "gis" and names:
            theirs = max(s for s in (_stage(f"gis.{n}") for n in names) if s is not None) \
                if any(_stage(f"gis.{n}") is not None for n in names) else None
        if theirs is not None and theirs > mine:
            bad.append(f"line {line}: {mod} ({STAGES[theirs][0]}) from {STAGES[mine][0]}")
    assert not bad, f"{me} imports a later stage:\n" + "\n".join(bad)


@pytest.mark.parametrize("path", MODULES, ids=IDS)
def test_no_private_names_of_other_modules(path):
    bad = [f"line {line}: from {mod} import {n}" for line, mod, names in _imports(path)
           if mod.startswith(("gis", "zoning_rules")) for n in names if n.startswith("_") and n != "__version__"]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("path", sorted((GIS / "cli").glob("*.py")), ids=lambda p: p.name)
def test_cli_only_parses(path):
    bad = [f"line {line}: {mod}" for line, mod, _ in _imports(path) if mod.split(".")[0] in CLI_FORBIDDEN]
    assert not bad, f"{path.name} does analysis work:\n" + "\n".join(bad)


@pytest.mark.parametrize("path", MODULES, ids=IDS)
def test_sizes(path):
    rel = str(path.relative_to(REPO))
    text = path.read_text(encoding="utf-8")
    problems = []
    if rel not in DATA_MODULES and len(text.splitlines()) > MAX_MODULE_LINES:
        problems.append(f"{len(text.splitlines())} lines (> {MAX_MODULE_LINES}): two concerns?")
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            n = node.end_lineno - node.lineno + 1
            if n > MAX_FUNCTION_LINES:
                problems.append(f"{node.name}() is {n} lines (> {MAX_FUNCTION_LINES})")
    assert not problems, f"{rel}: " + "; ".join(problems)


def test_no_test_code_in_the_library():
    words = ("initdb", "pg_ctl", "def oracle_metrics", "import pytest")
    bad = [f"{p.relative_to(REPO)}: {w}" for p in MODULES for w in words
           if w in p.read_text(encoding="utf-8")]
    assert not bad, "\n".join(bad)
