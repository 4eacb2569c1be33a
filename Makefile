# 党群通 — set-up, run, test and benchmark. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test test-suite lint bootstrap bootstrap-test system-deps assets migrate demo bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install -q -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: node_modules/.package-lock.json

bootstrap: $(VENV)/.installed assets

bootstrap-test: $(VENV)/.installed-test assets system-deps

system-deps:
	@scripts/ensure-system-deps.sh

migrate: bootstrap
	$(PY) manage.py migrate --noinput
	$(PY) manage.py orglife_build_font  # the PDFs' Chinese font subset, once (about 15 s the first time)

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@echo "==> 党群通 http://$(HOST):$(PORT)/  (Ctrl-C 停止；定时任务在后台运行)"
	@$(PY) manage.py run_jobs --loop & jobs=$$!; trap 'kill $$jobs 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT) --noreload

lint: bootstrap-test
	$(BIN)/ruff check .
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings.test

test-suite:
	$(PY) manage.py orglife_build_font --settings=config.settings.test
	$(BIN)/pytest -q

test: lint test-suite

bench: bootstrap-test
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) node_modules var
