# Two entry points: `make demo` (the main job) and `make test`. Both create .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test fuzz lint bench data clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/rangezone build maps/2024-11-05-sariwon.yaml --out out/2024-11-05-sariwon

test: $(STAMP)
	bash scripts/ensure-test-tools.sh
	$(BIN)/python -m pytest -n auto --dist loadfile

# The fuzz suite with the long hypothesis profile (1,000 random examples per test).
fuzz: $(STAMP)
	RANGEZONE_HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q tests/test_fuzz_parsers.py \
		tests/test_fuzz_files.py tests/test_fuzz_cli.py tests/test_fuzz_signals.py

lint: $(STAMP)
	$(BIN)/ruff check geo tests scripts benchmarks
	$(BIN)/ruff format --check geo tests scripts benchmarks
	$(BIN)/mypy geo tests

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/bench_range_areas.py
	$(BIN)/python benchmarks/bench_locate.py
	$(BIN)/python benchmarks/bench_cli.py
	$(BIN)/python benchmarks/bench_html_offline.py

# Rebuild the shipped data (needs the build-data extra; see data/README.md).
data: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,build-data]'
	$(BIN)/python scripts/build_land.py
	$(BIN)/python scripts/build_modelled_eez.py
	$(BIN)/python scripts/build_iso3166.py
	$(BIN)/python scripts/build_locate_grids.py

clean:
	rm -rf out test-artifacts .pytest_cache
