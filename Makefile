# Two commands for a new user (README): `make reports` and `make test`.
# Everything they need is installed here: a .venv with the package and its dependencies
# (and, on Debian without the venv module, the python3-venv package).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: help setup data reports test lint format lab clean fonts browser

help:
	@echo "make reports  set up, build data/processed/, write every report to reports/ (HTML + notebooks)"
	@echo "make test     set up, install fonts, chromium and poppler-utils if missing, lint and run the whole test suite"
	@echo "make lab      open JupyterLab on notebooks/ with the package importable"
	@echo "make data     validate data/raw/ and rebuild data/processed/"
	@echo "make format   reformat the code with ruff"
	@echo "make clean    remove .venv and generated files"
	@echo "make fonts    install the CJK fonts (Debian fonts-noto-cjk) if missing"
	@echo "make browser  install headless Chromium (Debian chromium) if missing"

$(STAMP): pyproject.toml
	@bash scripts/bootstrap-venv.sh "$(PYTHON)" "$(VENV)"
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --upgrade pip
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -e ".[dev,notebooks,dask]"
	@touch $@

setup: $(STAMP)

data: setup
	$(BIN)/indicators build

reports: data fonts
	$(BIN)/indicators summary
	$(BIN)/indicators run reports.yaml --out reports

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

test: lint
	bash scripts/install-system-deps.sh fonts browser pdf
	$(BIN)/python -m pytest

# Debian packages (as root, or a message saying what to install): see scripts/install-system-deps.sh.
fonts:
	bash scripts/install-system-deps.sh fonts

browser:
	bash scripts/install-system-deps.sh browser

format: setup
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

lab: data
	$(BIN)/jupyter lab --notebook-dir=notebooks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
	find data/processed -mindepth 1 ! -name README.md -delete
	find reports -mindepth 1 ! -name README.md -delete
