import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alerta.models import Accion, Nivel, RegistroAcceso, Rol
from alerta.xlsx import Libro
from riesgo.models import Puntaje

from ..factories import MatriculaFactory, SeccionFactory, UsuarioFactory, asignar
from .ejecuciones import puntuar
from .libros import bloque as _bloque
from .libros import libro as _libro
from .libros import tabla as _tabla

SECCION_A = "3.º de primaria A"
SECCION_B = "3.º de primaria B"


def _crecer(ie, ejecucion, secciones: int, estudiantes: int) -> None:
    """More secciones (each with a tutor) and students, all scored."""
    for i in range(secciones):
        seccion = SeccionFactory(ie=ie, nivel=Nivel.SECUNDARIA, grado=1, letra=f"X{i}")
        asignar(UsuarioFactory(), Rol.TUTOR, seccion=seccion)
        matriculas = MatriculaFactory.create_batch(estudiantes, seccion=seccion)
        puntuar(
            ejecucion,
            {m: (j % 10) / 10 for j, m in enumerate(matriculas)},
            factor_1="extraedad",
        )


@pytest.mark.django_db
class TestIeExcel:
    def url(self, ie):
        return reverse("ie_excel", args=[ie.codigo])

    def test_it_has_a_summary_then_one_sheet_per_seccion(self, client, mundo, puntajes):
        client.force_login(mundo.director)
        wb = _libro(client.get(self.url(mundo.ie_uno)))
        assert wb.sheetnames == [
            "Resumen",
            "Seguimiento por sección",
            SECCION_A,
            SECCION_B,
        ]

    def test_the_summary_counts_match_the_scores(self, client, mundo, puntajes):
        client.force_login(mundo.director)
        ws = _libro(client.get(self.url(mundo.ie_uno)))["Resumen"]
        _n, encabezado, filas = _tabla(ws, "Nivel")
        assert list(encabezado) == [
            "Nivel",
            "Grado",
            "Sección",
            "Estudiantes",
            "Alto",
            "Medio",
            "Bajo",
            "Sin puntaje",
            "5.º de secundaria: sin riesgo calculado",
            "% alto + medio",
            "Tutor(es)",
        ]
        # Sección A: 0.05 bajo, 0.6 alto, 0.2 medio; B: 0.4 alto. Tania tutors A.
        assert filas == [
            ("Primaria", "3.º", "A", 3, 1, 1, 1, 0, 0, 66.7, "Nombre Apellido"),
            ("Primaria", "3.º", "B", 1, 1, 0, 0, 0, 0, 100.0, None),
        ]
        total = next(f for f in ws.iter_rows(values_only=True) if f[0] == "Total")
        assert total[3:10] == (4, 2, 1, 1, 0, 0, 75.0)

    def test_a_student_without_a_score_is_counted_apart(self, client, mundo, puntajes):
        MatriculaFactory(seccion=mundo.seccion_b)
        client.force_login(mundo.director)
        wb = _libro(client.get(self.url(mundo.ie_uno)))
        _n, _e, filas = _tabla(wb["Resumen"], "Nivel")
        assert filas[1][3:10] == (2, 1, 0, 0, 1, 0, 100.0)
        _n, _e, nominal = _tabla(wb[SECCION_B], "N.º")
        assert [f[2] for f in nominal] == ["Alto", "Sin puntaje"]

    def test_each_seccion_sheet_lists_its_own_students_like_the_classroom_one(
        self, client, mundo, puntajes
    ):
        Puntaje.objects.filter(ejecucion=puntajes, probabilidad=0.6).update(
            factor_1="extraedad", factor_2="trabajo_infantil"
        )
        client.force_login(mundo.director)
        wb = _libro(client.get(self.url(mundo.ie_uno)))
        _n, encabezado, filas_a = _tabla(wb[SECCION_A], "N.º")
        assert list(encabezado) == [
            "N.º",
            "Apellidos y nombres",
            "Nivel de riesgo",
            "Probabilidad estimada (%)",
            "Situación de matrícula",
            "Qué eleva su riesgo",
            "Registro del mes",
            "Última acción",
        ]
        assert [f[2] for f in filas_a] == ["Alto", "Medio", "Bajo"]
        assert [f[3] for f in filas_a] == [60.0, 20.0, 5.0]
        assert filas_a[0][5] == (
            "Tiene más edad de la esperada para su grado; Trabaja mientras estudia"
        )
        nombres_a = {m.estudiante.nombre_completo for m in mundo.matriculas_a}
        assert {f[1] for f in filas_a} == nombres_a
        _n, _e, filas_b = _tabla(wb[SECCION_B], "N.º")
        assert [f[1] for f in filas_b] == [mundo.matricula_b.estudiante.nombre_completo]

    def test_a_seccion_without_students_gets_an_empty_sheet(
        self, client, mundo, puntajes
    ):
        SeccionFactory(ie=mundo.ie_uno, nivel=Nivel.INICIAL, grado=4, letra="A")
        client.force_login(mundo.director)
        wb = _libro(client.get(self.url(mundo.ie_uno)))
        assert wb.sheetnames == [
            "Resumen",
            "Seguimiento por sección",
            "4 años (inicial) A",
            SECCION_A,
            SECCION_B,
        ]
        assert _tabla(wb["4 años (inicial) A"], "N.º")[2] == []
        assert len(_tabla(wb[SECCION_A], "N.º")[2]) == 3

    def test_the_front_block_says_which_scores_and_who_downloaded(
        self, client, mundo, puntajes
    ):
        mundo.director.first_name, mundo.director.last_name = "Diego", "Vargas"
        mundo.director.save()
        client.force_login(mundo.director)
        wb = _libro(client.get(self.url(mundo.ie_uno)))
        for ws in wb.worksheets:
            bloque = _bloque(ws)
            assert bloque["Institución educativa"] == str(mundo.ie_uno)
            assert bloque["Puntajes"].startswith("modelo v1, calculados el ")
            assert str(puntajes.inicio.year) in bloque["Puntajes"]
            assert bloque["Descargado por"].startswith("Diego Vargas, ")
        assert _bloque(wb["Resumen"])["Año escolar"] == 2026

    def test_headers_are_styled_frozen_and_filtered(self, client, mundo, puntajes):
        client.force_login(mundo.director)
        wb = _libro(client.get(self.url(mundo.ie_uno)))
        for ws, primera in [(wb["Resumen"], "Nivel"), (wb[SECCION_A], "N.º")]:
            n, encabezado, filas = _tabla(ws, primera)
            celda = ws.cell(row=n, column=1)
            assert celda.font.bold
            assert celda.font.color.rgb.endswith("FFFFFF")
            assert celda.fill.fgColor.rgb.endswith("1F4E79")
            assert ws.freeze_panes == f"A{n + 1}"
            ultima = chr(ord("A") + len(encabezado) - 1)
            assert ws.auto_filter.ref == f"A{n}:{ultima}{n + len(filas)}"

    def test_levels_are_coloured(self, client, mundo, puntajes):
        client.force_login(mundo.director)
        wb = _libro(client.get(self.url(mundo.ie_uno)))
        ws = wb[SECCION_A]
        n = _tabla(ws, "N.º")[0]
        colores = [ws.cell(row=n + i, column=3).fill.fgColor.rgb for i in (1, 2, 3)]
        assert [c[-6:] for c in colores] == ["F28C28", "FFD93D", "6BCB77"]
        resumen = wb["Resumen"]
        n = _tabla(resumen, "Nivel")[0]
        colores = [
            resumen.cell(row=n + 1, column=c).fill.fgColor.rgb for c in (5, 6, 7)
        ]
        assert [c[-6:] for c in colores] == ["F28C28", "FFD93D", "6BCB77"]

    def test_text_that_looks_like_a_formula_is_neutralised(
        self, client, mundo, puntajes
    ):
        uno, dos = (m.estudiante for m in mundo.matriculas_a[:2])
        uno.apellido_paterno = '=HYPERLINK("http://x","y")'
        uno.save()
        dos.apellido_paterno, dos.apellido_materno = "+1", ""
        dos.save()
        tania = mundo.tutora
        tania.first_name, tania.last_name = "@SUM(A1)", ""
        tania.save()
        client.force_login(mundo.director)
        wb = _libro(client.get(self.url(mundo.ie_uno)))
        nombres = [f[1] for f in _tabla(wb[SECCION_A], "N.º")[2]]
        assert any(n.startswith("'=HYPERLINK(") for n in nombres)
        assert any(n.startswith("'+1, ") for n in nombres)
        assert not any(n.startswith(("=", "+")) for n in nombres)
        tutores = _tabla(wb["Resumen"], "Nivel")[2][0][10]
        assert tutores == "'@SUM(A1)"
        for ws in wb.worksheets:
            for fila in ws.iter_rows():
                assert all(c.data_type != "f" for c in fila)

    def test_download_is_recorded(self, client, mundo, puntajes):
        client.force_login(mundo.director)
        client.get(self.url(mundo.ie_uno))
        registro = RegistroAcceso.objects.get(usuario=mundo.director)
        assert registro.accion == Accion.DESCARGAR
        assert registro.objeto == f"ie:{mundo.ie_uno.codigo}"

    def test_filename_names_the_ie_not_its_students(self, client, mundo, puntajes):
        client.force_login(mundo.director)
        disposicion = client.get(self.url(mundo.ie_uno))["Content-Disposition"]
        assert f"riesgo-{mundo.ie_uno.codigo}-2026.xlsx" in disposicion
        for m in mundo.matriculas_a:
            assert m.estudiante.apellido_paterno.lower() not in disposicion.lower()

    @pytest.mark.parametrize("persona", ["tutora", "tutor_otra_ie", "ugel_otra"])
    def test_someone_outside_the_ie_gets_404_and_nothing_is_recorded(
        self, client, mundo, puntajes, persona
    ):
        usuario = getattr(mundo, persona)
        client.force_login(usuario)
        assert client.get(self.url(mundo.ie_uno)).status_code == 404
        assert not RegistroAcceso.objects.filter(usuario=usuario).exists()

    def test_director_of_another_ie_gets_404(self, client, mundo, puntajes):
        otro = UsuarioFactory()
        asignar(otro, Rol.DIRECTOR, ie=mundo.ie_dos, anio=2026)
        client.force_login(otro)
        assert client.get(self.url(mundo.ie_uno)).status_code == 404
        assert client.get(self.url(mundo.ie_dos)).status_code == 200

    def test_a_malformed_code_is_404(self, client, mundo, puntajes):
        client.force_login(mundo.nacional)
        r = client.get(reverse("ie_excel", args=[mundo.ie_uno.codigo_modular]))
        assert r.status_code == 404

    def test_without_scores_every_student_is_listed_without_a_level(
        self, client, mundo
    ):
        client.force_login(mundo.director)
        wb = _libro(client.get(self.url(mundo.ie_uno)))
        assert _bloque(wb["Resumen"])["Puntajes"] == "sin puntajes"
        _n, _e, filas = _tabla(wb["Resumen"], "Nivel")
        assert [f[3:10] for f in filas] == [
            (3, 0, 0, 0, 3, 0, None),
            (1, 0, 0, 0, 1, 0, None),
        ]
        assert {f[2] for f in _tabla(wb[SECCION_A], "N.º")[2]} == {"Sin puntaje"}

    def test_queries_do_not_grow_with_secciones_or_students(
        self, client, mundo, puntajes, django_assert_max_num_queries
    ):
        client.force_login(mundo.director)
        with CaptureQueriesContext(connection) as pocas:
            _libro(client.get(self.url(mundo.ie_uno)))
        _crecer(mundo.ie_uno, puntajes, secciones=4, estudiantes=15)
        with django_assert_max_num_queries(len(pocas)):
            wb = _libro(client.get(self.url(mundo.ie_uno)))
        assert len(wb.sheetnames) == 1 + 1 + 2 + 4
        assert len(_tabla(wb["1.º de secundaria X3"], "N.º")[2]) == 15


class TestNombresDeHoja:
    def libro(self, db, mundo):
        return Libro()

    def test_forbidden_characters_and_apostrophes_are_replaced(self, db, mundo):
        libro = self.libro(db, mundo)
        assert libro.nombre_de_hoja("3.º A/B: [x]*?\\") == "3.º A-B- -x----"
        assert libro.nombre_de_hoja("'=1'") == "=1"

    def test_names_are_unique_and_at_most_31_characters(self, db, mundo):
        libro = self.libro(db, mundo)
        largo = "5.º de secundaria " + "ABCDEFGHIJKLMNOP"
        primero = libro.nombre_de_hoja(largo)
        segundo = libro.nombre_de_hoja(largo)
        assert primero == largo[:31]
        assert segundo.endswith(" (2)")
        assert len(segundo) <= 31
        assert libro.nombre_de_hoja("resumen") == "resumen"
        assert libro.nombre_de_hoja("Resumen") == "Resumen (2)"
        assert libro.nombre_de_hoja("History") == "History (2)"
