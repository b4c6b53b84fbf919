"""From generated SIAGIE files to a tutor's list, through every real layer."""

import pytest
from django.urls import reverse

from alerta.models import Asignacion, Estudiante, Matricula, Rol, Seccion
from riesgo.models import EjecucionPuntaje, EstadoEjecucion, ModeloRiesgo, Puntaje
from riesgo.scoring import puntaje_ejecutar
from riesgo.training import modelo_entrenar
from riesgo.versiones import modelo_publicar
from siagie_import.models import EstadoImportacion, Importacion
from siagie_import.services import archivos_de_carpeta, importacion_ejecutar


@pytest.fixture
def importado(db, carpeta_generada, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for ruta in archivos_de_carpeta(carpeta_generada):
        imp = importacion_ejecutar(ruta=ruta)
        assert imp.estado == EstadoImportacion.COMPLETADA, (ruta.name, imp.mensaje)
        assert imp.filas_rechazadas == 0, list(imp.rechazos.values()[:3])
    return carpeta_generada


def _conteos() -> dict[str, int]:
    return {
        m.__name__: m.objects.count()
        for m in (Estudiante, Matricula, Seccion, Asignacion)
    }


def test_importing_the_same_files_twice_changes_nothing(importado):
    antes = _conteos()
    for ruta in archivos_de_carpeta(importado):
        importacion_ejecutar(ruta=ruta)
    assert _conteos() == antes
    assert Importacion.objects.filter(
        estado=EstadoImportacion.COMPLETADA
    ).count() == 2 * len(archivos_de_carpeta(importado))


def test_every_enrollment_row_of_the_files_is_in_the_database(importado):
    import csv

    filas = 0
    for ruta in importado.glob("nomina_*.csv"):
        with ruta.open(encoding="utf-8") as f:
            filas += sum(1 for _ in csv.DictReader(f))
    assert Matricula.objects.count() == filas


def test_the_model_trains_validates_on_a_later_year_and_scores_everyone(importado):
    modelo = modelo_entrenar()
    assert modelo.anio_validacion == max(modelo.anios_entrenamiento) + 1
    assert modelo.roc_auc > 0.6
    assert 0 < modelo.corte_medio < modelo.corte_alto < 1
    modelo_publicar(modelo=modelo, aunque_no_supere_base=True)

    ejecucion = puntaje_ejecutar()
    assert ejecucion.estado == EstadoEjecucion.EXITOSA
    vigentes = Matricula.objects.vigentes().filter(seccion__anio=2026)
    # Everyone but 5.º de secundaria, outside deserción interanual.
    puntuables = vigentes.con_riesgo().values("estudiante").distinct().count()
    assert vigentes.sin_riesgo().exists()
    assert ejecucion.estudiantes == puntuables
    assert not Puntaje.objects.filter(
        ejecucion=ejecucion, matricula__in=vigentes.sin_riesgo()
    ).exists()
    assert Puntaje.objects.filter(ejecucion=ejecucion).count() == ejecucion.estudiantes
    niveles = set(Puntaje.objects.values_list("nivel", flat=True))
    assert niveles == {"ALTO", "MEDIO", "BAJO"}


def test_a_second_run_keeps_the_history_of_the_first(importado):
    modelo_publicar(modelo=modelo_entrenar(), aunque_no_supere_base=True)
    primera = puntaje_ejecutar()
    segunda = puntaje_ejecutar()
    assert EjecucionPuntaje.objects.vigente() == segunda
    assert Puntaje.objects.filter(ejecucion=primera).count() == primera.estudiantes


def test_a_failed_run_leaves_the_previous_scores_current(importado, monkeypatch):
    modelo_publicar(modelo=modelo_entrenar(), aunque_no_supere_base=True)
    buena = puntaje_ejecutar()

    def roto(anio, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("riesgo.scoring.construir_features", roto)
    with pytest.raises(RuntimeError):
        puntaje_ejecutar()
    fallida = EjecucionPuntaje.objects.exclude(pk=buena.pk).get()
    assert fallida.estado == EstadoEjecucion.FALLIDA
    assert "database went away" in fallida.error
    assert EjecucionPuntaje.objects.vigente() == buena


def test_a_tampered_artifact_refuses_to_load(importado):
    from riesgo.artefactos import ArtefactoInvalido

    modelo = modelo_publicar(modelo=modelo_entrenar(), aunque_no_supere_base=True)
    ModeloRiesgo.objects.filter(pk=modelo.pk).update(sha256="0" * 64)
    with pytest.raises(ArtefactoInvalido):
        puntaje_ejecutar()


def test_a_provisioned_tutor_sees_her_scored_list(importado, client):
    modelo_publicar(modelo=modelo_entrenar(), aunque_no_supere_base=True)
    puntaje_ejecutar()
    tutor = (
        Asignacion.objects.filter(rol=Rol.TUTOR, seccion__anio=2026)
        .select_related("usuario", "seccion")
        .first()
    )
    assert not tutor.usuario.has_usable_password()
    client.force_login(tutor.usuario)
    r = client.get(reverse("seccion_detalle", args=[tutor.seccion.uuid]))
    assert r.status_code == 200
    assert all(f.nivel_riesgo for f in r.context["filas"])
