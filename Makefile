# Cartella: `make run` starts the app, `make test` runs every check. Both set themselves up.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
PORT ?= 8501

.PHONY: run test lint format browser-deps demo bench clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: $(STAMP)
	mkdir -p data
	$(VENV)/bin/streamlit run app.py --server.port $(PORT) \
	  $(if $(CARTELLA_MAX_IMPORT_MB),--server.maxUploadSize $(CARTELLA_MAX_IMPORT_MB))

# Debian packages the tests need: Chromium for the browser tests (never a browser downloaded by
# Playwright) and Tesseract to read rendered invoice PDFs back as text.
browser-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium chromium-driver"; \
	command -v tesseract >/dev/null || missing="$$missing tesseract-ocr"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages for the tests:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: $(STAMP) browser-deps lint
	CARTELLA_REQUIRE_BROWSER=1 $(PY) -m pytest -q

demo: $(STAMP)
	$(PY) cli.py demo --clients 200 --seed 1

# Benchmarks (minutes at full size): `make bench` or `make bench ARGS=--quick`.
bench: $(STAMP)
	$(PY) -m bench $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
