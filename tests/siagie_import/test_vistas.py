"""Uploading SIAGIE files from the portal: list, detail, progress, report."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from alerta.models import Accion, InstitucionEducativa, RegistroAcceso
from siagie_import import tasks
from siagie_import.cargadores import COLUMNAS_REQUERIDAS
from siagie_import.models import EstadoImportacion, Importacion, Rechazo, TipoArchivo

from .test_importar import PADRON

LISTA = reverse("importacion:lista")
SIN_ACCESO = ["tutora", "director", "tutor_otra_ie", "ugel", "ugel_otra", "dre"]
VISTAS_CON_OBJETO = ["detalle", "progreso", "rechazos_xlsx"]

FILA_VALIDA = PADRON[0]


def padron_csv(*filas: dict) -> bytes:
    salida = io.StringIO()
    w = csv.DictWriter(salida, fieldnames=COLUMNAS_REQUERIDAS[TipoArchivo.PADRON])
    w.writeheader()
    w.writerows(filas)
    return salida.getvalue().encode()


def subir(client, nombre: str, contenido: bytes, **datos):
    datos["archivo"] = SimpleUploadedFile(nombre, contenido, content_type="text/csv")
    return client.post(LISTA, datos)


def importacion(usuario, **campos) -> Importacion:
    valores = {
        "usuario": usuario,
        "tipo": TipoArchivo.PADRON,
        "nombre_archivo": "padron_iiee.csv",
        "sha256": "0" * 64,
    }
    valores.update(campos)
    return Importacion.objects.create(**valores)


def url(nombre: str, imp: Importacion) -> str:
    return reverse(f"importacion:{nombre}", args=[imp.pk])


@pytest.mark.django_db
class TestSubir:
    def test_minedu_uploads_a_padron_and_sees_it_completed(
        self, client, mundo, django_capture_on_commit_callbacks
    ):
        client.force_login(mundo.nacional)
        with django_capture_on_commit_callbacks(execute=True):
            r = subir(client, "padron_iiee.csv", padron_csv(FILA_VALIDA))
        imp = Importacion.objects.get()
        assert r.status_code == 302
        assert r["Location"] == url("detalle", imp)
        assert imp.estado == EstadoImportacion.COMPLETADA
        assert imp.usuario == mundo.nacional
        assert (imp.filas_leidas, imp.filas_aceptadas) == (1, 1)
        assert InstitucionEducativa.objects.filter(codigo_modular="0403691").exists()
        pagina = client.get(r["Location"]).content.decode()
        assert "Completada" in pagina
        assert "<progress" not in pagina

    def test_the_task_is_queued_only_after_commit_and_with_the_id(
        self, client, mundo, django_capture_on_commit_callbacks, monkeypatch
    ):
        encoladas = []
        monkeypatch.setattr(tasks.procesar_importacion, "delay", encoladas.append)
        client.force_login(mundo.nacional)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            subir(client, "padron_iiee.csv", padron_csv(FILA_VALIDA))
        imp = Importacion.objects.get()
        assert encoladas == []
        assert imp.estado == EstadoImportacion.PENDIENTE
        assert not InstitucionEducativa.objects.filter(
            codigo_modular="0403691"
        ).exists()
        assert len(callbacks) == 1
        callbacks[0]()
        assert encoladas == [imp.pk]

    def test_nothing_is_processed_before_the_commit_callbacks_run(
        self, client, mundo, django_capture_on_commit_callbacks
    ):
        client.force_login(mundo.nacional)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            subir(client, "padron_iiee.csv", padron_csv(FILA_VALIDA))
        assert Importacion.objects.get().estado == EstadoImportacion.PENDIENTE
        for callback in callbacks:
            callback()
        assert Importacion.objects.get().estado == EstadoImportacion.COMPLETADA

    def test_a_kind_chosen_in_the_form_wins_over_an_unknown_name(
        self, client, mundo, django_capture_on_commit_callbacks
    ):
        client.force_login(mundo.nacional)
        with django_capture_on_commit_callbacks(execute=True):
            subir(client, "datos.csv", padron_csv(FILA_VALIDA), tipo="PADRON")
        imp = Importacion.objects.get()
        assert imp.tipo == TipoArchivo.PADRON
        assert imp.estado == EstadoImportacion.COMPLETADA

    def test_an_unknown_name_without_kind_is_a_spanish_form_error(
        self, client, mundo, settings, django_capture_on_commit_callbacks
    ):
        client.force_login(mundo.nacional)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            r = subir(client, "datos.csv", padron_csv(FILA_VALIDA))
        assert r.status_code == 200
        assert "No se reconoce el tipo de archivo" in r.content.decode()
        assert 'aria-invalid="true"' in r.content.decode()
        assert callbacks == []
        assert not Importacion.objects.exists()
        carpeta = settings.MEDIA_ROOT / "importaciones"
        assert not carpeta.exists() or not any(carpeta.rglob("*.csv"))

    def test_a_missing_file_is_a_spanish_form_error(self, client, mundo):
        client.force_login(mundo.nacional)
        r = client.post(LISTA, {})
        assert r.status_code == 200
        assert "Elija el archivo que desea importar." in r.content.decode()
        assert not Importacion.objects.exists()

    def test_a_file_that_is_not_csv_or_xlsx_is_refused(self, client, mundo):
        client.force_login(mundo.nacional)
        r = subir(client, "padron_iiee.pdf", b"%PDF-1.4")
        assert "Solo se aceptan archivos CSV, TXT o XLSX." in r.content.decode()
        assert not Importacion.objects.exists()

    def test_a_file_over_the_limit_is_refused_before_it_is_stored(
        self, client, mundo, settings
    ):
        settings.IMPORTACION_LIMITE_BYTES = 10
        client.force_login(mundo.nacional)
        r = subir(client, "padron_iiee.csv", padron_csv(FILA_VALIDA))
        assert "el máximo permitido es" in r.content.decode()
        assert not Importacion.objects.exists()

    def test_a_refused_file_shows_the_reason(
        self, client, mundo, django_capture_on_commit_callbacks
    ):
        client.force_login(mundo.nacional)
        with django_capture_on_commit_callbacks(execute=True):
            r = subir(client, "padron_iiee.csv", b"COD_MOD\n0403691\n")
        imp = Importacion.objects.get()
        assert imp.estado == EstadoImportacion.FALLIDA
        assert imp.mensaje
        pagina = client.get(r["Location"]).content.decode()
        assert "Fallida" in pagina
        assert escape(imp.mensaje) in pagina

    def test_bad_rows_are_shown_and_the_report_downloads(
        self, client, mundo, django_capture_on_commit_callbacks
    ):
        mala = {**FILA_VALIDA, "COD_MOD": "0403692", "GESTION": "=1+1"}
        client.force_login(mundo.nacional)
        with django_capture_on_commit_callbacks(execute=True):
            r = subir(client, "padron_iiee.csv", padron_csv(FILA_VALIDA, mala))
        imp = Importacion.objects.get()
        assert (imp.filas_aceptadas, imp.filas_rechazadas) == (1, 1)

        pagina = client.get(r["Location"]).content.decode()
        assert "Filas rechazadas" in pagina
        assert "GESTION" in pagina
        assert "=1+1" in pagina
        assert url("rechazos_xlsx", imp) in pagina
        # The report copies rejected values, which may be a name or a DNI: the
        # page says so next to its link.
        assert "puede incluir nombres o números de documento" in pagina

        descarga = client.get(url("rechazos_xlsx", imp))
        assert descarga.status_code == 200
        assert descarga["Content-Type"].startswith("application/vnd.openxmlformats")
        ws = load_workbook(io.BytesIO(b"".join(descarga.streaming_content))).active
        filas = list(ws.iter_rows(values_only=True))
        encabezado = filas.index(("Fila", "Columna", "Valor", "Motivo"))
        assert filas[encabezado + 1][:3] == (3, "GESTION", "'=1+1")
        assert ws.freeze_panes == f"A{encabezado + 2}"
        assert RegistroAcceso.objects.filter(
            usuario=mundo.nacional,
            accion=Accion.DESCARGAR,
            objeto=f"importacion:{imp.pk}",
        ).exists()


@pytest.mark.django_db
class TestDetalle:
    def test_a_pending_import_shows_a_progress_bar_with_text(self, client, mundo):
        imp = importacion(mundo.nacional)
        client.force_login(mundo.nacional)
        pagina = client.get(url("detalle", imp)).content.decode()
        assert "<progress" in pagina
        assert 'aria-describedby="avance-texto"' in pagina
        assert "En cola" in pagina
        assert "js/progreso.js" in pagina
        assert url("progreso", imp) in pagina

    def test_only_the_first_hundred_rejected_rows_are_on_the_page(self, client, mundo):
        imp = importacion(
            mundo.nacional,
            estado=EstadoImportacion.COMPLETADA,
            filas_leidas=150,
            filas_rechazadas=150,
        )
        Rechazo.objects.bulk_create(
            Rechazo(importacion=imp, fila=n, columna="ANEXO", motivo="Malo.")
            for n in range(2, 152)
        )
        client.force_login(mundo.nacional)
        r = client.get(url("detalle", imp))
        assert len(r.context["rechazos"]) == 100
        assert r.context["rechazos"][0].fila == 2
        assert "Primeras 100 de 150 filas rechazadas" in r.content.decode()

    def test_seeing_rejected_rows_is_recorded(self, client, mundo):
        imp = importacion(mundo.nacional, estado=EstadoImportacion.COMPLETADA)
        Rechazo.objects.create(importacion=imp, fila=2, columna="X", motivo="Malo.")
        client.force_login(mundo.nacional)
        client.get(url("detalle", imp))
        assert RegistroAcceso.objects.filter(
            accion=Accion.VER_LISTA, objeto=f"importacion:{imp.pk}"
        ).exists()

    def test_an_unknown_id_is_404_even_for_minedu(self, client, mundo):
        client.force_login(mundo.nacional)
        r = client.get(reverse("importacion:detalle", args=[999999]))
        assert r.status_code == 404


@pytest.mark.django_db
class TestProgreso:
    def test_it_answers_while_pending(self, client, mundo):
        imp = importacion(mundo.nacional)
        client.force_login(mundo.nacional)
        r = client.get(url("progreso", imp))
        assert r.status_code == 200
        assert r.json() == {
            "estado": "PENDIENTE",
            "estado_texto": "En cola",
            "procesadas": 0,
            "total": None,
            "porcentaje": None,
        }
        assert "no-cache" in r["Cache-Control"]

    def test_it_answers_when_completed(self, client, mundo):
        imp = importacion(
            mundo.nacional,
            estado=EstadoImportacion.COMPLETADA,
            filas_leidas=10,
            filas_aceptadas=8,
            filas_rechazadas=2,
        )
        client.force_login(mundo.nacional)
        assert client.get(url("progreso", imp)).json() == {
            "estado": "COMPLETADA",
            "estado_texto": "Completada",
            "procesadas": 10,
            "total": 10,
            "porcentaje": 100,
        }


@pytest.mark.django_db
class TestLista:
    def test_minedu_sees_the_imports_and_the_form(self, client, mundo):
        importacion(mundo.nacional, nombre_archivo="nomina_2026.csv", anio=2026)
        client.force_login(mundo.nacional)
        r = client.get(LISTA)
        pagina = r.content.decode()
        assert r.status_code == 200
        assert "nomina_2026.csv" in pagina
        assert 'enctype="multipart/form-data"' in pagina
        assert '<label for="id_archivo">' in pagina
        assert "Detectar por el nombre" in pagina

    def test_the_list_is_paginated_by_fifty(self, client, mundo):
        for n in range(51):
            importacion(mundo.nacional, nombre_archivo=f"archivo_{n}.csv")
        client.force_login(mundo.nacional)
        r = client.get(LISTA)
        assert len(r.context["pagina"].object_list) == 50
        assert len(client.get(LISTA, {"pagina": 2}).context["pagina"]) == 1

    def test_query_count_does_not_grow_with_the_imports(
        self, client, mundo, django_assert_max_num_queries
    ):
        from tests.factories import UsuarioFactory

        client.force_login(mundo.nacional)
        importacion(mundo.nacional)
        with django_assert_max_num_queries(5):
            client.get(LISTA)
        for _n in range(30):
            importacion(UsuarioFactory())
        with django_assert_max_num_queries(5):
            client.get(LISTA)

    def test_the_menu_links_to_imports_only_for_minedu(self, client, mundo):
        client.force_login(mundo.nacional)
        assert LISTA in client.get(reverse("inicio")).content.decode()
        client.force_login(mundo.dre)
        assert LISTA not in client.get(reverse("inicio")).content.decode()


@pytest.mark.django_db
class TestAcceso:
    @pytest.mark.parametrize("persona", SIN_ACCESO)
    def test_other_roles_get_404_on_the_list(self, client, mundo, persona):
        client.force_login(getattr(mundo, persona))
        assert client.get(LISTA).status_code == 404

    @pytest.mark.parametrize("persona", SIN_ACCESO)
    @pytest.mark.parametrize("vista", VISTAS_CON_OBJETO)
    def test_other_roles_get_404_on_an_import(self, client, mundo, persona, vista):
        imp = importacion(mundo.nacional, estado=EstadoImportacion.COMPLETADA)
        Rechazo.objects.create(importacion=imp, fila=2, columna="X", motivo="Malo.")
        usuario = getattr(mundo, persona)
        client.force_login(usuario)
        assert client.get(url(vista, imp)).status_code == 404
        assert not RegistroAcceso.objects.filter(usuario=usuario).exists()

    @pytest.mark.parametrize("persona", SIN_ACCESO)
    def test_other_roles_cannot_upload(self, client, mundo, persona):
        client.force_login(getattr(mundo, persona))
        r = subir(client, "padron_iiee.csv", padron_csv(FILA_VALIDA))
        assert r.status_code == 404
        assert not Importacion.objects.exists()

    @pytest.mark.parametrize("vista", VISTAS_CON_OBJETO)
    def test_anonymous_is_sent_to_login(self, client, mundo, vista):
        imp = importacion(mundo.nacional)
        for destino in (LISTA, url(vista, imp)):
            r = client.get(destino)
            assert r.status_code == 302
            assert r["Location"].startswith(reverse("login"))
