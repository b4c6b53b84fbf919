"""The layers: the contracts of pyproject.toml hold (import-linter), and the
engine takes from the project only its domain.

A broken contract fails `make test`, not only `make lint`.
"""

import logging
from pathlib import Path

import grimp
from importlinter import cli

RAIZ = Path(__file__).resolve().parent.parent
APPS = ("alerta", "riesgo", "siagie_import", "orientaciones")

# What riesgo (the engine) may import from alerta: the domain's models and
# reads, the database helpers, scoping and the management commands' base.
DOMINIO = {
    "alerta.models",
    "alerta.selectors",
    "alerta.db",
    "alerta.scoping",
    "alerta.management.comando",
}


def test_the_import_contracts_are_kept():
    # import-linter configures logging, which disables every logger already
    # made: the tests that run after this one in the same process need them.
    apagados = {
        nombre: registro.disabled
        for nombre, registro in logging.root.manager.loggerDict.items()
        if isinstance(registro, logging.Logger)
    }
    try:
        resultado = cli.lint_imports(
            config_filename=str(RAIZ / "pyproject.toml"), no_cache=True
        )
    finally:
        for nombre, estaba in apagados.items():
            logging.getLogger(nombre).disabled = estaba
    assert resultado == 0


def test_the_engine_imports_only_the_domain_of_alerta():
    grafo = grimp.build_graph(*APPS, cache_dir=None)
    fuera = {
        (modulo, importado)
        for modulo in grafo.find_descendants("riesgo") | {"riesgo"}
        for importado in grafo.find_modules_directly_imported_by(modulo)
        if importado.split(".")[0] == "alerta" and importado not in DOMINIO
    }
    assert fuera == set()
