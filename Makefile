# Two commands for a fresh machine with python3 and make:
#   make demo   set up .venv, seed the demo session, serve it
#               (options: make demo ARGS="--ip 0.0.0.0 --port 8870"; PBP_* variables work too,
#               e.g. make demo PBP_HOST=0.0.0.0; the database is the CLI's default, so
#               `pbp session list` and `pbp summarize DEMO26` find the demo afterwards)
#   make test   set up .venv with test extras, run the whole suite (pytest + nbval on workbooks/)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ARGS   ?=

.PHONY: demo test lint venv clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e '.[test]'
	touch $@

venv: $(VENV)/.installed

demo: venv
	$(BIN)/pbp demo $(ARGS)

test: venv
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/pytest
	$(BIN)/pytest --nbval-lax workbooks/

lint: venv
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
