# Two commands for a new user (README): `make reports` and `make test`.
# Everything they need is installed here: a .venv with the package and its dependencies
# (and, on Debian without the venv module, the python3-venv package).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: help setup data reports test lint format lab clean

help:
	@echo "make reports  set up, build data/processed/ and run the main job"
	@echo "make test     set up, lint and run the whole test suite"
	@echo "make lab      open JupyterLab on notebooks/ with the package importable"
	@echo "make data     validate data/raw/ and rebuild data/processed/"
	@echo "make format   reformat the code with ruff"
	@echo "make clean    remove .venv and generated files"

$(STAMP): pyproject.toml
	@bash scripts/bootstrap-venv.sh "$(PYTHON)" "$(VENV)"
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --upgrade pip
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -e ".[dev,notebooks]"
	@touch $@

setup: $(STAMP)

data: setup
	$(BIN)/indicators build

reports: data
	$(BIN)/indicators summary

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

test: lint
	$(BIN)/python -m pytest

format: setup
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

lab: data
	$(BIN)/jupyter lab --notebook-dir=notebooks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
	find data/processed -mindepth 1 ! -name README.md -delete
	find reports -mindepth 1 ! -name README.md -delete
