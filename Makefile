# The README's commands. Each creates .venv on first use (from requirements.lock) and then does its job;
# the second run only checks the stamp, so it takes seconds.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8866

.PHONY: app test lab bench notebooks check lint clean static

$(STAMP): requirements.lock pyproject.toml $(wildcard share/jupyter/voila/templates/ros1/* share/jupyter/voila/templates/ros1/static/*) \
          $(wildcard widgets/templates/* widgets/static/* ros1_course/templates/* ros1_course/static/*)
	@echo "Setting up $(VENV) from requirements.lock (first run only: a few minutes)..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

app: $(STAMP)  ## serve the presenter app with Voila on http://127.0.0.1:$(PORT)
	$(BIN)/ros1-course app --port $(PORT)

test: $(STAMP)  ## lint, check the floors and types, validate the content, run unit, notebook (nbval) and browser tests
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/ros1-course check
	$(BIN)/pytest

static: $(STAMP)  ## build the whole course as static files in site/ (runs in the browser, offline; any web server serves it)
	$(BIN)/ros1-course build-static -o site

lab: $(STAMP)  ## open the lessons in JupyterLab (the app also at /voila/render/notebooks/app.ipynb)
	JUPYTER_PATH=$(CURDIR)/share/jupyter $(BIN)/jupyter lab

check: $(STAMP)  ## validate content/ and list statements past their review date
	$(BIN)/ros1-course check

bench: $(STAMP)  ## print load, lookup, widget and app timings
	cd benchmarks && ../$(BIN)/python run.py

notebooks: $(STAMP)  ## after editing a lesson's .md or the content: update the .ipynb pairs and re-execute them
	$(BIN)/jupytext --quiet --update --to ipynb notebooks/[0-9][0-9]-*.md notebooks/app.md
	snapshots=$$(mktemp -d) && $(BIN)/ros1-course check --snapshot $$snapshots > /dev/null && \
	  ROS1_COURSE_SNAPSHOTS=$$snapshots $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.record_timing=False \
	  notebooks/[0-9][0-9]-*.ipynb notebooks/app.ipynb; status=$$?; rm -rf $$snapshots; exit $$status

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts site
