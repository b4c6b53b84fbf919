"""The trainings' pages: who may open them (404 for the rest), planning a
session, the invitations by e-mail, the attendance and the access log."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alerta.models import Accion, RegistroAcceso
from capacitaciones import services
from capacitaciones.models import Capacitacion, Invitacion, Modalidad
from tests.factories import Rol, SeccionFactory, UsuarioFactory, asignar

pytestmark = pytest.mark.django_db


def _urls(mundo, sesion) -> dict[str, str]:
    codigo = mundo.ugel_norte.codigo
    return {
        "ugel": reverse("capacitaciones:ugel", args=[codigo]),
        "nueva": reverse("capacitaciones:nueva", args=[codigo])
        + f"?ies={mundo.ie_uno.pk}",
        "comparacion": reverse("capacitaciones:comparacion", args=[codigo]),
        "detalle": reverse("capacitaciones:detalle", args=[sesion.uuid]),
        "invitar": reverse("capacitaciones:invitar", args=[sesion.uuid]),
        "asistencia": reverse("capacitaciones:asistencia", args=[sesion.uuid]),
        "editar": reverse("capacitaciones:editar", args=[sesion.uuid]),
        "cancelar": reverse("capacitaciones:cancelar", args=[sesion.uuid]),
    }


LECTURA = {"ugel", "comparacion", "detalle"}
ESCRITURA = {"nueva", "invitar", "asistencia", "editar", "cancelar"}


@pytest.mark.parametrize(
    "persona", ["ugel_otra", "tutora", "director", "tutor_otra_ie"]
)
def test_it_is_404_on_every_page_outside_the_ugel(client, mundo, sesion, persona):
    client.force_login(getattr(mundo, persona))
    for nombre, url in _urls(mundo, sesion).items():
        assert client.get(url).status_code == 404, nombre
    for nombre in ESCRITURA:
        assert client.post(_urls(mundo, sesion)[nombre], {}).status_code == 404
    assert not RegistroAcceso.objects.exists()
    assert Invitacion.objects.filter(invitada__isnull=False).count() == 0


def test_last_years_people_get_404(client, mundo, sesion):
    seccion_2025 = SeccionFactory(ie=mundo.ie_uno, anio=2025, letra="Z")
    pasado = UsuarioFactory()
    asignar(pasado, Rol.TUTOR, seccion=seccion_2025)
    asignar(pasado, Rol.DIRECTOR, ie=mundo.ie_uno, anio=2025)
    client.force_login(pasado)
    for nombre, url in _urls(mundo, sesion).items():
        assert client.get(url).status_code == 404, nombre


def test_the_dre_reads_but_does_not_plan(client, mundo, sesion):
    client.force_login(mundo.dre)
    urls = _urls(mundo, sesion)
    for nombre in LECTURA:
        assert client.get(urls[nombre]).status_code == 200, nombre
    for nombre in ESCRITURA:
        assert client.get(urls[nombre]).status_code == 404, nombre
        assert client.post(urls[nombre], {}).status_code == 404, nombre
    r = client.get(urls["detalle"])
    assert urls["invitar"] not in r.content.decode()
    assert urls["asistencia"] not in r.content.decode()
    assert urls["editar"] not in r.content.decode()
    assert urls["cancelar"] not in r.content.decode()
    r = client.get(urls["ugel"])
    assert reverse("capacitaciones:nueva", args=[mundo.ugel_norte.codigo]) not in (
        r.content.decode()
    )


@pytest.mark.parametrize("persona", ["ugel", "nacional"])
def test_the_ugel_specialist_and_minedu_open_every_page(client, mundo, sesion, persona):
    client.force_login(getattr(mundo, persona))
    for nombre, url in _urls(mundo, sesion).items():
        assert client.get(url).status_code == 200, nombre


def _datos(mundo, docentes, modalidad=Modalidad.GRUPO_PEQUENO, **extra):
    return {
        "ies": [mundo.ie_uno.pk],
        "modalidad": modalidad,
        "fecha": "2026-06-10",
        "hora": "09:30",
        "lugar": "Auditorio de la UGEL",
        "enlace": "",
        "tema": "Uso de la lista de riesgo",
        "notas": "",
        "docentes": [d.pk for d in docentes],
        **extra,
    }


def test_the_specialist_plans_a_small_group(client, mundo, docentes_norte):
    client.force_login(mundo.ugel)
    url = reverse("capacitaciones:nueva", args=[mundo.ugel_norte.codigo])
    r = client.post(url, _datos(mundo, docentes_norte[:5]))
    capacitacion = Capacitacion.objects.get()
    assert r.status_code == 302
    assert r["Location"] == reverse("capacitaciones:detalle", args=[capacitacion.uuid])
    assert capacitacion.ugel == mundo.ugel_norte
    assert capacitacion.creada_por == mundo.ugel
    assert capacitacion.hora == dt.time(9, 30)
    assert set(capacitacion.invitaciones.values_list("usuario_id", "ie_id")) == {
        (d.pk, mundo.ie_uno.pk) for d in docentes_norte[:5]
    }
    assert not capacitacion.invitaciones.filter(invitada__isnull=False).exists()


def test_a_small_group_of_six_is_refused_with_the_message(
    client, mundo, docentes_norte
):
    client.force_login(mundo.ugel)
    url = reverse("capacitaciones:nueva", args=[mundo.ugel_norte.codigo])
    r = client.post(url, _datos(mundo, docentes_norte))
    assert r.status_code == 200
    assert (
        "Un grupo pequeño reúne como máximo 5 docentes; eligió 6." in r.content.decode()
    )
    assert not Capacitacion.objects.exists()


def test_the_service_refuses_six_in_a_small_group(mundo, docentes_norte):
    with pytest.raises(ValidationError) as exc:
        services.capacitacion_crear(
            ugel=mundo.ugel_norte,
            anio=2026,
            modalidad=Modalidad.GRUPO_PEQUENO,
            fecha=dt.date(2026, 6, 10),
            lugar="UGEL",
            docentes=docentes_norte,
            por=mundo.ugel,
        )
    assert exc.value.code == "grupo_pequeno"
    assert not Capacitacion.objects.exists()


def test_an_individual_session_takes_exactly_one(client, mundo, docentes_norte):
    client.force_login(mundo.ugel)
    url = reverse("capacitaciones:nueva", args=[mundo.ugel_norte.codigo])
    r = client.post(
        url, _datos(mundo, docentes_norte[:2], modalidad=Modalidad.INDIVIDUAL)
    )
    assert "Una sesión individual es para un solo docente" in r.content.decode()
    assert not Capacitacion.objects.exists()


def test_place_or_link_is_required(client, mundo, docentes_norte):
    client.force_login(mundo.ugel)
    url = reverse("capacitaciones:nueva", args=[mundo.ugel_norte.codigo])
    r = client.post(url, _datos(mundo, docentes_norte[:1], lugar=""))
    assert "Indique el lugar de la sesión o el enlace" in r.content.decode()
    assert not Capacitacion.objects.exists()
    r = client.post(
        url,
        _datos(mundo, docentes_norte[:1], lugar="", enlace="https://meet.example/x"),
    )
    assert r.status_code == 302
    assert Capacitacion.objects.get().enlace == "https://meet.example/x"


def test_a_teacher_of_another_ugel_is_never_invited(mundo):
    docente_sur = UsuarioFactory()
    asignar(docente_sur, Rol.TUTOR, seccion=mundo.seccion_sur)
    with pytest.raises(ValidationError) as exc:
        services.capacitacion_crear(
            ugel=mundo.ugel_norte,
            anio=2026,
            modalidad=Modalidad.GRUPO_PEQUENO,
            fecha=dt.date(2026, 6, 10),
            lugar="UGEL",
            docentes=[mundo.tutora, docente_sur],
            por=mundo.ugel,
        )
    assert exc.value.code == "docente_de_otra_ugel"
    assert not Capacitacion.objects.exists()


def test_last_years_tutor_is_not_a_teacher_of_the_ugel(mundo):
    pasado = UsuarioFactory()
    asignar(pasado, Rol.TUTOR, seccion=SeccionFactory(ie=mundo.ie_uno, anio=2025))
    with pytest.raises(ValidationError):
        services.capacitacion_crear(
            ugel=mundo.ugel_norte,
            anio=2026,
            modalidad=Modalidad.INDIVIDUAL,
            fecha=dt.date(2026, 6, 10),
            lugar="UGEL",
            docentes=[pasado],
            por=mundo.ugel,
        )


def test_a_teacher_of_another_ugel_posted_to_the_form_is_refused(client, mundo):
    docente_sur = UsuarioFactory()
    asignar(docente_sur, Rol.TUTOR, seccion=mundo.seccion_sur)
    client.force_login(mundo.ugel)
    url = reverse("capacitaciones:nueva", args=[mundo.ugel_norte.codigo])
    r = client.post(url, _datos(mundo, [mundo.tutora, docente_sur]))
    assert r.status_code == 200
    assert not Capacitacion.objects.exists()
    # Nor can an IE of another UGEL be chosen to list its teachers.
    r = client.get(url, {"ies": [mundo.ie_sur.pk]})
    assert r.context["form"] is None
    assert "Elija instituciones de la lista de la UGEL." in r.content.decode()


def test_the_new_session_page_lists_the_teachers_of_the_chosen_ies(client, mundo):
    mundo.tutor_otra_ie.last_name = "Quispe"
    mundo.tutor_otra_ie.save()
    mundo.tutora.last_name = "Mamani"
    mundo.tutora.save()
    client.force_login(mundo.ugel)
    url = reverse("capacitaciones:nueva", args=[mundo.ugel_norte.codigo])
    html = client.get(url, {"ies": [mundo.ie_uno.pk]}).content.decode()
    assert "Mamani" in html
    assert "Quispe" not in html
    assert "Director(a)" in html


def test_a_suggested_group_fills_the_ies(client, mundo, puntajes):
    client.force_login(mundo.ugel)
    url = reverse("capacitaciones:nueva", args=[mundo.ugel_norte.codigo])
    r = client.get(url, {"grupo": "1"})
    assert r.status_code == 200
    assert list(r.context["ies"]) == [mundo.ie_uno]
    assert r.context["form"].initial["modalidad"] == Modalidad.GRUPO_PEQUENO


def test_the_ugel_page_shows_sessions_and_the_ranking(client, mundo, sesion, puntajes):
    mundo.tutora.last_name = "Mamani"
    mundo.tutora.save()
    Invitacion.objects.filter(usuario=mundo.tutora).update(asistio=True)
    client.force_login(mundo.ugel)
    r = client.get(reverse("capacitaciones:ugel", args=[mundo.ugel_norte.codigo]))
    html = r.content.decode()
    assert reverse("capacitaciones:detalle", args=[sesion.uuid]) in html
    (s,) = r.context["pasadas"].object_list
    assert (s.invitados, s.asistentes) == (2, 1)
    # Ranked as the UGEL's page: IE Dos has no student at medio or alto,
    # so it is in no suggested group.
    assert [(ie, g) for ie, _c, g in r.context["filas"]] == [
        (mundo.ie_uno, 1),
        (mundo.ie_dos, None),
    ]
    assert "?grupo=1" in html
    # Counts only: no teacher is named, nothing recorded.
    assert mundo.tutora.last_name not in html
    assert not RegistroAcceso.objects.exists()


def test_invitations_are_mailed_once(client, mundo, sesion, mailoutbox):
    client.force_login(mundo.ugel)
    url = reverse("capacitaciones:invitar", args=[sesion.uuid])
    r = client.post(url)
    assert r.status_code == 302
    assert len(mailoutbox) == 1
    correo = mailoutbox[0]
    assert correo.to == ["tania@example.org"]
    assert "capacitación" in correo.subject
    assert "Auditorio de la UGEL" in correo.body
    assert "12 de mayo de 2026" in correo.body
    tania = Invitacion.objects.get(usuario=mundo.tutora)
    assert tania.invitada is not None
    # The director has no address: nothing sent, still to invite.
    assert Invitacion.objects.get(usuario=mundo.director).invitada is None

    # A second press sends nothing to those already invited.
    client.post(url)
    assert len(mailoutbox) == 1
    # A teacher who gets an address later is sent theirs only.
    mundo.director.email = "diego@example.org"
    mundo.director.save()
    client.post(url)
    assert [m.to for m in mailoutbox] == [["tania@example.org"], ["diego@example.org"]]
    assert Invitacion.objects.get(usuario=mundo.tutora).invitada == tania.invitada


def test_the_invitation_names_the_link_of_a_virtual_session(mundo, sesion, mailoutbox):
    sesion.lugar, sesion.enlace = "", "https://meet.example/abc"
    sesion.save()
    assert services.invitaciones_enviar(capacitacion=sesion) == (1, 1, 0)
    assert "https://meet.example/abc" in mailoutbox[0].body


def test_a_failed_e_mail_is_tried_again_on_the_next_press(
    mundo, sesion, mailoutbox, monkeypatch
):
    def falla(**kwargs):
        raise OSError("smtp caído")

    monkeypatch.setattr(services, "send_mail", falla)
    assert services.invitaciones_enviar(capacitacion=sesion) == (0, 1, 0)
    assert Invitacion.objects.get(usuario=mundo.tutora).invitada is None
    monkeypatch.undo()
    assert services.invitaciones_enviar(capacitacion=sesion) == (1, 1, 0)
    assert len(mailoutbox) == 1


# Sign-in and session, then a fixed number per page: the same with one
# session or hundreds, one IE or thousands.
def test_the_ugel_page_and_the_comparison_take_few_queries(
    client, mundo, sesion, puntajes, docentes_norte, django_assert_max_num_queries
):
    Invitacion.objects.filter(capacitacion=sesion).update(asistio=True)
    client.force_login(mundo.ugel)
    with django_assert_max_num_queries(12):
        r = client.get(reverse("capacitaciones:ugel", args=[mundo.ugel_norte.codigo]))
    assert r.status_code == 200
    with django_assert_max_num_queries(7):
        r = client.get(
            reverse("capacitaciones:comparacion", args=[mundo.ugel_norte.codigo])
        )
    assert r.status_code == 200
    with django_assert_max_num_queries(7):
        r = client.get(reverse("capacitaciones:detalle", args=[sesion.uuid]))
    assert r.status_code == 200


def test_attendance_is_saved(client, mundo, sesion):
    client.force_login(mundo.ugel)
    url = reverse("capacitaciones:asistencia", args=[sesion.uuid])
    r = client.post(url, {"asistieron": [mundo.tutora.pk]})
    assert r.status_code == 302
    asistencia = dict(
        Invitacion.objects.filter(capacitacion=sesion).values_list(
            "usuario_id", "asistio"
        )
    )
    assert asistencia == {mundo.tutora.pk: True, mundo.director.pk: False}
    # Corrected: now only the director.
    client.post(url, {"asistieron": [mundo.director.pk]})
    assert dict(
        Invitacion.objects.filter(capacitacion=sesion).values_list(
            "usuario_id", "asistio"
        )
    ) == {mundo.tutora.pk: False, mundo.director.pk: True}


def test_attendance_of_someone_not_invited_is_refused(client, mundo, sesion):
    client.force_login(mundo.ugel)
    url = reverse("capacitaciones:asistencia", args=[sesion.uuid])
    r = client.post(url, {"asistieron": [mundo.tutor_otra_ie.pk]})
    assert r.status_code == 200
    assert not Invitacion.objects.filter(asistio__isnull=False).exists()


def test_editing_keeps_the_modality_fitting_its_invitees(client, mundo, sesion):
    client.force_login(mundo.ugel)
    url = reverse("capacitaciones:editar", args=[sesion.uuid])
    datos = {
        "modalidad": Modalidad.INDIVIDUAL,
        "fecha": "2026-05-20",
        "lugar": "IE Uno",
    }
    r = client.post(url, datos)
    assert r.status_code == 200
    assert "Una sesión individual es para un solo docente" in r.content.decode()
    sesion.refresh_from_db()
    assert sesion.modalidad == Modalidad.GRUPO_PEQUENO
    r = client.post(url, {**datos, "modalidad": Modalidad.GRUPO_GRANDE})
    assert r.status_code == 302
    sesion.refresh_from_db()
    assert (sesion.modalidad, sesion.fecha, sesion.lugar) == (
        Modalidad.GRUPO_GRANDE,
        dt.date(2026, 5, 20),
        "IE Uno",
    )


class TestRegistroDeAccesos:
    def test_the_session_page_names_teachers_and_is_recorded(
        self, client, mundo, sesion
    ):
        client.force_login(mundo.dre)
        r = client.get(reverse("capacitaciones:detalle", args=[sesion.uuid]))
        assert mundo.tutora.last_name in r.content.decode()
        registro = RegistroAcceso.objects.get()
        assert (registro.usuario, registro.accion, registro.objeto) == (
            mundo.dre,
            Accion.VER_DOCENTES,
            f"capacitacion:{sesion.uuid}",
        )

    def test_the_new_session_page_records_when_it_lists_teachers(self, client, mundo):
        client.force_login(mundo.ugel)
        url = reverse("capacitaciones:nueva", args=[mundo.ugel_norte.codigo])
        assert client.get(url).status_code == 200
        assert not RegistroAcceso.objects.exists()
        assert client.get(url, {"ies": [mundo.ie_uno.pk]}).status_code == 200
        registro = RegistroAcceso.objects.get()
        assert (registro.accion, registro.objeto) == (
            Accion.VER_DOCENTES,
            f"ugel:{mundo.ugel_norte.codigo}",
        )

    def test_a_404_records_nothing(self, client, mundo, sesion):
        client.force_login(mundo.ugel_otra)
        for url in _urls(mundo, sesion).values():
            assert client.get(url).status_code == 404
        assert not RegistroAcceso.objects.exists()

    def test_sending_invitations_redirects_and_records_nothing(
        self, client, mundo, sesion
    ):
        client.force_login(mundo.ugel)
        r = client.post(reverse("capacitaciones:invitar", args=[sesion.uuid]))
        assert r.status_code == 302
        assert not RegistroAcceso.objects.exists()


def test_the_comparison_page_shows_n_table_chart_and_says_it_is_descriptive(
    client, mundo, sesion
):
    import json

    from monitoreo.models import UsoDocenteSemana

    Invitacion.objects.filter(usuario=mundo.tutora).update(asistio=True)
    # The session's week is 2026-05-11: one week of use before, two after.
    for semana, listas in (("2026-05-04", 1), ("2026-05-11", 3), ("2026-05-18", 2)):
        UsoDocenteSemana.objects.create(
            usuario=mundo.tutora,
            ie=mundo.ie_uno,
            semana=dt.date.fromisoformat(semana),
            listas=listas,
        )
    client.force_login(mundo.dre)
    r = client.get(
        reverse("capacitaciones:comparacion", args=[mundo.ugel_norte.codigo])
    )
    html = r.content.decode()
    assert "no una estimación del efecto" in html
    (fila,) = r.context["filas"]
    assert fila.capacitados_antes.n == 1
    # The director (not attended) and Tomás (IE Dos) are the untrained.
    assert fila.sin_capacitar_antes.n == 2
    assert "25,0 %" in html and "50,0 %" in html
    datos = json.loads(
        html.split('id="datos-capacitaciones" type="application/json">')[1].split(
            "</script>"
        )[0]
    )
    assert datos["etiquetas"] == ["Grupo pequeño"]
    assert [s["valores"] for s in datos["series"]] == [[25.0], [50.0], [0.0], [0.0]]
    assert "js/capacitaciones.js" in html
    assert not RegistroAcceso.objects.exists()


def test_the_invitation_page_says_who_gets_the_e_mail(client, mundo, sesion):
    mundo.tutora.last_name = "Mamani"
    mundo.tutora.save()
    mundo.director.last_name = "Huamán"
    mundo.director.save()
    client.force_login(mundo.ugel)
    r = client.get(reverse("capacitaciones:invitar", args=[sesion.uuid]))
    assert [i.usuario for i in r.context["con_correo"]] == [mundo.tutora]
    assert [i.usuario for i in r.context["sin_correo"]] == [mundo.director]
    assert "Enviar 1 invitación por correo" in r.content.decode()


def test_cancelling_tells_those_invited_and_removes_the_session(
    client, mundo, sesion, mailoutbox
):
    services.invitaciones_enviar(capacitacion=sesion)
    assert len(mailoutbox) == 1
    client.force_login(mundo.ugel)
    url = reverse("capacitaciones:cancelar", args=[sesion.uuid])
    r = client.get(url)
    assert [i.usuario for i in r.context["avisar"]] == [mundo.tutora]
    r = client.post(url)
    assert r.status_code == 302
    assert r["Location"] == reverse(
        "capacitaciones:ugel", args=[mundo.ugel_norte.codigo]
    )
    assert not Capacitacion.objects.exists()
    assert not Invitacion.objects.exists()
    assert len(mailoutbox) == 2
    assert mailoutbox[1].to == ["tania@example.org"]
    assert "canceló" in mailoutbox[1].body
    assert "12 de mayo de 2026" in mailoutbox[1].body


def test_a_session_with_attendance_is_not_cancelled(client, mundo, sesion):
    Invitacion.objects.filter(usuario=mundo.tutora).update(asistio=True)
    client.force_login(mundo.ugel)
    url = reverse("capacitaciones:cancelar", args=[sesion.uuid])
    assert (
        url
        not in client.get(
            reverse("capacitaciones:detalle", args=[sesion.uuid])
        ).content.decode()
    )
    r = client.post(url)
    assert r.status_code == 200
    assert "ya tiene asistencia registrada" in r.content.decode()
    assert Capacitacion.objects.filter(pk=sesion.pk).exists()
