"""The access log: every view that shows personal data writes it, nobody can
forge it, and it is kept for the retention period only."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from alerta.auditoria import registros_acceso_purgar
from alerta.models import Accion, RegistroAcceso
from alerta.tasks import purgar_registros_acceso
from monitoreo.calculo import uso_calcular
from tests.factories import UsuarioFactory, accion

# Every view that shows no personal data of students or teachers, and why.
# A new view must be added here or carry `registra_acceso`.
SIN_DATOS_PERSONALES = {
    "inicio": "counts per sección or IE, and the user's own name",
    "login": "sign-in form",
    "logout": "signs out",
    "primer_ingreso": "the user's own password form",
    "primer_ingreso_hecho": "a confirmation",
    "clave_olvidada": "asks for an e-mail address",
    "clave_olvidada_enviada": "a confirmation",
    "clave_restablecer": "the user's own password form",
    "clave_restablecida": "a confirmation",
    "clave_cambiar": "the user's own password form",
    "clave_cambiada": "a confirmation",
    "ie_tutor_nuevo": "a blank form; its result shows on the tutores page",
    "ugel_detalle": "aggregates per IE",
    "ugel_capacitaciones": "aggregates per IE",
    "dre_detalle": "aggregates per UGEL",
    "nacional": "aggregates per DRE",
    "orientaciones:lista": "guidance texts",
    "orientaciones:detalle": "guidance texts",
    "importacion:lista": "files and the Minedu staff who uploaded them",
    "importacion:progreso": "counts of rows",
    "importacion:reintentar": "queues an import again; answers with a redirect",
    "modelos:lista": "model versions and their metrics",
    "modelos:detalle": "a model version and the Minedu staff who trained it",
    "modelos:entrenar": "starts a training",
    "modelos:publicar": "publishes a version",
    "modelos:retirar": "withdraws a version",
    "modelos:restaurar": "restores a version",
    "salud": "liveness probe",
    "api:seccion-list": "secciones with counts",
    "api:seccion-detail": "a sección with counts",
    "api:ie-list": "IEs with counts",
    "api:ie-detail": "an IE with counts",
    "api:ugel-list": "UGELs with counts",
    "api:ugel-detail": "a UGEL's counts, in total and by grado",
    "api:dre-list": "DREs with counts",
    "api:dre-detail": "a DRE's counts, in total and by grado",
    "api:nacional": "the country's counts",
    "api:orientacion-list": "guidance texts",
    "api:orientacion-detail": "guidance texts",
    "api:modelo-list": "model versions and their metrics",
    "api:modelo-detail": "a model version",
    "api:importacion-list": "files and row counts (rejected rows: the page)",
    "api:importacion-detail": "a file and its row counts",
    "api:schema": "the API's description",
    "api:docs": "the API's documentation page",
    "tokens": "the user's own API tokens (names, prefixes, dates)",
    "token_revocar": "revokes one of the user's tokens; answers with a redirect",
    "avisos:preferencias": "the user's own e-mail preferences (one checkbox)",
    "api:yo": "the caller's own username, name and roles",
    "service_worker": "the offline script, the same text for everyone",
    "manifest": "the web app manifest: the portal's name and icons",
    "monitoreo:ugel": "use aggregates per IE and per week",
    "monitoreo:dre": "use aggregates per UGEL and per week",
    "monitoreo:nacional": "use aggregates per DRE and per week",
    "capacitaciones:ugel": "sessions with counts, and aggregates per IE",
    "capacitaciones:comparacion": "means of use per group of teachers",
    "capacitaciones:editar": "a session's date, place and topic",
    "resultados:nacional": "outcome aggregates per DRE and per group",
    "resultados:nacional_libro": "outcome aggregates per DRE and per group",
    "resultados:dre": "outcome aggregates per UGEL and per group",
    "resultados:dre_libro": "outcome aggregates per UGEL and per group",
    "resultados:ugel": "outcome aggregates per IE and per group",
    "resultados:ugel_libro": "outcome aggregates per IE and per group",
    "resultados:calcular": "queues the outcome report; answers with a redirect",
    "pilotos:lista": "evaluations' names and states",
    "pilotos:nueva": "a design form",
    "pilotos:detalle": "unit codes, school names, strata, arms and aggregates",
    "pilotos:sortear": "draws again, POST only",
    "pilotos:publicar": "a confirmation",
    "pilotos:xlsx": "unit codes, school names, strata, arms and aggregates",
    "pilotos:csv": "unit codes, school names, strata, arms and aggregates",
    "pilotos:resultados": "aggregates per arm and estimates",
}

# Every view that shows personal data, with what it records.
REGISTRADAS = {
    "ie_detalle": (Accion.VER_LISTA, "ie:{codigo}"),
    "ie_excel": (Accion.DESCARGAR, "ie:{codigo}"),
    "ie_tutores": (Accion.VER_DOCENTES, "ie:{codigo}"),
    "seccion_detalle": (Accion.VER_LISTA, "seccion:{uuid}"),
    "seccion_excel": (Accion.DESCARGAR, "seccion:{uuid}"),
    "estudiante_detalle": (Accion.VER_ESTUDIANTE, "estudiante:{uuid}"),
    "ugel_excel": (Accion.DESCARGAR, "ugel:{codigo}"),
    "api:estudiante-list": (Accion.VER_LISTA, "estudiantes?{filtros}"),
    "api:estudiante-detail": (Accion.VER_ESTUDIANTE, "estudiante:{uuid}"),
    "api:ugel-alto-medio-csv": (Accion.DESCARGAR, "ugel:{codigo}"),
    # Follow-up: the monthly record's screen and both APIs name students.
    "seguimiento:registro-mensual": (Accion.VER_LISTA, "seccion:{uuid}"),
    "api:registro-mensual-list": (Accion.VER_LISTA, "registros-mensuales?{filtros}"),
    "api:accion-list": (Accion.VER_LISTA, "acciones?{filtros}"),
    "api:accion-detail": (Accion.VER_ESTUDIANTE, "accion:{uuid}"),
    "importacion:detalle": (Accion.VER_LISTA, "importacion:{pk}"),
    "importacion:rechazos_xlsx": (Accion.DESCARGAR, "importacion:{pk}"),
    "seguimiento:accion_nueva": (Accion.VER_ESTUDIANTE, "estudiante:{uuid}"),
    "seguimiento:accion_corregir": (Accion.VER_ESTUDIANTE, "accion:{uuid}"),
    "seguimiento:accion_historial": (Accion.VER_ESTUDIANTE, "accion:{uuid}"),
    # Use monitoring: the pages and the workbook that name teachers.
    "monitoreo:ugel_docentes": (Accion.VER_DOCENTES, "uso-ugel:{codigo}"),
    "monitoreo:ugel_libro": (Accion.VER_DOCENTES, "uso-ugel:{codigo}"),
    "monitoreo:ie": (Accion.VER_DOCENTES, "uso-ie:{codigo}"),
    "monitoreo:docente": (Accion.VER_DOCENTES, "uso-docente:{pk}"),
    # Trainings: the teachers of the chosen IEs, and a session's invitees.
    "capacitaciones:nueva": (Accion.VER_DOCENTES, "ugel:{codigo}"),
    "capacitaciones:detalle": (Accion.VER_DOCENTES, "capacitacion:{uuid}"),
    "capacitaciones:invitar": (Accion.VER_DOCENTES, "capacitacion:{uuid}"),
    "capacitaciones:asistencia": (Accion.VER_DOCENTES, "capacitacion:{uuid}"),
    "capacitaciones:cancelar": (Accion.VER_DOCENTES, "capacitacion:{uuid}"),
}


def _vistas(patrones=None, espacio: str = "") -> dict:
    """Every named view of the URLconf but the admin's, by its full name."""
    vistas = {}
    for p in get_resolver().url_patterns if patrones is None else patrones:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            prefijo = f"{espacio}{p.namespace}:" if p.namespace else espacio
            vistas.update(_vistas(p.url_patterns, prefijo))
        elif isinstance(p, URLPattern):
            assert p.name, f"{p.pattern} has no name"
            vistas[espacio + p.name] = p.callback
    return vistas


