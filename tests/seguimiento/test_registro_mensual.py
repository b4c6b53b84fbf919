"""The monthly contact record screen, and what the sección's list shows of
follow-up (last action, this month's record, the 30-day filter)."""

import uuid
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alerta.models import Accion, RegistroAcceso
from seguimiento import resumen
from seguimiento.models import EstadoAccion, RegistroMensual
from seguimiento.services import mes_actual
from seguimiento.views_registro import meses_del_anio
from tests.factories import MatriculaFactory, accion, registro_mensual

pytestmark = pytest.mark.django_db


def _url(seccion, mes=None) -> str:
    url = reverse("seguimiento:registro-mensual", args=[seccion.uuid])
    return f"{url}?mes={mes}" if mes else url


def _mes() -> str:
    return mes_actual().strftime("%Y-%m")


class TestPantalla:
    @pytest.mark.parametrize(
        ("persona", "estado"),
        [
            ("tutora", 200),
            ("director", 200),
            ("tutor_otra_ie", 404),
            ("ugel", 404),
            ("ugel_otra", 404),
            ("dre", 404),
            ("nacional", 404),
        ],
    )
    def test_only_the_tutor_and_the_director_open_it(
        self, client, mundo, persona, estado
    ):
        client.force_login(getattr(mundo, persona))
        assert client.get(_url(mundo.seccion_a)).status_code == estado

    def test_the_tutor_does_not_open_another_seccion(self, client, mundo):
        client.force_login(mundo.tutora)
        assert client.get(_url(mundo.seccion_b)).status_code == 404
        assert (
            client.get(
                _url(mundo.seccion_a).replace(
                    str(mundo.seccion_a.uuid), str(uuid.uuid4())
                )
            ).status_code
            == 404
        )

    def test_opening_it_is_recorded_and_a_404_is_not(self, client, mundo):
        client.force_login(mundo.tutora)
        client.get(_url(mundo.seccion_a))
        client.get(_url(mundo.seccion_b))
        fila = RegistroAcceso.objects.get(usuario=mundo.tutora)
        assert (fila.accion, fila.objeto) == (
            Accion.VER_LISTA,
            f"seccion:{mundo.seccion_a.uuid}",
        )

    def test_one_card_per_current_student_in_alphabetical_order_with_defaults(
        self, client, mundo, puntajes
    ):
        client.force_login(mundo.tutora)
        r = client.get(_url(mundo.seccion_a))
        filas = r.context["filas"]
        assert [f.estudiante for f in filas] == sorted(
            (m.estudiante for m in mundo.matriculas_a),
            key=lambda e: (e.apellido_paterno, e.apellido_materno, e.nombres),
        )
        # Nothing answered yet; the defaults a "Sí" takes: in class, follows.
        assert {(f.contactado, f.medio, f.sigue_clases) for f in filas} == {
            ("", "PRESENCIAL", "SI")
        }
        html = r.content.decode()
        assert html.count('class="registro-fila"') == 3
        assert "Marcar a todos como contactados en clase" in html
        assert "Guardar todo" in html
        assert "nivel-alto" in html  # the risk badge of the one at alto

    def test_a_saved_row_shows_as_saved_with_its_id_and_values(self, client, mundo):
        hecho = registro_mensual(
            mundo.director,
            mundo.matriculas_a[0],
            contactado=True,
            medio="LLAMADA",
            sigue_clases="EN_PARTE",
        )
        client.force_login(mundo.tutora)
        r = client.get(_url(mundo.seccion_a))
        html = r.content.decode()
        assert f'data-uuid="{hecho.uuid}"' in html
        assert "registro-fila guardado" in html
        assert f"Guardado ({mundo.director.get_full_name()})" in html
        (fila,) = [f for f in r.context["filas"] if f.registro]
        assert (fila.contactado, fila.medio, fila.sigue_clases) == (
            "si",
            "LLAMADA",
            "EN_PARTE",
        )
        assert r.context["hechos"] == 1

    def test_a_student_who_left_is_not_listed(self, client, mundo):
        from alerta.models import SituacionFinal

        MatriculaFactory(
            seccion=mundo.seccion_a, situacion_final=SituacionFinal.TRASLADADO
        )
        client.force_login(mundo.tutora)
        assert len(client.get(_url(mundo.seccion_a)).context["filas"]) == 3

    def test_the_months_are_those_of_the_school_year_up_to_now(self, mundo):
        meses = meses_del_anio(mundo.seccion_a)
        assert meses[0] == mes_actual()
        assert meses[-1] == date(mundo.seccion_a.anio, 3, 1)
        assert all(m <= mes_actual() for m in meses)

    def test_another_month_is_chosen_by_its_parameter(self, client, mundo):
        pasado = meses_del_anio(mundo.seccion_a)[-1]
        registro_mensual(mundo.tutora, mundo.matriculas_a[0], mes=pasado)
        client.force_login(mundo.tutora)
        r = client.get(_url(mundo.seccion_a, pasado.strftime("%Y-%m")))
        assert r.context["mes"] == pasado
        assert r.context["hechos"] == 1
        # A month outside the year (or nonsense) shows this month.
        r = client.get(_url(mundo.seccion_a, "2999-01"))
        assert r.context["mes"] == mes_actual()
        assert r.context["hechos"] == 0


