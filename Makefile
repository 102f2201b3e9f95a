# Two commands a newcomer needs (see README):
#   make report   build the environment if needed, then render the quarter's pack
#   make test     build the environment if needed, then run the whole test suite (fast tier, then slow)
# Works on a fresh machine with only Python 3.11: the environment is a .venv made from
# pyproject.toml with the exact versions in requirements-lock.txt. Both also run
# scripts/system-deps.sh, which installs Debian's chromium and poppler-utils (the PDF pack and
# the browser tests) when run as root with apt-get, and otherwise says in one line what to install.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
QUARTER ?= 2025-26 Q3
STAMP := $(VENV)/.installed

.PHONY: report test env notebooks-stripped lint lab clean

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

# The nbstripout git filter (idempotent): git sees a notebook as nbstripout strips it (no outputs,
# execution counts or the kernel's language_info, which JupyterLab writes on saving), so a notebook
# opened or run in JupyterLab shows no change in `git diff` and a commit never holds its outputs.
# Only in a git checkout; it writes to the repository's .git/config and .git/info/attributes.
env: $(STAMP)
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  $(BIN)/nbstripout --install && git config filter.nbstripout.extrakeys metadata.language_info; fi

report: env
	@bash scripts/system-deps.sh
	$(BIN)/pcp run --quarter "$(QUARTER)"

test: env
	@bash scripts/system-deps.sh
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	@$(MAKE) --no-print-directory notebooks-stripped
	# two tiers (pyproject's "slow" marker), each spread over every core by pytest-xdist, a
	# file's tests kept together so its module fixtures are computed once; the packs the slow
	# tests read are rendered once per run by whichever worker asks first
	# (tests/conftest.py's once_per_run), the other waiting for it
	$(BIN)/python -m pytest -m "not slow" -n auto --dist loadfile
	$(BIN)/python -m pytest -m slow -n auto --dist loadfile

# Notebooks are committed without outputs: checked as git holds them (staged; the file itself when
# git does not track it), so a notebook the analyst ran, its outputs kept out of git by the
# filter, passes.
notebooks-stripped: $(STAMP)
	@for nb in notebooks/*.ipynb; do \
	  if git ls-files --error-unmatch "$$nb" >/dev/null 2>&1; then git show ":$$nb"; else cat "$$nb"; fi \
	    | $(BIN)/nbstripout --verify >/dev/null || { echo "$$nb holds outputs: $(BIN)/nbstripout $$nb"; exit 1; }; \
	done

lint: $(STAMP)
	$(BIN)/ruff check .

# Jupyter refuses to start as root unless told; only then is --allow-root added.
lab: env
	$(BIN)/jupyter lab notebooks/ $$(test "$$(id -u)" -eq 0 && echo --allow-root)

clean:
	rm -rf outputs/ .pytest_cache