def _registro(vista):
    """What a view records: a function view's `registra_acceso`, or the
    `registro_acceso` of an API viewset for the action its URL maps GET to."""
    if hasattr(vista, "registro_acceso"):
        return vista.registro_acceso
    accion = (getattr(vista, "actions", None) or {}).get("get")
    return getattr(getattr(vista, "cls", None), "registro_acceso", {}).get(accion)


def test_every_view_either_records_its_access_or_shows_no_personal_data():
    vistas = _vistas()
    registradas = {
        nombre: _registro(vista)
        for nombre, vista in vistas.items()
        if _registro(vista) is not None
    }
    assert registradas == REGISTRADAS
    assert set(vistas) - set(registradas) == set(SIN_DATOS_PERSONALES)


def _capacitacion(mundo):
    import datetime as dt

    from capacitaciones.models import Capacitacion, Invitacion, Modalidad

    c = Capacitacion.objects.create(
        ugel=mundo.ugel_norte,
        modalidad=Modalidad.INDIVIDUAL,
        fecha=dt.date(2026, 5, 12),
        lugar="UGEL",
        creada_por=mundo.ugel,
    )
    Invitacion.objects.create(capacitacion=c, usuario=mundo.tutora, ie=mundo.ie_uno)
    return c


def _direcciones(mundo) -> dict[str, tuple[str, object, str]]:
    """The views of alerta that show personal data: address, reader, objeto."""
    ie, seccion = mundo.ie_uno, mundo.seccion_a
    estudiante = mundo.matriculas_a[0].estudiante
    hecha = accion(mundo.tutora, mundo.matriculas_a[0])
    # The monitoring pages read the nightly aggregates.
    uso_calcular()
    capacitacion = _capacitacion(mundo)
    return {
        "monitoreo:ugel_docentes": (
            reverse("monitoreo:ugel_docentes", args=[mundo.ugel_norte.codigo]),
            mundo.ugel,
            f"uso-ugel:{mundo.ugel_norte.codigo}",
        ),
        "monitoreo:ugel_libro": (
            reverse("monitoreo:ugel_libro", args=[mundo.ugel_norte.codigo]),
            mundo.ugel,
            f"uso-ugel:{mundo.ugel_norte.codigo}",
        ),
        "monitoreo:ie": (
            reverse("monitoreo:ie", args=[ie.codigo]),
            mundo.director,
            f"uso-ie:{ie.codigo}",
        ),
        "monitoreo:docente": (
            reverse("monitoreo:docente", args=[mundo.tutora.pk]),
            mundo.director,
            f"uso-docente:{mundo.tutora.pk}",
        ),
        "capacitaciones:nueva": (
            reverse("capacitaciones:nueva", args=[mundo.ugel_norte.codigo])
            + f"?ies={ie.pk}",
            mundo.ugel,
            f"ugel:{mundo.ugel_norte.codigo}",
        ),
        **{
            f"capacitaciones:{nombre}": (
                reverse(f"capacitaciones:{nombre}", args=[capacitacion.uuid]),
                mundo.ugel,
                f"capacitacion:{capacitacion.uuid}",
            )
            for nombre in ("detalle", "invitar", "asistencia", "cancelar")
        },
        "seguimiento:accion_nueva": (
            reverse("seguimiento:accion_nueva", args=[estudiante.uuid]),
            mundo.tutora,
            f"estudiante:{estudiante.uuid}",
        ),
        "seguimiento:accion_corregir": (
            reverse("seguimiento:accion_corregir", args=[hecha.uuid]),
            mundo.tutora,
            f"accion:{hecha.uuid}",
        ),
        "seguimiento:accion_historial": (
            reverse("seguimiento:accion_historial", args=[hecha.uuid]),
            mundo.tutora,
            f"accion:{hecha.uuid}",
        ),
        "ie_detalle": (
            reverse("ie_detalle", args=[ie.codigo]),
            mundo.director,
            f"ie:{ie.codigo}",
        ),
        "ie_excel": (
            reverse("ie_excel", args=[ie.codigo]),
            mundo.director,
            f"ie:{ie.codigo}",
        ),
        "ie_tutores": (
            reverse("ie_tutores", args=[ie.codigo]),
            mundo.director,
            f"ie:{ie.codigo}",
        ),
        "seccion_detalle": (
            reverse("seccion_detalle", args=[seccion.uuid]),
            mundo.tutora,
            f"seccion:{seccion.uuid}",
        ),
        "seccion_excel": (
            reverse("seccion_excel", args=[seccion.uuid]),
            mundo.tutora,
            f"seccion:{seccion.uuid}",
        ),
        "estudiante_detalle": (
            reverse("estudiante_detalle", args=[estudiante.uuid]),
            mundo.tutora,
            f"estudiante:{estudiante.uuid}",
        ),
        "ugel_excel": (
            reverse("ugel_excel", args=[mundo.ugel_norte.codigo]),
            mundo.ugel,
            f"ugel:{mundo.ugel_norte.codigo}",
        ),
        "api:estudiante-list": (
            reverse("api:estudiante-list") + f"?seccion={seccion.uuid}&riesgo=alto",
            mundo.tutora,
            f"estudiantes?riesgo=alto&seccion={seccion.uuid}",
        ),
        "api:estudiante-detail": (
            reverse("api:estudiante-detail", args=[estudiante.uuid]),
            mundo.tutora,
            f"estudiante:{estudiante.uuid}",
        ),
        "api:ugel-alto-medio-csv": (
            reverse("api:ugel-alto-medio-csv", args=[mundo.ugel_norte.codigo]),
            mundo.ugel,
            f"ugel:{mundo.ugel_norte.codigo}",
        ),
        "seguimiento:registro-mensual": (
            reverse("seguimiento:registro-mensual", args=[seccion.uuid]),
            mundo.tutora,
            f"seccion:{seccion.uuid}",
        ),
        "api:registro-mensual-list": (
            reverse("api:registro-mensual-list") + f"?seccion={seccion.uuid}",
            mundo.tutora,
            f"registros-mensuales?seccion={seccion.uuid}",
        ),
        "api:accion-list": (
            reverse("api:accion-list") + f"?estudiante={estudiante.uuid}",
            mundo.tutora,
            f"acciones?estudiante={estudiante.uuid}",
        ),
        "api:accion-detail": (
            reverse("api:accion-detail", args=[hecha.uuid]),
            mundo.tutora,
            f"accion:{hecha.uuid}",
        ),
    }


