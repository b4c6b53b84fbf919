# Everyday commands. `make run` starts the full demo; `make test` runs the tests.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.instalado
PORT ?= 8000

.PHONY: run test lint format bench bench-riesgo bench-portal bench-carga clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
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

clean:
	rm -rf db.sqlite3 media var
