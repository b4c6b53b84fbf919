"""The pages of follow-up actions: new, correct, history, and the student's
timeline, each inside its scope and with its access-log rows."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alerta.models import Accion, RegistroAcceso
from seguimiento.models import AccionSeguimiento, TipoAccion
from tests.factories import Rol, UsuarioFactory, accion, asignar

pytestmark = pytest.mark.django_db


def url_nueva(estudiante):
    return reverse("seguimiento:accion_nueva", args=[estudiante.uuid])


def url_ficha(estudiante):
    return reverse("estudiante_detalle", args=[estudiante.uuid])


def datos(estudiante, **cambios):
    d = {
        "id": str(uuid.uuid4()),
        "estudiante": str(estudiante.uuid),
        "tipo": "tutoria_individual",
        "fecha": timezone.localdate().isoformat(),
        "estado": "REALIZADA",
        "nota": "Conversamos sobre sus tareas.",
        "factores": ["inasistencias"],
        "orientacion": "",
    }
    d.update(cambios)
    return d


@pytest.fixture
def alumno(mundo):
    return mundo.matriculas_a[0].estudiante


@pytest.fixture
def otra_tutora(mundo):
    """Another tutor of the same sección (co-tutor)."""
    u = UsuarioFactory(username="olga")
    asignar(u, Rol.TUTOR, seccion=mundo.seccion_a)
    return u


class TestNueva:
    def test_the_form_carries_the_outbox_contract(self, client, mundo, alumno):
        client.force_login(mundo.tutora)
        r = client.get(url_nueva(alumno))
        assert r.status_code == 200
        html = r.content.decode()
        assert "data-formulario-accion" in html
        assert 'data-bandeja-url="/api/v1/acciones/"' in html
        for nombre in ("id", "estudiante", "tipo", "fecha", "estado", "nota"):
            assert f'name="{nombre}"' in html
        for nombre in ("reservada", "factores", "orientacion"):
            assert f'name="{nombre}"' in html
        form = r.context["form"]
        uuid.UUID(str(form["id"].value()))
        assert str(form["estudiante"].value()) == str(alumno.uuid)
        assert form["fecha"].value() == timezone.localdate()
        assert "js/borrador_accion.js" in html
        assert "<script>" not in html

    def test_the_id_is_new_each_time_the_form_opens(self, client, mundo, alumno):
        client.force_login(mundo.tutora)
        a = client.get(url_nueva(alumno)).context["form"]["id"].value()
        b = client.get(url_nueva(alumno)).context["form"]["id"].value()
        assert a != b

    def test_post_creates_once_even_when_sent_twice(self, client, mundo, alumno):
        client.force_login(mundo.tutora)
        d = datos(alumno)
        r = client.post(url_nueva(alumno), d)
        assert r.status_code == 302
        assert r.url == url_ficha(alumno) + "#seguimiento"
        r2 = client.post(url_nueva(alumno), {**d, "nota": "Otra cosa"})
        assert r2.status_code == 302
        hechas = AccionSeguimiento.objects.filter(estudiante=alumno)
        assert hechas.count() == 1
        a = hechas.get()
        assert str(a.uuid) == d["id"]
        assert a.autor == mundo.tutora
        assert a.seccion == mundo.seccion_a
        assert a.nota == "Conversamos sobre sus tareas."
        assert a.factores == ["inasistencias"]
        assert a.tipo.codigo == "tutoria_individual"

    def test_success_message_and_draft_marker_on_the_student_page(
        self, client, mundo, alumno
    ):
        client.force_login(mundo.tutora)
        r = client.post(url_nueva(alumno), datos(alumno), follow=True)
        html = r.content.decode()
        assert "Se registró la acción." in html
        assert f'data-borrador-enviado="alerta:borrador:{alumno.uuid}"' in html
        # Only once: the next visit does not clear a new draft.
        html = client.get(url_ficha(alumno)).content.decode()
        assert "data-borrador-enviado" not in html

    def test_the_director_writes_for_any_seccion_of_the_ie(self, client, mundo):
        est = mundo.matricula_b.estudiante
        client.force_login(mundo.director)
        assert client.post(url_nueva(est), datos(est)).status_code == 302
        assert AccionSeguimiento.objects.get(estudiante=est).autor == mundo.director

    def test_invalid_values_show_the_form_again(self, client, mundo, alumno):
        client.force_login(mundo.tutora)
        manana = (timezone.localdate() + timedelta(days=1)).isoformat()
        r = client.post(url_nueva(alumno), datos(alumno, fecha=manana))
        assert r.status_code == 200
        assert "solo puede estar planificada" in r.content.decode()
        r = client.post(url_nueva(alumno), datos(alumno, nota="x" * 501))
        assert r.status_code == 200
        assert not AccionSeguimiento.objects.exists()

    def test_another_students_uuid_in_the_form_is_refused(self, client, mundo, alumno):
        otro = mundo.matriculas_a[1].estudiante
        client.force_login(mundo.tutora)
        r = client.post(url_nueva(alumno), datos(otro))
        assert r.status_code == 404
        assert not AccionSeguimiento.objects.exists()

    @pytest.mark.parametrize(
        "persona", ["ugel", "dre", "nacional", "tutor_otra_ie", "ugel_otra"]
    )
    def test_readers_and_outsiders_do_not_write(self, client, mundo, alumno, persona):
        client.force_login(getattr(mundo, persona))
        assert client.get(url_nueva(alumno)).status_code == 404
        assert client.post(url_nueva(alumno), datos(alumno)).status_code == 404
        assert not AccionSeguimiento.objects.exists()

    def test_the_tutor_does_not_write_for_another_seccion(self, client, mundo):
        est = mundo.matricula_b.estudiante
        client.force_login(mundo.tutora)
        assert client.post(url_nueva(est), datos(est)).status_code == 404

    def test_a_retired_kind_is_not_offered_nor_accepted(self, client, mundo, alumno):
        TipoAccion.objects.filter(codigo="reforzamiento").update(
            retirado_en=timezone.now()
        )
        client.force_login(mundo.tutora)
        r = client.get(url_nueva(alumno))
        codigos = [c for c, _n in r.context["form"].fields["tipo"].choices]
        assert "reforzamiento" not in codigos
        assert "tutoria_individual" in codigos
        r = client.post(url_nueva(alumno), datos(alumno, tipo="reforzamiento"))
        assert r.status_code == 200
        assert not AccionSeguimiento.objects.exists()

    def test_guidance_can_be_preselected_only_among_the_readable(
        self, client, mundo, alumno
    ):
        from orientaciones.models import Audiencia, Orientacion

        docente = Orientacion.objects.filter(
            publicada=True, audiencia=Audiencia.DOCENTE
        ).first()
        ajena = Orientacion.objects.filter(
            publicada=True, audiencia=Audiencia.ESPECIALISTA
        ).first()
        if docente is None or ajena is None:
            pytest.skip("no seeded guidance")
        client.force_login(mundo.tutora)
        r = client.get(url_nueva(alumno) + f"?orientacion={docente.pk}")
        assert r.context["form"]["orientacion"].value() == docente.pk
        r = client.get(url_nueva(alumno) + f"?orientacion={ajena.pk}")
        assert r.context["form"]["orientacion"].value() is None
        r = client.post(url_nueva(alumno), datos(alumno, orientacion=ajena.pk))
        assert r.status_code == 200
        assert not AccionSeguimiento.objects.exists()
        client.post(url_nueva(alumno), datos(alumno, orientacion=docente.pk))
        assert AccionSeguimiento.objects.get().orientacion == docente

    def test_the_access_is_logged_with_the_student_uuid(self, client, mundo, alumno):
        client.force_login(mundo.tutora)
        client.get(url_nueva(alumno))
        assert RegistroAcceso.objects.filter(
            usuario=mundo.tutora,
            accion=Accion.VER_ESTUDIANTE,
            objeto=f"estudiante:{alumno.uuid}",
        ).exists()


def url_corregir(a):
    return reverse("seguimiento:accion_corregir", args=[a.uuid])


def url_historial(a):
    return reverse("seguimiento:accion_historial", args=[a.uuid])


class TestCorregir:
    def test_the_author_corrects_within_the_window(self, client, mundo, alumno):
        a = accion(mundo.tutora, mundo.matriculas_a[0], nota="Primera")
        client.force_login(mundo.tutora)
        r = client.get(url_corregir(a))
        assert r.status_code == 200
        assert r.context["form"]["nota"].value() == "Primera"
        r = client.post(url_corregir(a), datos(alumno, id=str(a.uuid), nota="Segunda"))
        assert r.status_code == 302
        a.refresh_from_db()
        assert a.nota == "Segunda"
        assert a.versiones.count() == 2
        assert AccionSeguimiento.objects.count() == 1

    def test_after_the_window_the_author_is_told_so(
        self, client, mundo, alumno, settings
    ):
        a = accion(mundo.tutora, mundo.matriculas_a[0], nota="Primera")
        dias = settings.SEGUIMIENTO_DIAS_CORRECCION
        AccionSeguimiento.objects.filter(pk=a.pk).update(
            creada=timezone.now() - timedelta(days=dias + 1)
        )
        client.force_login(mundo.tutora)
        r = client.get(url_corregir(a))
        assert r.status_code == 200
        assert "ya venció" in r.content.decode()
        assert "form" not in r.context
        r = client.post(url_corregir(a), datos(alumno, nota="Tarde"))
        assert r.status_code == 200
        a.refresh_from_db()
        assert a.nota == "Primera"

    @pytest.mark.parametrize(
        "persona", ["director", "ugel", "dre", "nacional", "tutor_otra_ie"]
    )
    def test_nobody_else_corrects(self, client, mundo, alumno, persona):
        a = accion(mundo.tutora, mundo.matriculas_a[0], nota="Primera")
        client.force_login(getattr(mundo, persona))
        assert client.get(url_corregir(a)).status_code == 404
        r = client.post(url_corregir(a), datos(alumno, nota="Ajena"))
        assert r.status_code == 404
        a.refresh_from_db()
        assert a.nota == "Primera"

    def test_a_retired_kind_stays_on_old_actions(self, client, mundo, alumno):
        a = accion(
            mundo.tutora,
            mundo.matriculas_a[0],
            tipo=TipoAccion.objects.get(codigo="reforzamiento"),
        )
        TipoAccion.objects.filter(codigo="reforzamiento").update(
            retirado_en=timezone.now()
        )
        client.force_login(mundo.tutora)
        html = client.get(url_ficha(alumno)).content.decode()
        assert "Reforzamiento" in html
        r = client.get(url_corregir(a))
        codigos = [c for c, _n in r.context["form"].fields["tipo"].choices]
        assert "reforzamiento" in codigos
        # Kept as it was: correcting the note does not force a new kind.
        r = client.post(
            url_corregir(a), datos(alumno, tipo="reforzamiento", nota="Corregida")
        )
        assert r.status_code == 302
        a.refresh_from_db()
        assert a.nota == "Corregida" and a.tipo.codigo == "reforzamiento"

    def test_the_access_is_logged_with_the_action_uuid(self, client, mundo):
        a = accion(mundo.tutora, mundo.matriculas_a[0])
        client.force_login(mundo.tutora)
        client.get(url_corregir(a))
        client.get(url_historial(a))
        assert (
            RegistroAcceso.objects.filter(
                usuario=mundo.tutora, objeto=f"accion:{a.uuid}"
            ).count()
            == 2
        )


class TestHistorial:
    def test_each_version_with_its_author_and_changes(self, client, mundo, alumno):
        from seguimiento.services import accion_corregir

        mundo.tutora.first_name, mundo.tutora.last_name = "Tania", "Tutora"
        mundo.tutora.save()
        a = accion(mundo.tutora, mundo.matriculas_a[0], nota="Primera")
        accion_corregir(a, autor=mundo.tutora, nota="Segunda")
        client.force_login(mundo.director)
        r = client.get(url_historial(a))
        assert r.status_code == 200
        versiones = r.context["versiones"]
        assert len(versiones) == 2
        assert all(v["autor"] == mundo.tutora for v in versiones)
        # Newest first: the correction changed only the note.
        assert [c["clave"] for c in versiones[0]["cambios"]] == ["nota"]
        assert versiones[0]["cambios"][0]["valor"] == "Segunda"
        assert versiones[1]["primera"]
        html = r.content.decode()
        assert "Primera" in html and "Segunda" in html
        assert "Tania Tutora" in html
        assert mundo.tutora.username not in html

    @pytest.mark.parametrize("persona", ["tutor_otra_ie", "ugel_otra"])
    def test_outside_the_scope_is_404(self, client, mundo, persona):
        a = accion(mundo.tutora, mundo.matriculas_a[0])
        client.force_login(getattr(mundo, persona))
        assert client.get(url_historial(a)).status_code == 404
        assert not RegistroAcceso.objects.filter(objeto=f"accion:{a.uuid}").exists()

    def test_unknown_action_is_404(self, client, mundo):
        client.force_login(mundo.nacional)
        r = client.get(reverse("seguimiento:accion_historial", args=[uuid.uuid4()]))
        assert r.status_code == 404


SECRETO = "Texto reservado de prueba"


class TestNotaReservada:
    @pytest.fixture
    def reservada(self, mundo):
        mundo.tutora.first_name, mundo.tutora.last_name = "Tania", "Tutora"
        mundo.tutora.save()
        return accion(mundo.tutora, mundo.matriculas_a[0], nota=SECRETO, reservada=True)

    @pytest.mark.parametrize(
        ("persona", "lee"),
        [
            ("tutora", True),
            ("director", True),
            ("otra_tutora", False),
            ("ugel", False),
            ("dre", False),
            ("nacional", False),
        ],
    )
    def test_who_reads_the_text(
        self, client, mundo, alumno, reservada, otra_tutora, persona, lee
    ):
        user = otra_tutora if persona == "otra_tutora" else getattr(mundo, persona)
        client.force_login(user)
        ficha = client.get(url_ficha(alumno)).content.decode()
        historial = client.get(url_historial(reservada)).content.decode()
        assert (SECRETO in ficha) is lee
        assert (SECRETO in historial) is lee
        if not lee:
            assert "Nota reservada de Tania Tutora" in ficha
            assert "Nota reservada (no se muestra su texto)" in historial

    def test_a_note_reserved_later_hides_its_earlier_text(
        self, client, mundo, alumno, otra_tutora
    ):
        from seguimiento.services import accion_corregir

        a = accion(mundo.tutora, mundo.matriculas_a[0], nota=SECRETO)
        accion_corregir(a, autor=mundo.tutora, reservada=True)
        client.force_login(otra_tutora)
        assert SECRETO not in client.get(url_historial(a)).content.decode()


class TestLineaDeTiempo:
    def test_newest_first_with_state_author_and_links(self, client, mundo, alumno):
        hoy = timezone.localdate()
        vieja = accion(
            mundo.tutora,
            mundo.matriculas_a[0],
            fecha=hoy - timedelta(days=10),
            nota="La vieja",
        )
        nueva = accion(
            mundo.director,
            mundo.matriculas_a[0],
            fecha=hoy,
            estado="PLANIFICADA",
            nota="La nueva",
            factores=["inasistencias"],
        )
        client.force_login(mundo.tutora)
        r = client.get(url_ficha(alumno))
        html = r.content.decode()
        assert [i["accion"] for i in r.context["acciones"]] == [nueva, vieja]
        assert html.index("La nueva") < html.index("La vieja")
        assert "Planificada" in html and "Inasistencias" in html
        assert url_corregir(vieja) in html
        assert url_corregir(nueva) not in html  # the director's
        assert url_historial(nueva) in html
        assert url_nueva(alumno) in html

    @pytest.mark.parametrize("persona", ["ugel", "dre", "nacional"])
    def test_readers_see_the_timeline_without_the_write_button(
        self, client, mundo, alumno, persona
    ):
        accion(mundo.tutora, mundo.matriculas_a[0], nota="Visible")
        client.force_login(getattr(mundo, persona))
        html = client.get(url_ficha(alumno)).content.decode()
        assert "Visible" in html
        assert url_nueva(alumno) not in html

    def test_no_actions_says_so(self, client, mundo, alumno):
        client.force_login(mundo.tutora)
        html = client.get(url_ficha(alumno)).content.decode()
        assert "Todavía no hay acciones registradas" in html


class TestLibros:
    """The sección and IE workbooks gain the student's latest action."""

    def _filas(self, r):
        from tests.alerta.libros import libro, tabla

        wb = libro(r)
        hojas = {}
        for ws in wb.worksheets:
            try:
                _n, encabezado, filas = tabla(ws, "N.º")
            except StopIteration:
                continue
            i = encabezado.index("Última acción")
            nombre = encabezado.index("Apellidos y nombres")
            hojas[ws.title] = {f[nombre]: f[i] for f in filas}
        return hojas

    def test_latest_action_date_and_kind_or_empty(self, client, mundo, puntajes):
        from seguimiento.selectors import ultimas_acciones

        hoy = timezone.localdate()
        m0, m1 = mundo.matriculas_a[0], mundo.matriculas_a[1]
        accion(mundo.tutora, m0, fecha=hoy - timedelta(days=5))
        ultima = accion(
            mundo.director,
            m0,
            fecha=hoy,
            tipo=TipoAccion.objects.get(codigo="reforzamiento"),
        )
        accion(mundo.director, mundo.matricula_b)
        assert ultimas_acciones([m0.estudiante_id, m1.estudiante_id]) == {
            m0.estudiante_id: ultima
        }
        esperado = f"{hoy:%d/%m/%Y} · Reforzamiento"

        client.force_login(mundo.tutora)
        r = client.get(reverse("seccion_excel", args=[mundo.seccion_a.uuid]))
        (hoja,) = self._filas(r).values()
        assert hoja[m0.estudiante.nombre_completo] == esperado
        assert hoja[m1.estudiante.nombre_completo] in (None, "")

        client.force_login(mundo.director)
        r = client.get(reverse("ie_excel", args=[mundo.ie_uno.codigo]))
        hojas = self._filas(r)
        celdas = {k: v for h in hojas.values() for k, v in h.items()}
        assert celdas[m0.estudiante.nombre_completo] == esperado
        assert celdas[mundo.matricula_b.estudiante.nombre_completo].endswith(
            "Llamada o visita a la familia"
        )

    def test_one_query_for_many_students(self, mundo, django_assert_num_queries):
        from seguimiento.selectors import ultimas_acciones

        for m in mundo.matriculas_a:
            accion(mundo.tutora, m)
        ids = [m.estudiante_id for m in mundo.matriculas_a]
        with django_assert_num_queries(1):
            assert set(ultimas_acciones(ids)) == set(ids)