# The import report's two views are tested with their imports in
# tests/siagie_import (test_vistas.py, test_reporte.py).
VISTAS_DE_ALERTA = sorted(n for n in REGISTRADAS if not n.startswith("importacion:"))


@pytest.mark.django_db
@pytest.mark.parametrize("nombre", VISTAS_DE_ALERTA)
class TestCadaVistaConDatosPersonales:
    def test_reading_it_writes_one_row(self, client, mundo, puntajes, nombre):
        url, lector, objeto = _direcciones(mundo)[nombre]
        client.force_login(lector)
        r = client.get(url)
        assert r.status_code == 200
        registro = RegistroAcceso.objects.get()
        assert (registro.usuario, registro.accion, registro.objeto) == (
            lector,
            REGISTRADAS[nombre][0],
            objeto,
        )

    def test_someone_outside_its_scope_gets_404_and_nothing_is_recorded(
        self, client, mundo, puntajes, nombre
    ):
        url, _lector, _objeto = _direcciones(mundo)[nombre]
        client.force_login(mundo.tutor_otra_ie)
        assert client.get(url).status_code == 404
        assert not RegistroAcceso.objects.exists()


@pytest.mark.django_db
class TestTutores:
    def test_the_directors_page_of_teachers_is_recorded(self, client, mundo):
        client.force_login(mundo.director)
        r = client.get(reverse("ie_tutores", args=[mundo.ie_uno.codigo]))
        assert r.status_code == 200
        assert mundo.tutora.last_name in r.content.decode()
        assert RegistroAcceso.objects.filter(
            usuario=mundo.director,
            accion=Accion.VER_DOCENTES,
            objeto=f"ie:{mundo.ie_uno.codigo}",
        ).exists()

    def test_an_assignment_that_redirects_records_nothing(self, client, mundo):
        client.force_login(mundo.director)
        r = client.post(
            reverse("ie_tutores", args=[mundo.ie_uno.codigo]),
            {"seccion": mundo.seccion_a.uuid, "tutor": mundo.tutora.pk},
        )
        assert r.status_code == 302
        assert not RegistroAcceso.objects.exists()


