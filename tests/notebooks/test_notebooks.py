"""The tutorial notebooks of ``notebooks/`` run top to bottom (issue 8).

Each notebook is executed with nbclient in a fresh kernel of *this* interpreter
(a kernelspec written to a temporary ``JUPYTER_PATH``, so neither the user's
home nor another Python's ``python3`` kernel is involved), in a temporary copy
of ``notebooks/``, with ``PARKGIS_NOTEBOOK_OUT`` pointing at a temporary
folder. A cell that raises fails the test with its traceback; so does a cell
slower than ``CELL_TIMEOUT_S``.

Cheap checks without a kernel: the stored notebooks carry no outputs and match
``notebooks/build_notebooks.py``; ``notebooks/data/projects.csv`` matches
``notebooks/data/make_projects.py``.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, require

NB_DIR = REPO / "notebooks"
NOTEBOOKS = ["01_classify_parcels", "02_park_density", "03_siting_check", "04_plan_monitoring"]
KERNEL = "parkgis-tests"
CELL_TIMEOUT_S = 300
STARTUP_TIMEOUT_S = 120


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _missing(*modules: str) -> list[str]:
    return [m for m in modules if importlib.util.find_spec(m) is None]


# --------------------------------------------------------------------------- stored files


def test_notebooks_stored_without_outputs():
    require(not _missing("nbformat"), "nbformat (pip install -e '.[test]')")
    import nbformat

    for stem in NOTEBOOKS:
        nb = nbformat.read(NB_DIR / f"{stem}.ipynb", as_version=4)
        nbformat.validate(nb)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert code, stem
        assert all(not c.outputs and c.execution_count is None for c in code), f"{stem} has stored outputs"
        # Every tutorial ends by saying how to use one's own data.
        assert any("用于自己的数据 / What to change for your own data" in c.source for c in nb.cells
                   if c.cell_type == "markdown"), stem


def test_notebooks_match_their_generator():
    require(not _missing("nbformat"), "nbformat (pip install -e '.[test]')")
    build = _load(NB_DIR / "build_notebooks.py", "_parkgis_build_notebooks")
    assert list(build.NOTEBOOKS) == NOTEBOOKS
    assert build.main(["--check"]) == 0, "run: python notebooks/build_notebooks.py"


def test_projects_csv_matches_its_generator(tmp_path):
    make = _load(NB_DIR / "data" / "make_projects.py", "_parkgis_make_projects")
    fresh = make.write(tmp_path / "projects.csv")
    assert fresh.read_bytes() == (NB_DIR / "data" / "projects.csv").read_bytes(), \
        "run: python notebooks/data/make_projects.py"


# --------------------------------------------------------------------------- execution


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory):
    """Environment with a kernelspec ``parkgis-tests`` running this interpreter; Jupyter/IPython dirs in tmp."""
    missing = _missing("nbformat", "nbclient", "ipykernel", "jupyter_client")
    require(not missing, f"notebook kernel: {', '.join(missing)} not installed (pip install -e '.[test]')")
    base = tmp_path_factory.mktemp("jupyter")
    spec_dir = base / "path" / "kernels" / KERNEL
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "parkgis tests (this interpreter)",
        "language": "python",
    }), encoding="utf-8")
    env = {
        "JUPYTER_PATH": str(base / "path"),
        # Connection files, IPython profile and history stay out of the user's home.
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "JUPYTER_DATA_DIR": str(base / "data"),
        "JUPYTER_CONFIG_DIR": str(base / "config"),
        "IPYTHONDIR": str(base / "ipython"),
    }
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

        try:
            spec = KernelSpecManager().get_kernel_spec(KERNEL)
        except NoSuchKernel:
            spec = None
        require(spec is not None and spec.argv[0] == sys.executable,
                f"kernelspec {KERNEL} in {base / 'path'} not found by jupyter_client")
        yield env


@pytest.mark.notebook
@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_notebook_runs(stem, kernel_env, tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    work = tmp_path / "notebooks"
    shutil.copytree(NB_DIR, work, ignore=shutil.ignore_patterns("out", ".ipynb_checkpoints", "__pycache__"))
    out = tmp_path / "out"
    monkeypatch.setenv("PARKGIS_NOTEBOOK_OUT", str(out))
    # The inline backend, whatever the caller's MPLBACKEND (Agg would warn on plt.show()).
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    before = {p: p.stat().st_mtime_ns for p in work.rglob("*")}

    nb = nbformat.read(work / f"{stem}.ipynb", as_version=4)
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=CELL_TIMEOUT_S, startup_timeout=STARTUP_TIMEOUT_S,
                            resources={"metadata": {"path": str(work)}},
                            # the kernel's own start-up warnings (TCP transport) are not the notebook's
                            extra_arguments=["--IPKernelApp.log_level=ERROR"])
    t0 = time.perf_counter()
    client.execute()  # raises CellExecutionError (with the cell and its traceback) on a failing cell
    elapsed = time.perf_counter() - t0
    print(f"{stem}: {elapsed:.1f} s")

    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    # A tutorial should not greet its reader with warnings.
    stderr = [o.text for c in code for o in c.outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, "\n".join(stderr)
    # Everything was written under PARKGIS_NOTEBOOK_OUT, nothing beside the notebooks.
    written = [p for p in (out / stem).rglob("*") if p.is_file()]
    assert written, f"{stem} wrote nothing to {out / stem}"
    after = {p: p.stat().st_mtime_ns for p in work.rglob("*")}
    assert after == before, f"{stem} changed files beside the notebooks: {sorted(set(after) ^ set(before))}"