class TestSinJavascript:
    def _datos(self, mundo, filas: dict) -> dict:
        datos = {"mes": _mes()}
        for matricula, (c, m, s) in filas.items():
            clave = matricula.estudiante.uuid
            datos[f"c-{clave}"] = c
            datos[f"m-{clave}"] = m
            datos[f"s-{clave}"] = s
            datos[f"id-{clave}"] = str(uuid.uuid4())
        return datos

    def test_save_all_stores_each_answered_row_through_the_service(self, client, mundo):
        a, b, c = mundo.matriculas_a
        client.force_login(mundo.tutora)
        datos = self._datos(
            mundo,
            {a: ("si", "VISITA", "SI"), b: ("no", "LLAMADA", "NO"), c: ("", "", "")},
        )
        r = client.post(_url(mundo.seccion_a), datos)
        assert r.status_code == 302
        assert r["Location"] == _url(mundo.seccion_a, _mes())
        guardados = {
            r.estudiante_id: r for r in RegistroMensual.objects.filter(mes=mes_actual())
        }
        assert set(guardados) == {a.estudiante_id, b.estudiante_id}
        ra = guardados[a.estudiante_id]
        assert (ra.contactado, ra.medio, ra.sigue_clases) == (True, "VISITA", "SI")
        assert str(ra.uuid) == datos[f"id-{a.estudiante.uuid}"]
        rb = guardados[b.estudiante_id]
        # Not reached: by no means, whatever the form's select said.
        assert (rb.contactado, rb.medio, rb.sigue_clases) == (False, "", "NO")
        assert rb.autor == mundo.tutora and rb.seccion == mundo.seccion_a
        r = client.get(r["Location"])
        assert "Se guardaron 2 registros." in r.content.decode()

    def test_posting_twice_stores_once(self, client, mundo):
        a = mundo.matriculas_a[0]
        client.force_login(mundo.tutora)
        datos = self._datos(mundo, {a: ("si", "PRESENCIAL", "SI")})
        client.post(_url(mundo.seccion_a), datos)
        datos[f"s-{a.estudiante.uuid}"] = "EN_PARTE"
        client.post(_url(mundo.seccion_a), datos)
        assert RegistroMensual.objects.get().sigue_clases == "EN_PARTE"

    def test_a_row_recorded_elsewhere_meanwhile_is_kept_and_said(self, client, mundo):
        a = mundo.matriculas_a[0]
        client.force_login(mundo.tutora)
        datos = self._datos(mundo, {a: ("no", "", "NO")})
        registro_mensual(mundo.director, a)  # written on another device
        r = client.post(_url(mundo.seccion_a), datos, follow=True)
        assert RegistroMensual.objects.get().contactado is True
        assert "ya registrado por" in r.content.decode()

    def test_an_unchanged_row_is_not_written_again(self, client, mundo):
        a = mundo.matriculas_a[0]
        hecho = registro_mensual(mundo.director, a)
        client.force_login(mundo.tutora)
        datos = self._datos(mundo, {a: ("si", "PRESENCIAL", "SI")})
        datos[f"id-{a.estudiante.uuid}"] = str(hecho.uuid)
        r = client.post(_url(mundo.seccion_a), datos, follow=True)
        assert RegistroMensual.objects.get().autor == mundo.director
        assert "No había cambios que guardar." in r.content.decode()

    @pytest.mark.parametrize("persona", ["tutor_otra_ie", "ugel", "nacional"])
    def test_out_of_scope_post_is_404_and_stores_nothing(self, client, mundo, persona):
        client.force_login(getattr(mundo, persona))
        datos = self._datos(mundo, {mundo.matriculas_a[0]: ("si", "PRESENCIAL", "SI")})
        assert client.post(_url(mundo.seccion_a), datos).status_code == 404
        assert not RegistroMensual.objects.exists()


