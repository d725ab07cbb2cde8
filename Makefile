# govspider: `make demo` runs the whole job on the bundled demo sites; `make test` runs the tests.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test lint format bench bench-quick accuracy clean

$(STAMP): setup.py
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,postgres,distributed,bench]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(VENV)/bin/govspider demo --out var/demo

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: lint
	$(PY) -m pytest -q

bench: install
	$(PY) -m bench

bench-quick: install
	$(PY) -m bench --quick

accuracy: install
	$(PY) -m bench.accuracy

clean:
	rm -rf var/demo .pytest_cache
