# Everyday commands. `make run` starts the full demo; `make test` runs the tests.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.instalado
STAMP_DEV := $(VENV)/.instalado-dev
PORT ?= 8000

.PHONY: run test lint format bench bench-riesgo bench-portal bench-carga bench-api bench-pilotos clean

# The demo needs only the dependencies; the tests and ruff add the dev extras.
# Both are read from pyproject.toml and installed without the project itself,
# which runs from this folder (as in the Dockerfile): no package to build.
# Bytecode is compiled on first import, for the modules used, not for every
# file installed. `make run` on a fresh clone: see the README.
$(STAMP): pyproject.toml
	@echo "Instalando las dependencias en $(VENV)…"
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@$(BIN)/python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > $(VENV)/dependencias.txt
	@$(BIN)/pip install -qq --no-compile -r $(VENV)/dependencias.txt
	@touch $@

$(STAMP_DEV): $(STAMP)
	@echo "Instalando las dependencias de desarrollo (pruebas, ruff)…"
	@$(BIN)/python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['dev']))" > $(VENV)/dependencias-dev.txt
	@$(BIN)/pip install -qq --no-compile -r $(VENV)/dependencias-dev.txt
	@touch $@

run: $(STAMP)
	@$(BIN)/python manage.py demo --puerto $(PORT)

test: $(STAMP_DEV)
	$(BIN)/python -m pytest

lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(STAMP_DEV)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Benchmarks need PostgreSQL (DATABASE_URL, default the local server).
bench: $(STAMP)
	$(BIN)/python bench/importacion.py --filas 100000 1000000

bench-riesgo: $(STAMP)
	$(BIN)/python bench/puntaje.py --estudiantes 100000 1000000

bench-portal: $(STAMP)
	$(BIN)/python bench/portal.py --estudiantes 6000000

bench-carga: $(STAMP)
	$(BIN)/python bench/carga.py --estudiantes 200000

bench-api: $(STAMP)
	$(BIN)/python bench/api.py --estudiantes 6000000

bench-pilotos: $(STAMP)
	$(BIN)/python bench/pilotos.py --unidades 442 --estudiantes 300

clean:
	rm -rf db.sqlite3 media var