@pytest.fixture
def superusuario(db):
    return UsuarioFactory(is_superuser=True, is_staff=True)


@pytest.mark.django_db
class TestAdminDelRegistro:
    def test_not_even_a_superuser_may_add_change_or_delete(self, rf, superusuario):
        modelo_admin = admin.site._registry[RegistroAcceso]
        request = rf.get("/")
        request.user = superusuario
        registro = RegistroAcceso.objects.create(
            usuario=superusuario, accion=Accion.VER_LISTA, objeto="ie:1-0"
        )
        assert modelo_admin.has_view_permission(request, registro)
        assert not modelo_admin.has_add_permission(request)
        assert not modelo_admin.has_change_permission(request, registro)
        assert not modelo_admin.has_delete_permission(request, registro)
        assert "delete_selected" not in modelo_admin.get_actions(request)

    def test_a_superuser_reads_it_and_is_refused_the_rest(self, client, superusuario):
        registro = RegistroAcceso.objects.create(
            usuario=superusuario, accion=Accion.VER_LISTA, objeto="ie:1-0"
        )
        client.force_login(superusuario)
        base = "admin:alerta_registroacceso"
        assert client.get(reverse(f"{base}_changelist")).status_code == 200
        assert client.get(reverse(f"{base}_change", args=[registro.pk])).status_code
        assert client.get(reverse(f"{base}_add")).status_code == 403
        assert client.post(reverse(f"{base}_add"), {}).status_code == 403
        borrar = reverse(f"{base}_delete", args=[registro.pk])
        assert client.post(borrar, {"post": "yes"}).status_code == 403
        cambiar = reverse(f"{base}_change", args=[registro.pk])
        client.post(cambiar, {"objeto": "forjado", "accion": Accion.DESCARGAR})
        registro.refresh_from_db()
        assert (registro.objeto, registro.accion) == ("ie:1-0", Accion.VER_LISTA)
        assert RegistroAcceso.objects.count() == 1

    def test_reading_teachers_in_the_admin_is_recorded(self, client, superusuario):
        docente = UsuarioFactory()
        client.force_login(superusuario)
        assert client.get(reverse("admin:alerta_usuario_changelist")).status_code == 200
        r = client.get(reverse("admin:alerta_usuario_change", args=[docente.pk]))
        assert r.status_code == 200
        assert set(
            RegistroAcceso.objects.filter(
                usuario=superusuario, accion=Accion.VER_DOCENTES
            ).values_list("objeto", flat=True)
        ) == {"usuarios", f"usuario:{docente.pk}"}


