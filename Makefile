# govspider: `make demo` runs the whole job on the bundled demo sites; `make test` runs the tests.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install chromium bench-deps demo test lint format bench bench-quick accuracy faults clean

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

# the bench farm is served by nginx with its echo module (the slow port); Redis and
# PostgreSQL for the distributed run. Installed with apt where we may, else named.
bench-deps:
	@if [ -e /usr/share/nginx/modules/ngx_http_echo_module.so ] && command -v redis-server >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && apt-get install -y -qq nginx libnginx-mod-http-echo redis-server postgresql >/dev/null; \
	else echo "基准测试需要 nginx 及其 echo 模块：sudo apt-get install -y nginx libnginx-mod-http-echo redis-server postgresql"; fi

bench: install bench-deps
	$(PY) -m bench

bench-quick: install bench-deps
	$(PY) -m bench --quick

accuracy: install
	$(PY) -m bench.accuracy $(ARGS)

faults: install
	$(PY) -m bench.faults

clean:
	rm -rf var/demo .pytest_cache
