import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alerta import xlsx
from alerta.models import Accion, Area, RegistroAcceso, Rol
from riesgo.models import Puntaje

from ..factories import (
    IEFactory,
    MatriculaFactory,
    SeccionFactory,
    UsuarioFactory,
    asignar,
)
from .ejecuciones import puntuar
from .libros import bloque as _bloque
from .libros import libro as _libro
from .libros import tabla as _tabla

RESUMEN = "Resumen por IE"
NOMINAL_ENCABEZADO = [
    "Código modular",
    "Institución educativa",
    "Sección",
    "Apellidos y nombres",
    "Nivel de riesgo",
    "Probabilidad estimada (%)",
    "Qué eleva su riesgo",
]


def _nominales(wb) -> list:
    return [
        fila
        for nombre in wb.sheetnames[1:]
        for fila in _tabla(wb[nombre], "Código modular")[2]
    ]


def _crecer(ugel, ejecucion, ies: int, estudiantes: int) -> None:
    """More IEs (each with a sección, a tutor and scored students) in the UGEL."""
    for _i in range(ies):
        seccion = SeccionFactory(ie=IEFactory(ugel=ugel, area=Area.RURAL))
        asignar(UsuarioFactory(), Rol.TUTOR, seccion=seccion)
        matriculas = MatriculaFactory.create_batch(estudiantes, seccion=seccion)
        puntuar(
            ejecucion,
            {m: (j % 10) / 10 for j, m in enumerate(matriculas)},
            factor_1="inasistencias",
        )


