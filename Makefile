# Two commands for a newcomer: `make run` starts the app, `make test` passes the tests.
# Each one creates the virtual environment and installs what it needs first. Nothing installs
# the project itself: everything runs from this folder (tools as `python -m benchmarks.x`).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501
# Test processes (pytest-xdist): the browser tests wait on a server and a browser, so two
# processes keep two cores busy; an idle one takes tests queued for the other (worksteal), so
# a few long browser tests at the end do not leave a core idle. `make test TEST_WORKERS=0`
# runs everything in one process.
TEST_WORKERS ?= 2

.PHONY: run test lint format bench screenshots locales clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.run-installed $@

run: $(VENV)/.run-installed  ## start the app on http://localhost:$(PORT)
	$(PY) -m streamlit run serve.py --server.port $(PORT)

test: $(VENV)/.dev-installed  ## lint, then every test (core, doctests, pages, browser)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal --durations=15

lint: $(VENV)/.dev-installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.dev-installed
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: $(VENV)/.dev-installed  ## numerical core benchmark (see docs/benchmarks.md)
	$(PY) -m benchmarks.bench_core

screenshots: $(VENV)/.dev-installed  ## every page at desktop, phone and presenter view, to look at (needs Debian's chromium)
	$(PY) -m scripts.screenshots
	@echo "README images: $(PY) -m scripts.screenshots --readme (writes docs/screenshots)"

# The translations: extract every wrapped string (softmax_ui/i18n.py), merge it into the
# Spanish and French catalogues (locales/*/LC_MESSAGES/messages.po, in git), compile the .mo
# files (not in git: without them the app compiles the .po in memory at start).
KEYWORDS := -k _ -k N_ -k ngettext:1,2 -k pgettext:1c,2 -k NP_:1c,2
locales: $(VENV)/.dev-installed  ## refresh the translation catalogues after changing strings
	$(PY) -m babel.messages.frontend extract -F babel.cfg --no-default-keywords $(KEYWORDS) \
		--sort-output --no-location --omit-header -o locales/messages.pot .
	$(PY) -m babel.messages.frontend update -i locales/messages.pot -d locales -D messages \
		--no-fuzzy-matching --ignore-obsolete
	$(PY) -m babel.messages.frontend compile -d locales -D messages --statistics

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-artifacts
