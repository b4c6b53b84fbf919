"""The xlsx report of an import's rejected rows."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from alerta.models import Accion, RegistroAcceso
from siagie_import.models import EstadoImportacion, Importacion, Rechazo, TipoArchivo
from siagie_import.reporte import libro_rechazos, nombre_reporte

ENCABEZADO = ("Fila", "Columna", "Valor", "Motivo")


@pytest.fixture
def importacion(mundo) -> Importacion:
    imp = Importacion.objects.create(
        usuario=mundo.nacional,
        tipo=TipoArchivo.NOMINA,
        anio=2026,
        nombre_archivo="nomina_2026.csv",
        sha256="0" * 64,
        estado=EstadoImportacion.COMPLETADA,
        filas_leidas=5,
        filas_aceptadas=2,
        filas_rechazadas=3,
    )
    Rechazo.objects.bulk_create(
        [
            Rechazo(
                importacion=imp,
                fila=7,
                columna="NOMBRES",
                valor="=1+1",
                motivo="Falta un valor obligatorio.",
            ),
            Rechazo(
                importacion=imp,
                fila=3,
                columna="FECHA_NACIMIENTO",
                valor="31/02/2017",
                motivo="No es una fecha válida.",
            ),
            Rechazo(
                importacion=imp,
                fila=5,
                columna="SEXO",
                valor="X\x07\x1b",
                motivo="Valor no reconocido.",
            ),
        ]
    )
    return imp


def hoja(imp: Importacion):
    return load_workbook(libro_rechazos(imp)).active


def tabla(ws) -> tuple[int, list[tuple]]:
    """(row number of the header, rows after it)."""
    filas = list(ws.iter_rows(values_only=True))
    i = filas.index(ENCABEZADO)
    return i + 1, filas[i + 1 :]


def bloque(ws) -> dict:
    """The front block: label -> value, the rows above the table."""
    filas = list(ws.iter_rows(values_only=True))
    return {f[0]: f[1] for f in filas[: filas.index(ENCABEZADO)] if f[0]}


@pytest.mark.django_db
class TestLibroRechazos:
    def test_it_starts_with_what_was_imported_by_whom(self, importacion):
        ws = hoja(importacion)
        frente = bloque(ws)
        assert frente["Archivo"] == "nomina_2026.csv"
        assert frente["Tipo de archivo"] == "Nómina de matrícula"
        assert frente["Año escolar"] == 2026
        assert frente["Importado por"] == "Nombre Apellido"
        assert frente["Fecha de importación"]
        assert frente["Filas leídas"] == 5
        assert frente["Filas rechazadas"] == 3

    def test_it_lists_the_rows_in_file_order(self, importacion):
        _n, filas = tabla(hoja(importacion))
        assert [f[0] for f in filas] == [3, 5, 7]
        assert filas[0] == (
            3,
            "FECHA_NACIMIENTO",
            "31/02/2017",
            "No es una fecha válida.",
        )

    def test_the_header_is_bold_frozen_and_filtered(self, importacion):
        ws = hoja(importacion)
        n, filas = tabla(ws)
        assert all(ws.cell(row=n, column=c).font.b for c in range(1, 5))
        assert ws.freeze_panes == f"A{n + 1}"
        assert ws.auto_filter.ref == f"A{n}:D{n + len(filas)}"
        assert ws.column_dimensions["D"].width >= 40

    def test_a_value_that_looks_like_a_formula_comes_back_as_text(self, importacion):
        _n, filas = tabla(hoja(importacion))
        assert filas[-1][2] == "'=1+1"

    def test_control_characters_that_xlsx_forbids_are_dropped(self, importacion):
        _n, filas = tabla(hoja(importacion))
        assert filas[1][2] == "X"

    def test_an_import_without_rejections_still_gives_a_valid_sheet(self, mundo):
        imp = Importacion.objects.create(
            tipo=TipoArchivo.PADRON, nombre_archivo="padron_iiee.csv", sha256="0"
        )
        ws = hoja(imp)
        n, filas = tabla(ws)
        assert filas == []
        assert ws.auto_filter.ref == f"A{n}:D{n}"
        assert bloque(ws)["Importado por"] == "—"

    def test_a_large_report_is_complete_and_in_order(self, importacion):
        # More rows than one database chunk (5,000): the iterator crosses chunks.
        Rechazo.objects.bulk_create(
            (
                Rechazo(importacion=importacion, fila=n, columna="ANEXO", motivo="M.")
                for n in range(100, 12_100)
            ),
            batch_size=2000,
        )
        _n, filas = tabla(hoja(importacion))
        assert len(filas) == 12_003
        assert [f[0] for f in filas] == sorted(f[0] for f in filas)

    def test_the_file_name_says_which_import_not_what_it_holds(self, importacion):
        assert nombre_reporte(importacion) == (
            f"rechazos-{importacion.pk}-nomina-2026.xlsx"
        )


@pytest.mark.django_db
class TestDescarga:
    def url(self, imp: Importacion) -> str:
        return reverse("importacion:rechazos_xlsx", args=[imp.pk])

    def test_minedu_downloads_it_and_the_download_is_recorded(
        self, client, mundo, importacion
    ):
        client.force_login(mundo.nacional)
        r = client.get(self.url(importacion))
        assert r.status_code == 200
        assert r["Content-Type"].startswith("application/vnd.openxmlformats")
        assert r["Content-Disposition"] == (
            f'attachment; filename="rechazos-{importacion.pk}-nomina-2026.xlsx"'
        )
        ws = load_workbook(BytesIO(b"".join(r.streaming_content))).active
        assert len(tabla(ws)[1]) == 3
        assert (
            RegistroAcceso.objects.filter(
                usuario=mundo.nacional,
                accion=Accion.DESCARGAR,
                objeto=f"importacion:{importacion.pk}",
            ).count()
            == 1
        )

    def test_a_superuser_may_download_it(self, client, mundo, importacion):
        from tests.factories import UsuarioFactory

        admin = UsuarioFactory(is_superuser=True, is_staff=True)
        client.force_login(admin)
        assert client.get(self.url(importacion)).status_code == 200

    @pytest.mark.parametrize("persona", ["tutora", "director", "ugel", "dre"])
    def test_specialists_and_schools_get_404_and_nothing_is_recorded(
        self, client, mundo, importacion, persona
    ):
        usuario = getattr(mundo, persona)
        client.force_login(usuario)
        assert client.get(self.url(importacion)).status_code == 404
        assert not RegistroAcceso.objects.filter(usuario=usuario).exists()
