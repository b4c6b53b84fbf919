from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from alerta.models import Accion, RegistroAcceso
from alerta.xlsx import texto_seguro


def _libro(r):
    return load_workbook(
        BytesIO(b"".join(r.streaming_content) if r.streaming else r.content)
    )


def _tabla(ws):
    filas = list(ws.iter_rows(values_only=True))
    inicio = next(i for i, f in enumerate(filas) if f and f[0] == "N.º")
    return filas[inicio], filas[inicio + 1 :], inicio + 1


@pytest.mark.django_db
class TestSeccionExcel:
    def url(self, seccion):
        return reverse("seccion_excel", args=[seccion.uuid])

    def test_tutor_downloads_her_list_with_levels_coloured(
        self, client, mundo, puntajes
    ):
        client.force_login(mundo.tutora)
        r = client.get(self.url(mundo.seccion_a))
        assert r.status_code == 200
        assert r["Content-Type"].startswith("application/vnd.openxmlformats")
        ws = _libro(r).active
        encabezado, filas, fila_encabezado = _tabla(ws)
        assert encabezado[2] == "Nivel de riesgo"
        assert [f[2] for f in filas] == ["Alto", "Medio", "Bajo"]
        celda_alto = ws.cell(row=fila_encabezado + 1, column=3)
        assert celda_alto.fill.fgColor.rgb.endswith("F28C28")
        assert ws.freeze_panes == f"A{fila_encabezado + 1}"
        assert ws.auto_filter.ref.startswith(f"A{fila_encabezado}")

    def test_the_factors_are_in_words(self, client, mundo, puntajes):
        from riesgo.models import Puntaje

        Puntaje.objects.filter(ejecucion=puntajes, probabilidad=0.6).update(
            factor_1="extraedad", factor_2="trabajo_infantil"
        )
        client.force_login(mundo.tutora)
        encabezado, filas, _ = _tabla(
            _libro(client.get(self.url(mundo.seccion_a))).active
        )
        assert encabezado[5] == "Qué eleva su riesgo"
        assert filas[0][5] == (
            "Tiene más edad de la esperada para su grado; Trabaja mientras estudia"
        )
        assert filas[1][5] in ("", None)

    def test_filename_carries_no_student_data(self, client, mundo, puntajes):
        client.force_login(mundo.tutora)
        r = client.get(self.url(mundo.seccion_a))
        disposicion = r["Content-Disposition"]
        for m in mundo.matriculas_a:
            assert m.estudiante.apellido_paterno.lower() not in disposicion.lower()
            assert m.estudiante.numero_documento not in disposicion

    def test_download_is_recorded(self, client, mundo, puntajes):
        client.force_login(mundo.tutora)
        client.get(self.url(mundo.seccion_a))
        assert (
            RegistroAcceso.objects.filter(
                usuario=mundo.tutora, accion=Accion.DESCARGAR
            ).count()
            == 1
        )

    def test_tutor_of_other_ie_gets_404_and_nothing_is_recorded(
        self, client, mundo, puntajes
    ):
        client.force_login(mundo.tutor_otra_ie)
        assert client.get(self.url(mundo.seccion_a)).status_code == 404
        assert not RegistroAcceso.objects.filter(usuario=mundo.tutor_otra_ie).exists()

    def test_a_name_that_looks_like_a_formula_is_stored_as_text(
        self, client, mundo, puntajes
    ):
        estudiante = mundo.matriculas_a[0].estudiante
        estudiante.apellido_paterno = '=HYPERLINK("http://x","y")'
        estudiante.save()
        client.force_login(mundo.tutora)
        ws = _libro(client.get(self.url(mundo.seccion_a))).active
        _e, filas, _n = _tabla(ws)
        nombres = [f[1] for f in filas]
        assert all(not n.startswith("=") for n in nombres)
        assert any(n.startswith("'=HYPERLINK") for n in nombres)

    def test_the_front_block_says_which_scores_and_who_downloaded(
        self, client, mundo, puntajes
    ):
        mundo.tutora.first_name, mundo.tutora.last_name = "Tania", "Quispe"
        mundo.tutora.save()
        client.force_login(mundo.tutora)
        ws = _libro(client.get(self.url(mundo.seccion_a))).active
        bloque = {}
        for etiqueta, valor, *_resto in ws.iter_rows(values_only=True):
            if etiqueta is None:
                break
            bloque[etiqueta] = valor
        assert bloque["Institución educativa"] == str(mundo.ie_uno)
        assert bloque["Sección"] == "3.º de primaria A — 2026"
        assert bloque["Puntajes"].startswith("modelo v1, calculados el ")
        assert bloque["Descargado por"].startswith("Tania Quispe, ")

    def test_the_header_is_styled_and_columns_have_widths(
        self, client, mundo, puntajes
    ):
        client.force_login(mundo.tutora)
        ws = _libro(client.get(self.url(mundo.seccion_a))).active
        assert ws.title == "3.º de primaria A"
        _e, filas, fila_encabezado = _tabla(ws)
        celda = ws.cell(row=fila_encabezado, column=2)
        assert celda.font.bold
        assert celda.fill.fgColor.rgb.endswith("1F4E79")
        # Through H: "Registro del mes" and "Última acción" (seguimiento).
        assert ws.auto_filter.ref == f"A{fila_encabezado}:H{fila_encabezado + 3}"
        # Widths in characters; the file stores them with the padding Excel adds
        # to a column (under one character).
        assert ws.column_dimensions["B"].width == pytest.approx(45, abs=1)
        assert ws.column_dimensions["F"].width == pytest.approx(60, abs=1)


@pytest.mark.parametrize("valor", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_texto_seguro_neutralises_formula_prefixes(valor):
    assert texto_seguro(valor) == "'" + valor


def test_texto_seguro_leaves_plain_text_and_numbers():
    assert texto_seguro("QUISPE MAMANI, ANA") == "QUISPE MAMANI, ANA"
    assert texto_seguro(12.5) == 12.5


def test_texto_seguro_drops_characters_xlsx_cannot_hold():
    assert texto_seguro("ANA\x00\x07 LUZ") == "ANA LUZ"
    assert texto_seguro("\x01=1+1") == "'=1+1"
