"""A UGEL's alto and medio students as streamed CSV (who may download which
UGEL's: tests/api/test_permisos_api.py)."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alerta.api import exportar
from alerta.models import Accion, Area, Nivel, RegistroAcceso, SituacionFinal
from alerta.presentacion import filas
from riesgo.models import NivelRiesgo

from ..alerta.ejecuciones import puntuar
from ..alerta.libros import libro, tabla
from ..factories import (
    EstudianteFactory,
    IEFactory,
    MatriculaFactory,
    SeccionFactory,
)


def _url(ugel) -> str:
    return reverse("api:ugel-alto-medio-csv", args=[ugel.codigo])


def _leer(r) -> list[dict]:
    assert r.status_code == 200
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    texto = b"".join(r.streaming_content).decode("utf-8")
    assert texto.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(texto.removeprefix("\ufeff"))))


def _crecer(ugel, ejecucion, ies: int, estudiantes: int) -> None:
    """More IEs of the UGEL, each with a sección of scored students spread
    over the three levels, with factors."""
    for i in range(ies):
        seccion = SeccionFactory(ie=IEFactory(ugel=ugel, area=Area.RURAL))
        matriculas = MatriculaFactory.create_batch(estudiantes, seccion=seccion)
        puntuar(
            ejecucion,
            {m: ((i + j) % 10) / 10 + 0.01 for j, m in enumerate(matriculas)},
            factor_1="inasistencias",
            factor_2="extraedad" if i % 2 else "",
        )


@pytest.mark.django_db
class TestUgelAltoMedioCsv:
    def test_its_rows_are_the_ugel_workbooks_nominal_rows(
        self, client, mundo, puntajes
    ):
        _crecer(mundo.ugel_norte, puntajes, ies=3, estudiantes=12)
        client.force_login(mundo.ugel)
        de_csv = _leer(client.get(_url(mundo.ugel_norte)))
        wb = libro(client.get(reverse("ugel_excel", args=[mundo.ugel_norte.codigo])))
        de_libro = tabla(wb["Nominal"], "Código modular")[2]

        assert len(de_csv) == len(de_libro) > 10
        for c, x in zip(de_csv, de_libro, strict=True):
            assert (
                c["codigo_ie"],
                c["institucion_educativa"],
                c["apellidos_y_nombres"],
                str(NivelRiesgo(c["nivel_riesgo"]).label),
                float(c["probabilidad_pct"]),
                c["factores_en_palabras"],
            ) == (x[0], x[1], x[3], x[4], x[5], x[6] or "")
        assert {c["nivel_riesgo"] for c in de_csv} == {"ALTO", "MEDIO"}

    def test_it_names_its_columns_and_keys_students_by_their_api_id(
        self, client, mundo, puntajes
    ):
        client.force_login(mundo.ugel)
        filas_csv = _leer(client.get(_url(mundo.ugel_norte)))
        assert list(filas_csv[0]) == list(exportar.COLUMNAS)
        alta = mundo.matriculas_a[1]  # 0.6 with cut-offs 0.3 / 0.1
        fila = next(
            f for f in filas_csv if f["estudiante"] == str(alta.estudiante.uuid)
        )
        assert (fila["nivel"], fila["grado"], fila["seccion"]) == (
            alta.seccion.nivel,
            str(alta.seccion.grado),
            alta.seccion.letra,
        )
        assert fila["nivel_riesgo"] == NivelRiesgo.ALTO
        assert fila["probabilidad_pct"] == "60.0"

    def test_factor_codes_and_words_go_side_by_side(self, client, mundo, puntajes):
        _crecer(mundo.ugel_norte, puntajes, ies=2, estudiantes=10)
        client.force_login(mundo.ugel)
        con_dos = [
            f for f in _leer(client.get(_url(mundo.ugel_norte))) if ";" in f["factores"]
        ]
        assert con_dos
        for f in con_dos:
            assert f["factores"] == "inasistencias;extraedad"
            assert len(f["factores_en_palabras"].split("; ")) == 2

    def test_a_name_that_reads_as_a_formula_is_written_as_text(
        self, client, mundo, puntajes
    ):
        m = mundo.matriculas_a[1]
        m.estudiante.apellido_paterno = "=HYPERLINK(1)"
        m.estudiante.save()
        client.force_login(mundo.ugel)
        fila = next(
            f
            for f in _leer(client.get(_url(mundo.ugel_norte)))
            if f["estudiante"] == str(m.estudiante.uuid)
        )
        assert fila["apellidos_y_nombres"].startswith("'=HYPERLINK(1) ")
        assert exportar.texto_seguro("-1") == "'-1"
        assert exportar.texto_seguro("QUISPE") == "QUISPE"

    def test_5th_of_secundaria_and_bajo_are_not_in_it(self, client, mundo, puntajes):
        quinto = SeccionFactory(ie=mundo.ie_uno, nivel=Nivel.SECUNDARIA, grado=5)
        m = MatriculaFactory(seccion=quinto)
        puntuar(puntajes, {m: 0.9})
        client.force_login(mundo.ugel)
        uuids = {f["estudiante"] for f in _leer(client.get(_url(mundo.ugel_norte)))}
        assert str(m.estudiante.uuid) not in uuids
        bajo = mundo.matriculas_a[0]  # 0.05
        assert str(bajo.estudiante.uuid) not in uuids

    def test_without_a_run_it_is_the_header_alone(self, client, mundo):
        client.force_login(mundo.ugel)
        assert _leer(client.get(_url(mundo.ugel_norte))) == []

    def test_it_streams_in_batches_with_the_same_queries_for_any_size(
        self, client, mundo, puntajes, monkeypatch
    ):
        monkeypatch.setattr(filas, "LOTE", 4)
        client.force_login(mundo.ugel)

        def partes_y_consultas():
            with CaptureQueriesContext(connection) as consultas:
                r = client.get(_url(mundo.ugel_norte))
                partes = list(r.streaming_content)
            return len(partes), len(consultas)

        pocas = partes_y_consultas()
        _crecer(mundo.ugel_norte, puntajes, ies=4, estudiantes=10)
        muchas = partes_y_consultas()
        assert muchas[0] > pocas[0] > 0
        assert muchas[1] == pocas[1]

    def test_the_download_is_recorded_without_names(self, client, mundo, puntajes):
        client.force_login(mundo.ugel)
        r = client.get(_url(mundo.ugel_norte))
        b"".join(r.streaming_content)
        registro = RegistroAcceso.objects.get()
        assert (registro.usuario, registro.accion, registro.objeto) == (
            mundo.ugel,
            Accion.DESCARGAR,
            f"ugel:{mundo.ugel_norte.codigo}",
        )
        nombre = f"riesgo-ugel-{mundo.ugel_norte.codigo}-2026-alto-medio.csv"
        assert r["Content-Disposition"] == f'attachment; filename="{nombre}"'
        assert "no-store" in r["Cache-Control"]

    def test_a_csv_error_is_its_message(self, client, mundo):
        client.force_login(mundo.ugel)
        r = client.get(_url(mundo.ugel_sur), HTTP_ACCEPT="text/csv")
        assert r.status_code == 404
        assert not RegistroAcceso.objects.exists()

    def test_anonymous_gets_nothing(self, client, mundo, puntajes):
        r = client.get(_url(mundo.ugel_norte))
        assert r.status_code == 401
        assert b"QUISPE" not in r.content
        assert not RegistroAcceso.objects.exists()


@pytest.mark.django_db
def test_a_student_who_moved_ugel_is_in_the_new_ugels_list_only(
    client, mundo, puntajes
):
    estudiante = EstudianteFactory()
    dejada = MatriculaFactory(
        estudiante=estudiante,
        seccion=mundo.seccion_sur,
        situacion_final=SituacionFinal.TRASLADADO,
    )
    nueva = MatriculaFactory(estudiante=estudiante, seccion=mundo.seccion_a)
    # A run scored both before the move was imported.
    puntuar(puntajes, {dejada: 0.9, nueva: 0.9})

    def uuids(usuario, ugel) -> set[str]:
        client.force_login(usuario)
        return {f["estudiante"] for f in _leer(client.get(_url(ugel)))}

    assert str(estudiante.uuid) in uuids(mundo.ugel, mundo.ugel_norte)
    assert str(estudiante.uuid) not in uuids(mundo.ugel_otra, mundo.ugel_sur)