class TestListaDeLaSeccion:
    def _url(self, seccion) -> str:
        return reverse("seccion_detalle", args=[seccion.uuid])

    def test_the_columns_show_last_action_and_this_months_record(
        self, client, mundo, puntajes
    ):
        a, b, _c = mundo.matriculas_a
        hace_dias = timezone.localdate() - timedelta(days=3)
        accion(mundo.tutora, a, fecha=hace_dias - timedelta(days=10))
        accion(mundo.tutora, a, fecha=hace_dias)
        registro_mensual(mundo.tutora, b)
        client.force_login(mundo.tutora)
        r = client.get(self._url(mundo.seccion_a))
        html = r.content.decode()
        assert "Última acción" in html and "Registro del mes" in html
        assert hace_dias.strftime("%d/%m/%Y") in html
        assert html.count("✓ hecho") == 1
        assert html.count(">pendiente<") == 2
        assert r.context["seguimiento"][a.estudiante_id] == (hace_dias, False)
        assert r.context["seguimiento"][b.estudiante_id] == (None, True)

    def test_the_link_to_the_record_is_for_those_who_write(
        self, client, mundo, puntajes
    ):
        enlace = _url(mundo.seccion_a)
        for persona, lo_ve in [("tutora", True), ("director", True), ("ugel", False)]:
            client.force_login(getattr(mundo, persona))
            html = client.get(self._url(mundo.seccion_a)).content.decode()
            assert (enlace in html) is lo_ve, persona

    def test_the_filter_keeps_alto_or_medio_without_an_action_in_30_days(
        self, client, mundo, puntajes
    ):
        # matriculas_a: bajo (0.05), alto (0.6), medio (0.2).
        _bajo, alto, medio = mundo.matriculas_a
        accion(mundo.tutora, alto, fecha=timezone.localdate() - timedelta(days=5))
        client.force_login(mundo.tutora)
        r = client.get(self._url(mundo.seccion_a), {"seguimiento": "sin_accion"})
        assert [f.estudiante_id for f in r.context["filas"]] == [medio.estudiante_id]
        assert "Alto o medio sin acción en 30 días" in r.content.decode()

    def test_an_old_or_only_planned_action_does_not_count(self, mundo, puntajes):
        _bajo, alto, medio = mundo.matriculas_a
        accion(mundo.tutora, alto, fecha=timezone.localdate() - timedelta(days=31))
        accion(
            mundo.tutora,
            medio,
            fecha=timezone.localdate() + timedelta(days=2),
            estado=EstadoAccion.PLANIFICADA,
        )
        from alerta.models import Matricula
        from riesgo import selectors

        filas = selectors.filas_de_matriculas(
            Matricula.objects.filter(seccion=mundo.seccion_a), puntajes
        ).filter(resumen.q_alto_o_medio_sin_accion())
        assert {f.estudiante_id for f in filas} == {
            alto.estudiante_id,
            medio.estudiante_id,
        }
        datos = resumen.por_estudiante(
            [alto.estudiante_id, medio.estudiante_id], mes_actual()
        )
        assert datos[alto.estudiante_id][0] == (
            timezone.localdate() - timedelta(days=31)
        )
        assert datos[medio.estudiante_id] == (None, False)


class TestLibros:
    def test_seccion_and_ie_workbooks_show_this_months_record(
        self, client, mundo, puntajes
    ):
        from tests.alerta.libros import libro, tabla

        # matriculas_a: bajo (0.05), alto (0.6), medio (0.2); riskiest first.
        bajo, alto, _medio = mundo.matriculas_a
        registro_mensual(mundo.tutora, alto, contactado=True)
        registro_mensual(mundo.tutora, bajo, contactado=False, medio="")
        # Last month's record is not this month's.
        anterior = meses_del_anio(mundo.seccion_a)[1]
        registro_mensual(mundo.tutora, _medio, mes=anterior)
        esperado = ["contactado", "pendiente", "no contactado"]

        client.force_login(mundo.tutora)
        r = client.get(reverse("seccion_excel", args=[mundo.seccion_a.uuid]))
        _n, encabezado, filas = tabla(libro(r).active, "N.º")
        columna = encabezado.index("Registro del mes")
        assert [f[columna] for f in filas] == esperado

        client.force_login(mundo.director)
        r = client.get(reverse("ie_excel", args=[mundo.ie_uno.codigo]))
        wb = libro(r)
        _n, _e, filas = tabla(wb[str(mundo.seccion_a)], "N.º")
        assert [f[columna] for f in filas] == esperado
        _n, _e, filas_b = tabla(wb[str(mundo.seccion_b)], "N.º")
        assert [f[columna] for f in filas_b] == ["pendiente"]
