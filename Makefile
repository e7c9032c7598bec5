# Goal Discovery Studio. Two commands do everything on a fresh machine with python3 (3.11+):
#   make start   install into .venv (only when pyproject.toml or the lock changed), open the studio
#   make test    install the test extra into the same .venv and run the whole suite
# PORT=8890 and NO_BROWSER=1 work with `make start` for headless use.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
LOCK := requirements/lock.txt
STAMP := $(VENV)/.stamp-install
STAMP_TEST := $(VENV)/.stamp-test
PYTEST_ARGS ?=
PORT ?=
NO_BROWSER ?=

.PHONY: start test lint format typecheck lock benchmarks clean

start: $(STAMP)
	$(VENV)/bin/goalstudio start $(if $(PORT),--port $(PORT)) $(if $(filter 1 true yes,$(NO_BROWSER)),--no-browser)

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Goal Discovery Studio needs Python 3.11 or newer; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"

# Reinstall only when the project or the lock changes, so a second `make start` takes seconds.
$(STAMP): pyproject.toml $(LOCK) | $(PY)
	$(PY) -m pip install --quiet -c $(LOCK) -e .
	@touch $@

$(STAMP_TEST): pyproject.toml $(LOCK) $(STAMP)
	$(PY) -m pip install --quiet -c $(LOCK) -e ".[dev]"
	@touch $@

# pytest exits 5 when it collects nothing; that is a failure here, never a silent pass.
test: $(STAMP_TEST)
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP_TEST)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m tests.import_contracts

format: $(STAMP_TEST)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: $(STAMP_TEST)
	$(VENV)/bin/mypy

benchmarks: $(STAMP_TEST)
	@for script in benchmarks/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

# Refresh the lock from what is installed in .venv (run after changing dependencies).
lock: $(STAMP_TEST)
	$(PY) -m pip freeze --all --exclude-editable --exclude goal-discovery-studio --exclude pip > $(LOCK)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
