import json
import re
import uuid

import pytest
from django.urls import reverse

from alerta.models import (
    Accion,
    Nivel,
    RegistroAcceso,
    Rol,
    SituacionFinal,
    SituacionMatricula,
)
from riesgo.models import EstadoEjecucion, Puntaje
from tests.factories import MatriculaFactory, SeccionFactory, UsuarioFactory, asignar

from .ejecuciones import ejecucion_con


def url(estudiante) -> str:
    return reverse("estudiante_detalle", args=[estudiante.uuid])


@pytest.fixture
def riesgosa(mundo, puntajes):
    """The riskiest student of sección A (0.6 in the fixture run: alto), with
    factors, a past year in IE Dos and two earlier runs of her history."""
    m = mundo.matriculas_a[1]
    Puntaje.objects.filter(ejecucion=puntajes, matricula=m).update(
        factor_1="inasistencias", factor_2="contexto_escuela"
    )
    anterior = MatriculaFactory(
        estudiante=m.estudiante,
        seccion=SeccionFactory(ie=mundo.ie_dos, anio=2025, grado=2, letra="C"),
        situacion_matricula=SituacionMatricula.INGRESANTE,
        situacion_final=SituacionFinal.APROBADO,
    )
    return m, anterior


@pytest.mark.django_db
class TestEstudianteDetalle:
    def test_tutor_sees_name_seccion_level_probability_and_meaning(
        self, client, mundo, riesgosa
    ):
        m, _ = riesgosa
        client.force_login(mundo.tutora)
        r = client.get(url(m.estudiante))
        assert r.status_code == 200
        html = r.content.decode()
        assert m.estudiante.nombre_completo in html
        assert str(mundo.seccion_a) in html and mundo.ie_uno.rotulo in html
        assert "nivel-alto" in html and "Alto" in html and "▲" in html
        assert "60\xa0%" in html
        # Without stored sentences, the meaning comes from the cut-offs (30 %).
        assert r.context["ficha"].significado == [
            "Riesgo alto (naranja): la probabilidad estimada de no matricularse el "
            "año siguiente es de 30\xa0% o más."
        ]
        assert "Riesgo alto (naranja): la probabilidad estimada" in html

    def test_the_models_sentence_about_the_students_level_is_shown(
        self, client, mundo, riesgosa, puntajes
    ):
        modelo = puntajes.modelo
        modelo.metricas = {
            "en_palabras": [
                "En el año de validación, 5 de cada 100 estudiantes no se "
                "matricularon al año siguiente.",
                "De cada 100 estudiantes en riesgo alto, 21 no se matricularon al "
                "año siguiente.",
                "De cada 100 estudiantes en riesgo medio, 8 no se matricularon al "
                "año siguiente.",
            ]
        }
        modelo.save()
        client.force_login(mundo.tutora)
        r = client.get(url(riesgosa[0].estudiante))
        significado = r.context["ficha"].significado
        assert len(significado) == 2
        assert significado[1].startswith("De cada 100 estudiantes en riesgo alto")
        assert "riesgo medio, 8" not in r.content.decode()

    def test_factors_are_phrases_linked_to_the_guidance(self, client, mundo, riesgosa):
        client.force_login(mundo.tutora)
        r = client.get(url(riesgosa[0].estudiante))
        factores = r.context["ficha"].factores
        assert [f.codigo for f in factores] == ["inasistencias", "contexto_escuela"]
        html = r.content.decode()
        assert "Falta a clases con frecuencia" in html
        assert "factor=inasistencias" in factores[0].url
        assert "nivel=PRIMARIA" in factores[0].url
        assert f'href="{factores[0].url.replace("&", "&amp;")}"' in html
        # The school's context is not the student's doing, but it has guidance too.
        assert "factor=contexto_escuela" in factores[1].url
        assert f'href="{factores[1].url.replace("&", "&amp;")}"' in html

    def test_the_history_of_levels_feeds_a_chart_and_a_table(
        self, client, mundo, riesgosa, puntajes
    ):
        m, _ = riesgosa
        # Runs after the fixture's (alto): medio, medio, then bajo; a failed
        # run and another student's run never enter the history.
        ejecucion_con({m: 0.2}, dias_despues=1, base=puntajes)
        ejecucion_con({m: 0.15}, dias_despues=2, base=puntajes)
        ejecucion_con(
            {m: 0.9}, dias_despues=3, base=puntajes, estado=EstadoEjecucion.FALLIDA
        )
        ejecucion_con({mundo.matriculas_a[0]: 0.9}, dias_despues=4, base=puntajes)
        ejecucion_con({m: 0.05}, dias_despues=5, base=puntajes)
        ejecucion_con({mundo.matriculas_a[0]: 0.9}, dias_despues=6, base=puntajes)
        client.force_login(mundo.tutora)
        r = client.get(url(m.estudiante))
        ficha = r.context["ficha"]
        assert [(t.nivel, t.ejecuciones) for t in ficha.tramos] == [
            ("ALTO", 1),
            ("MEDIO", 2),
            ("BAJO", 1),
        ]
        html = r.content.decode()
        datos = json.loads(
            re.search(r'id="datos-historial"[^>]*>(.*?)</script>', html).group(1)
        )
        assert datos["valores"] == [3, 2, 1]
        assert datos["niveles"] == {"1": "Bajo", "2": "Medio", "3": "Alto"}
        assert 'id="tabla-historial"' in html
        assert "vendor/chartjs/chart.umd.min.js" in html
        assert "js/historial_riesgo.js" in html
        # The latest run did not score her: no current level, history kept.
        assert ficha.nivel is None

    def test_the_chart_library_is_not_loaded_by_the_lists(
        self, client, mundo, riesgosa
    ):
        client.force_login(mundo.director)
        for pagina in (
            reverse("seccion_detalle", args=[mundo.seccion_a.uuid]),
            reverse("ie_detalle", args=[mundo.ie_uno.codigo]),
        ):
            assert "chart.umd.min.js" not in client.get(pagina).content.decode()

    def test_every_enrollment_shows_even_in_another_ie(self, client, mundo, riesgosa):
        m, anterior = riesgosa
        client.force_login(mundo.tutora)
        r = client.get(url(m.estudiante))
        assert [x.pk for x in r.context["ficha"].matriculas] == [m.pk, anterior.pk]
        assert r.context["ficha"].matricula_actual == m
        html = r.content.decode()
        assert mundo.ie_dos.rotulo in html
        assert "Ingresante" in html and "Aprobado" in html and "Promovido" in html

    def test_nothing_about_other_students_shows(self, client, mundo, riesgosa):
        client.force_login(mundo.director)
        html = client.get(url(riesgosa[0].estudiante)).content.decode()
        for otra in (mundo.matriculas_a[0], mundo.matriculas_a[2], mundo.matricula_b):
            assert otra.estudiante.nombre_completo not in html
            assert str(otra.estudiante.uuid) not in html

    def test_the_view_is_recorded_by_uuid(self, client, mundo, riesgosa):
        m, _ = riesgosa
        client.force_login(mundo.ugel)
        client.get(url(m.estudiante))
        registro = RegistroAcceso.objects.get(usuario=mundo.ugel)
        assert registro.accion == Accion.VER_ESTUDIANTE
        assert registro.objeto == f"estudiante:{m.estudiante.uuid}"

    def test_a_student_without_scores_shows_as_unscored(self, client, mundo):
        client.force_login(mundo.tutora)
        r = client.get(url(mundo.matriculas_a[0].estudiante))
        assert r.status_code == 200
        html = r.content.decode()
        assert "Sin puntaje" in html
        assert "datos-historial" not in html and "chart.umd.min.js" not in html

    def test_tutor_of_other_ie_gets_404(self, client, mundo, riesgosa):
        client.force_login(mundo.tutor_otra_ie)
        assert client.get(url(riesgosa[0].estudiante)).status_code == 404

    def test_ugel_specialist_of_other_ugel_gets_404(self, client, mundo, riesgosa):
        client.force_login(mundo.ugel_otra)
        assert client.get(url(riesgosa[0].estudiante)).status_code == 404

    def test_tutor_gets_404_for_a_student_of_another_seccion(
        self, client, mundo, puntajes
    ):
        client.force_login(mundo.tutora)
        assert client.get(url(mundo.matricula_b.estudiante)).status_code == 404

    def test_director_of_other_ie_gets_404(self, client, mundo, puntajes):
        otro = UsuarioFactory()
        asignar(otro, Rol.DIRECTOR, ie=mundo.ie_dos, anio=2026)
        client.force_login(otro)
        assert client.get(url(mundo.matriculas_a[0].estudiante)).status_code == 404

    def test_a_guessed_uuid_is_404_and_records_nothing(self, client, mundo):
        client.force_login(mundo.nacional)
        r = client.get(reverse("estudiante_detalle", args=[uuid.uuid4()]))
        assert r.status_code == 404
        assert not RegistroAcceso.objects.exists()

    def test_query_count_does_not_grow_with_history(
        self, client, mundo, riesgosa, puntajes, django_assert_max_num_queries
    ):
        m, _ = riesgosa
        client.force_login(mundo.tutora)
        with django_assert_max_num_queries(12) as corto:
            client.get(url(m.estudiante))
        for i in range(1, 15):
            ejecucion_con({m: 0.05 * i}, dias_despues=i, base=puntajes)
        for anio in (2022, 2023, 2024):
            MatriculaFactory(
                estudiante=m.estudiante,
                seccion=SeccionFactory(
                    ie=mundo.ie_uno, anio=anio, nivel=Nivel.PRIMARIA, grado=1
                ),
            )
        with django_assert_max_num_queries(len(corto)):
            r = client.get(url(m.estudiante))
        assert len(r.context["ficha"].matriculas) == 5
