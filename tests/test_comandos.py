import pytest
from django.core.management import load_command_class

COMANDOS = [
    ("alerta", "demo"),
    ("alerta", "purgar_registros_acceso"),
    ("siagie_import", "generar_datos"),
    ("siagie_import", "importar_siagie"),
    ("alerta", "entrenar_modelo"),
    ("riesgo", "puntuar"),
]


@pytest.mark.parametrize(("app", "nombre"), COMANDOS)
def test_help_is_shown_in_spanish(app, nombre):
    comando = load_command_class(app, nombre)
    texto = comando.create_parser("manage.py", nombre).format_help()
    assert str(comando.help).split()[0] in texto
