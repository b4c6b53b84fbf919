"""What the importer stores and reports: accents kept, canonical spellings,
sección keys that ignore accents, dates in the future and serial dates shown."""

import importlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from alerta.models import Asignacion, Estudiante, Evaluacion, Matricula, Rol, Seccion
from riesgo import explicaciones, features
from siagie_import import columnas
from siagie_import.models import EstadoImportacion, TipoArchivo
from siagie_import.reporte import libro_rechazos
from siagie_import.services import importacion_ejecutar
from tests.factories import SeccionFactory, UsuarioFactory, asignar
from tests.siagie_import.test_columnas import PLANAS, _escribir

N = TipoArchivo.NOMINA


def importar(carpeta, tipo: str, **cambios):
    imp = importacion_ejecutar(
        ruta=_escribir(carpeta, tipo, {**PLANAS[tipo], **cambios}), tipo=tipo
    )
    assert imp.estado == EstadoImportacion.COMPLETADA, imp.mensaje
    return imp


@pytest.fixture
def padron(db, tmp_path):
    importar(tmp_path, TipoArchivo.PADRON)
    return tmp_path


def test_free_text_outside_a_vocabulary_keeps_its_accents(padron):
    importar(padron, N, DISCAPACIDAD="  física  ", APELLIDO_MATERNO="ñaupa")
    estudiante = Estudiante.objects.get()
    assert (estudiante.discapacidad, estudiante.apellido_materno) == (
        "FÍSICA",
        "ÑAUPA",
    )


@pytest.mark.parametrize("escrita", ["unica", "UNICA", " Única ", "ÚNICA"])
def test_every_spelling_of_unica_stores_the_accented_one(padron, escrita):
    importar(padron, N, SECCION=escrita)
    assert Seccion.objects.get().letra == "ÚNICA"


def test_a_vocabulary_value_stores_its_canonical_spelling(padron):
    importar(
        padron,
        N,
        LENGUA_MATERNA="castellano",
        SITUACION_FINAL="Requiere  recuperación",
        PARENTESCO="tío(a)",
    )
    matricula = Matricula.objects.select_related("estudiante").get()
    assert matricula.estudiante.lengua_materna == "CASTELLANO"
    assert matricula.situacion_final == "REQUIERE RECUPERACION"
    assert matricula.parentesco_apoderado == "TIO(A)"


def test_a_tutor_finds_a_seccion_stored_without_its_accent(padron):
    importar(padron, N)
    Seccion.objects.update(letra="UNICA")  # as imports before accents were kept
    imp = importar(padron, TipoArchivo.PERSONAL, SECCION="Única")
    assert imp.filas_rechazadas == 0
    tutoria = Asignacion.objects.get(rol=Rol.TUTOR, activa=True)
    assert tutoria.seccion == Seccion.objects.get()


def test_the_vocabularies_spell_what_the_risk_features_compare_against():
    # riesgo/ compares stored values with these literals in SQL: a canonical
    # spelling that drifted from them would silently zero a feature.
    usados = [
        (columnas.LENGUAS, features.NO_ORIGINARIAS),
        (columnas.DISCAPACIDADES, ["NINGUNA"]),
        (columnas.TIPOS_DOCUMENTO, features.DOCUMENTOS_EXTRANJEROS),
        (columnas.INSTRUCCION_APODERADO, list(features.EDUCACION)),
        (columnas.PARENTESCOS, features.PADRES),
        (columnas.AREAS_CURRICULARES, ["MATEMATICA", "COMUNICACION"]),
        (columnas.CSE, explicaciones.VALORES_PROPIOS[("pobreza", "cse")]),
    ]
    for vocabulario, literales in usados:
        assert set(literales) <= set(vocabulario.values())


def _rechazo(imp):
    assert imp.filas_rechazadas == 1
    return imp.rechazos.get()


def test_a_birth_date_in_2210_is_in_the_future(padron):
    rechazo = _rechazo(importar(padron, N, FECHA_NACIMIENTO="10/05/2210"))
    assert (rechazo.columna, rechazo.valor, rechazo.motivo) == (
        "FECHA_NACIMIENTO",
        "10/05/2210",
        "La fecha está en el futuro.",
    )