@pytest.mark.django_db
class TestUgelExcel:
    def url(self, ugel):
        return reverse("ugel_excel", args=[ugel.codigo])

    def test_it_has_a_summary_per_ie_then_the_nominal_sheet(
        self, client, mundo, puntajes
    ):
        client.force_login(mundo.ugel)
        wb = _libro(client.get(self.url(mundo.ugel_norte)))
        assert wb.sheetnames == [RESUMEN, "Nominal"]

    def test_the_summary_counts_match_the_scores(self, client, mundo, puntajes):
        client.force_login(mundo.ugel)
        ws = _libro(client.get(self.url(mundo.ugel_norte)))[RESUMEN]
        _n, encabezado, filas = _tabla(ws, "Código modular")
        assert list(encabezado) == [
            "Código modular",
            "Anexo",
            "Institución educativa",
            "Distrito",
            "Área",
            "Gestión",
            "Estudiantes",
            "Alto",
            "Medio",
            "Bajo",
            "Sin puntaje",
            "5.º de secundaria: sin riesgo calculado",
            "% alto + medio",
        ]
        # IE Uno: 0.05, 0.6, 0.2 and 0.4 (bajo, alto, medio, alto); IE Dos: 0.01.
        # Most students at alto + medio first. IE Sur is another UGEL's.
        uno, dos = mundo.ie_uno, mundo.ie_dos
        assert filas == [
            (uno.codigo_modular, 0, "IE UNO", "Cusco", "Urbana", "Pública")
            + (4, 2, 1, 1, 0, 0, 75.0),
            (dos.codigo_modular, 0, "IE DOS", "Cusco", "Urbana", "Pública")
            + (1, 0, 0, 1, 0, 0, 0.0),
        ]
        total = next(f for f in ws.iter_rows(values_only=True) if f[0] == "Total")
        assert total[6:] == (5, 2, 1, 2, 0, 0, 60.0)

    def test_the_nominal_sheet_lists_only_alto_and_medio_of_the_ugel(
        self, client, mundo, puntajes
    ):
        Puntaje.objects.filter(ejecucion=puntajes, probabilidad=0.6).update(
            factor_1="extraedad", factor_2="trabajo_infantil"
        )
        client.force_login(mundo.ugel)
        ws = _libro(client.get(self.url(mundo.ugel_norte)))["Nominal"]
        _n, encabezado, filas = _tabla(ws, "Código modular")
        assert list(encabezado) == NOMINAL_ENCABEZADO
        a = mundo.matriculas_a
        assert filas == [
            (
                mundo.ie_uno.codigo,
                "IE UNO",
                "3.º de primaria A",
                a[1].estudiante.nombre_completo,
                "Alto",
                60.0,
                "Tiene más edad de la esperada para su grado; Trabaja mientras estudia",
            ),
            (
                mundo.ie_uno.codigo,
                "IE UNO",
                "3.º de primaria A",
                a[2].estudiante.nombre_completo,
                "Medio",
                20.0,
                None,
            ),
            (
                mundo.ie_uno.codigo,
                "IE UNO",
                "3.º de primaria B",
                mundo.matricula_b.estudiante.nombre_completo,
                "Alto",
                40.0,
                None,
            ),
        ]

    def test_the_front_block_says_which_scores_and_who_downloaded(
        self, client, mundo, puntajes
    ):
        mundo.ugel.first_name, mundo.ugel.last_name = "Úrsula", "Ramos"
        mundo.ugel.save()
        client.force_login(mundo.ugel)
        wb = _libro(client.get(self.url(mundo.ugel_norte)))
        for ws in wb.worksheets:
            bloque = _bloque(ws)
            assert bloque["UGEL"] == f"UGEL NORTE ({mundo.ugel_norte.codigo})"
            assert bloque["Año escolar"] == 2026
            assert bloque["Puntajes"].startswith("modelo v1, calculados el ")
            assert str(puntajes.inicio.year) in bloque["Puntajes"]
            assert bloque["Descargado por"].startswith("Úrsula Ramos, ")

    def test_headers_are_styled_frozen_and_filtered(self, client, mundo, puntajes):
        client.force_login(mundo.ugel)
        wb = _libro(client.get(self.url(mundo.ugel_norte)))
        for ws in wb.worksheets:
            n, encabezado, filas = _tabla(ws, "Código modular")
            celda = ws.cell(row=n, column=2)
            assert celda.font.bold
            assert celda.font.color.rgb.endswith("FFFFFF")
            assert celda.fill.fgColor.rgb.endswith("1F4E79")
            assert ws.freeze_panes == f"A{n + 1}"
            ultima = chr(ord("A") + len(encabezado) - 1)
            assert ws.auto_filter.ref == f"A{n}:{ultima}{n + len(filas)}"

    def test_levels_are_coloured(self, client, mundo, puntajes):
        client.force_login(mundo.ugel)
        wb = _libro(client.get(self.url(mundo.ugel_norte)))
        ws = wb["Nominal"]
        n = _tabla(ws, "Código modular")[0]
        colores = [ws.cell(row=n + i, column=5).fill.fgColor.rgb for i in (1, 2, 3)]
        assert [c[-6:] for c in colores] == ["F28C28", "FFD93D", "F28C28"]
        resumen = wb[RESUMEN]
        n = _tabla(resumen, "Código modular")[0]
        colores = [
            resumen.cell(row=n + 1, column=c).fill.fgColor.rgb for c in (8, 9, 10)
        ]
        assert [c[-6:] for c in colores] == ["F28C28", "FFD93D", "6BCB77"]

    def test_text_that_looks_like_a_formula_is_neutralised(
        self, client, mundo, puntajes
    ):
        alto = mundo.matriculas_a[1].estudiante
        alto.apellido_paterno = '=HYPERLINK("http://x","y")'
        alto.save()
        medio = mundo.matriculas_a[2].estudiante
        medio.apellido_paterno, medio.apellido_materno = "+1", ""
        medio.save()
        mundo.ie_dos.nombre = "-2+3"
        mundo.ie_dos.save()
        client.force_login(mundo.ugel)
        wb = _libro(client.get(self.url(mundo.ugel_norte)))
        nombres = [f[3] for f in _tabla(wb["Nominal"], "Código modular")[2]]
        assert nombres[0].startswith("'=HYPERLINK(")
        assert nombres[1].startswith("'+1, ")
        ies = [f[2] for f in _tabla(wb[RESUMEN], "Código modular")[2]]
        assert "'-2+3" in ies
        for ws in wb.worksheets:
            for fila in ws.iter_rows():
                assert all(c.data_type != "f" for c in fila)

    def test_the_nominal_list_goes_on_to_a_new_sheet_before_the_row_limit(
        self, client, mundo, puntajes, monkeypatch
    ):
        client.force_login(mundo.ugel)
        completa = _nominales(_libro(client.get(self.url(mundo.ugel_norte))))
        # The nominal sheets' table starts on row 10: two rows fit under 11.
        monkeypatch.setattr(xlsx, "FILAS_POR_HOJA", 11)
        wb = _libro(client.get(self.url(mundo.ugel_norte)))
        assert wb.sheetnames == [RESUMEN, "Nominal", "Nominal 2"]
        assert [len(_tabla(wb[h], "Código modular")[2]) for h in wb.sheetnames[1:]] == [
            2,
            1,
        ]
        assert _nominales(wb) == completa
        for nombre in wb.sheetnames[1:]:
            ws = wb[nombre]
            n, _e, filas = _tabla(ws, "Código modular")
            assert ws.max_row <= 11
            assert ws.freeze_panes == f"A{n + 1}"
            assert ws.auto_filter.ref == f"A{n}:G{n + len(filas)}"
            assert _bloque(ws)["Descargado por"]

        monkeypatch.setattr(xlsx, "FILAS_POR_HOJA", 10)
        wb = _libro(client.get(self.url(mundo.ugel_norte)))
        assert wb.sheetnames == [RESUMEN, "Nominal", "Nominal 2", "Nominal 3"]
        assert _nominales(wb) == completa

    def test_download_is_recorded(self, client, mundo, puntajes):
        client.force_login(mundo.ugel)
        client.get(self.url(mundo.ugel_norte))
        registro = RegistroAcceso.objects.get(usuario=mundo.ugel)
        assert registro.accion == Accion.DESCARGAR
        assert registro.objeto == f"ugel:{mundo.ugel_norte.codigo}"

    def test_filename_names_the_ugel(self, client, mundo, puntajes):
        client.force_login(mundo.ugel)
        disposicion = client.get(self.url(mundo.ugel_norte))["Content-Disposition"]
        assert f"riesgo-ugel-{mundo.ugel_norte.codigo}-2026.xlsx" in disposicion

    @pytest.mark.parametrize("persona", ["tutora", "director", "ugel_otra"])
    def test_someone_outside_the_ugel_gets_404_and_nothing_is_recorded(
        self, client, mundo, puntajes, persona
    ):
        usuario = getattr(mundo, persona)
        client.force_login(usuario)
        assert client.get(self.url(mundo.ugel_norte)).status_code == 404
        assert not RegistroAcceso.objects.filter(usuario=usuario).exists()

    def test_the_dre_specialist_downloads_a_ugel_of_the_region(
        self, client, mundo, puntajes
    ):
        client.force_login(mundo.dre)
        wb = _libro(client.get(self.url(mundo.ugel_sur)))
        _n, _e, filas = _tabla(wb[RESUMEN], "Código modular")
        assert [f[2] for f in filas] == ["IE SUR"]
        assert _nominales(wb) == []

    def test_without_scores_the_nominal_sheet_is_empty(self, client, mundo):
        client.force_login(mundo.ugel)
        wb = _libro(client.get(self.url(mundo.ugel_norte)))
        assert _bloque(wb[RESUMEN])["Puntajes"] == "sin puntajes"
        _n, _e, filas = _tabla(wb[RESUMEN], "Código modular")
        # Without scores, no IE ranks above another: by name.
        assert [f[2:3] + f[6:] for f in filas] == [
            ("IE DOS", 1, 0, 0, 0, 1, 0, None),
            ("IE UNO", 4, 0, 0, 0, 4, 0, None),
        ]
        assert wb.sheetnames == [RESUMEN, "Nominal"]
        assert _nominales(wb) == []

    def test_queries_do_not_grow_with_ies_or_students(
        self, client, mundo, puntajes, django_assert_max_num_queries
    ):
        client.force_login(mundo.ugel)
        with CaptureQueriesContext(connection) as pocas:
            _libro(client.get(self.url(mundo.ugel_norte)))
        _crecer(mundo.ugel_norte, puntajes, ies=5, estudiantes=20)
        with django_assert_max_num_queries(len(pocas)):
            wb = _libro(client.get(self.url(mundo.ugel_norte)))
        assert len(_tabla(wb[RESUMEN], "Código modular")[2]) == 2 + 5
        # Per IE, 0.1 to 0.9 are alto or medio (cut-off 0.1): 18 of 20.
        assert len(_nominales(wb)) == 3 + 5 * 18
