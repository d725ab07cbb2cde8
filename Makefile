# govspider: `make demo` runs the whole job on the bundled demo sites; `make test` runs the tests.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install chromium demo test lint format bench bench-quick accuracy faults clean

$(STAMP): setup.py
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,postgres,distributed,bench]'
	touch $(STAMP)

install: $(STAMP) chromium

# Chromium renders the few lists only a browser shows (scrapy-playwright launches it by its
# path, GOVSPIDER_CHROMIUM, default /usr/bin/chromium). Installed with apt where we may;
# otherwise the one command to run is printed and the crawl marks such lists 监测失败.
chromium:
	@if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }; \
	else echo "未找到 Chromium：请运行 sudo apt-get install -y chromium（其他系统：$(PY) -m playwright install chromium）"; fi

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
	$(PY) -m bench.accuracy $(ARGS)

faults: install
	$(PY) -m bench.faults

clean:
	rm -rf var/demo .pytest_cache
