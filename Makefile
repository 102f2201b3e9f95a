# Two commands a newcomer needs (see README):
#   make report   build the environment if needed, then render the quarter's pack
#   make test     build the environment if needed, then run the whole test suite (fast tier, then slow)
# Works on a fresh machine with only Python 3.11: the environment is a .venv made from
# pyproject.toml with the exact versions in requirements-lock.txt.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
QUARTER ?= 2025-26 Q3
STAMP := $(VENV)/.installed

.PHONY: report test env lint lab clean

$(STAMP): pyproject.toml requirements-lock.txt
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements-lock.txt -e ".[dev]"
	$(BIN)/python -c "from pcp_lib.pack.kernels import ensure_kernel; ensure_kernel()"
	# pip compiles the packages it installs; compile pcp_lib too (installed editable, it is
	# not), so no process compiles it again where Python may not write bytecode itself
	$(BIN)/python -m compileall -q pcp_lib
	touch $(STAMP)

env: $(STAMP)

report: $(STAMP)
	$(BIN)/pcp run --quarter "$(QUARTER)"

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/nbstripout --verify notebooks/*.ipynb
	# two tiers (pyproject's "slow" marker): the fast one spread over every core by pytest-xdist,
	# a file's tests kept together so its module fixtures are computed once; the slow one in one
	# process, so its session fixtures (the pack rendered once, tests/pack/conftest.py) are
	# shared by all its tests, and each pack render has the cores to itself
	$(BIN)/python -m pytest -m "not slow" -n auto --dist loadfile
	$(BIN)/python -m pytest -m slow

lint: $(STAMP)
	$(BIN)/ruff check .

# Jupyter refuses to start as root unless told; only then is --allow-root added.
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/ $$(test "$$(id -u)" -eq 0 && echo --allow-root)

clean:
	rm -rf outputs/ .pytest_cache