def test_an_impossible_date_is_still_no_date(padron):
    rechazo = _rechazo(importar(padron, N, FECHA_NACIMIENTO="31/02/2017"))
    assert rechazo.motivo == "No es una fecha válida."


def test_a_far_future_enrollment_date_is_no_date(padron):
    rechazo = _rechazo(importar(padron, N, FECHA_MATRICULA="2210-03-01"))
    assert (rechazo.columna, rechazo.motivo) == (
        "FECHA_MATRICULA",
        "No es una fecha válida.",
    )


def test_a_serial_date_is_reported_with_the_date_it_stands_for(padron, client):
    imp = importar(padron, N, FECHA_NACIMIENTO="53948")
    rechazo = _rechazo(imp)
    assert (rechazo.valor, rechazo.motivo) == (
        "53948 (13/09/2047)",
        "La fecha está en el futuro.",
    )

    nacional = UsuarioFactory()
    asignar(nacional, Rol.NACIONAL)
    client.force_login(nacional)
    pagina = client.get(reverse("importacion:detalle", args=[imp.pk]))
    assert "53948 (13/09/2047)" in pagina.content.decode()

    hoja = load_workbook(libro_rechazos(imp)).active
    valores = [c.value for fila in hoja.iter_rows() for c in fila]
    assert "53948 (13/09/2047)" in valores


def test_the_command_prints_a_serial_date_with_its_date(padron):
    ruta = _escribir(padron, N, {**PLANAS[N], "FECHA_NACIMIENTO": "53948"})
    salida = StringIO()
    call_command("importar_siagie", "--sin-progreso", str(ruta), stdout=salida)
    assert "«53948 (13/09/2047)»: La fecha está en el futuro." in salida.getvalue()


def test_an_age_rejection_shows_a_serial_birth_date_as_the_date(padron):
    rechazo = _rechazo(importar(padron, N, FECHA_NACIMIENTO="36526"))  # 2000-01-01
    assert rechazo.valor == "36526 (01/01/2000)"
    assert rechazo.motivo.startswith("Una edad de")


def test_the_migration_gives_old_unica_secciones_their_accent(db):
    from django.apps import apps

    migracion = importlib.import_module(
        "alerta.migrations.0004_seccion_unica_con_tilde"
    )
    vieja = SeccionFactory(letra="UNICA")
    otra = SeccionFactory(letra="A")
    con_gemela = SeccionFactory(letra="UNICA")
    gemela = SeccionFactory(
        ie=con_gemela.ie,
        anio=con_gemela.anio,
        nivel=con_gemela.nivel,
        grado=con_gemela.grado,
        letra="ÚNICA",
    )
    migracion.con_tilde(apps, None)
    letras = dict(Seccion.objects.values_list("pk", "letra"))
    assert [letras[s.pk] for s in (vieja, otra, con_gemela, gemela)] == [
        "ÚNICA",
        "A",
        "UNICA",
        "ÚNICA",
    ]


def test_a_named_seccion_is_one_seccion_whatever_its_accents(padron):
    importar(padron, N, SECCION="Corazón")
    importar(padron, N, SECCION="CORAZON")
    otra = {**PLANAS[N], "COD_ESTUDIANTE": "00012345678902", "SECCION": "corazon"}
    imp = importacion_ejecutar(ruta=_escribir(padron, N, otra), tipo=N)
    assert imp.filas_aceptadas == 1
    assert list(Seccion.objects.values_list("letra", flat=True)) == ["CORAZÓN"]
    assert Matricula.objects.count() == 2


def test_a_curricular_area_is_stored_as_before_whatever_its_accents(padron):
    importar(padron, N)
    importar(padron, TipoArchivo.EVALUACION, AREA="Educación Física")
    importar(padron, TipoArchivo.EVALUACION, AREA="EDUCACION FISICA")
    assert list(Evaluacion.objects.values_list("area", flat=True)) == [
        "EDUCACION FISICA"
    ]