def _registro_de_hace(usuario, dias: float) -> RegistroAcceso:
    registro = RegistroAcceso.objects.create(
        usuario=usuario, accion=Accion.VER_LISTA, objeto=f"ie:{dias}"
    )
    RegistroAcceso.objects.filter(pk=registro.pk).update(
        fecha=timezone.now() - timedelta(days=dias)
    )
    return registro


@pytest.mark.django_db
class TestRetencion:
    def test_rows_older_than_the_period_go_and_newer_ones_stay(self, settings):
        settings.REGISTRO_ACCESO_RETENCION_DIAS = 30
        usuario = UsuarioFactory()
        viejos = [_registro_de_hace(usuario, d) for d in (30.01, 31, 400)]
        nuevos = [_registro_de_hace(usuario, d) for d in (0, 1, 29.99)]
        assert registros_acceso_purgar() == len(viejos)
        assert set(RegistroAcceso.objects.values_list("pk", flat=True)) == {
            r.pk for r in nuevos
        }

    def test_the_command_purges_and_says_how_many(self, settings, capsys):
        settings.REGISTRO_ACCESO_RETENCION_DIAS = 10
        usuario = UsuarioFactory()
        _registro_de_hace(usuario, 11)
        nuevo = _registro_de_hace(usuario, 9)
        call_command("purgar_registros_acceso")
        assert "1 registros de acceso de más de 10 días" in capsys.readouterr().out
        assert list(RegistroAcceso.objects.all()) == [nuevo]

    def test_the_beat_task_purges(self, settings):
        settings.REGISTRO_ACCESO_RETENCION_DIAS = 10
        usuario = UsuarioFactory()
        _registro_de_hace(usuario, 11)
        nuevo = _registro_de_hace(usuario, 9)
        assert purgar_registros_acceso.delay().get() == 1
        assert list(RegistroAcceso.objects.all()) == [nuevo]


def test_the_beat_schedule_purges_every_night(settings):
    entrada = settings.CELERY_BEAT_SCHEDULE["registros-acceso-purgar"]
    assert entrada["task"] == purgar_registros_acceso.name
    assert entrada["schedule"].hour == {3} and entrada["schedule"].minute == {30}


def test_the_retention_is_two_years_unless_set_and_a_bad_value_fails(settings):
    from tests.test_settings import _settings_en

    codigo = (
        "from django.conf import settings as s; print(s.REGISTRO_ACCESO_RETENCION_DIAS)"
    )
    r = _settings_en({"REGISTRO_ACCESO_RETENCION_DIAS": ""}, codigo)
    sin = _settings_en({}, codigo)
    assert sin.stdout.strip() == "730", sin.stderr
    assert r.returncode != 0
    cero = _settings_en({"REGISTRO_ACCESO_RETENCION_DIAS": "0"}, codigo)
    assert cero.returncode != 0 and "REGISTRO_ACCESO_RETENCION_DIAS" in cero.stderr
