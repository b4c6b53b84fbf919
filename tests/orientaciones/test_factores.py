"""Guidance behind every factor the risk model can name.

Walks the code's own declarations: the factors are `riesgo.explicaciones.GRUPOS`
(what a score can name), the niveles `alerta.models.Nivel`, the roles
`alerta.models.Rol` with the scope `ALCANCE_POR_ROL` gives each, and a
factor's link is built by `riesgo.factores.factores_mostrados`, as the list of
a sección and a student's page build it.
"""

import importlib
import re

import pytest
from django.apps import apps

from alerta.models import ALCANCE_POR_ROL, Asignacion, Nivel, Rol, Seccion, Usuario
from orientaciones.models import FACTORES_DE_GESTION, Audiencia, Factor, Orientacion
from orientaciones.selectors import AUDIENCIAS_POR_ROL
from riesgo.explicaciones import GRUPOS
from riesgo.factores import FACTOR_ORIENTACION, factores_mostrados

MIGRACION = importlib.import_module(
    "orientaciones.migrations.0004_orientaciones_por_factor"
)
SEGUIMIENTO = importlib.import_module(
    "orientaciones.migrations.0005_seguimiento_en_el_portal"
)

# What the portal does not offer yet, said the ways an item could promise it.
# When one of these features exists, its phrases leave this list.
# (Follow-up of actions and the monthly contact record left it with the
# seguimiento app: see test_no_item_sends_follow_up_outside_the_portal.)
PROMESAS = [
    # use monitoring
    r"monitoreo de uso",
    r"monitorear el uso",
    # the outcome report
    r"reporte de resultados",
]


def _persona(rol: str, seccion: Seccion) -> Usuario:
    """A user holding `rol` over the scope that reaches `seccion`."""
    alcance = {
        "seccion": seccion,
        "ie": seccion.ie,
        "anio": seccion.anio,
        "ugel": seccion.ie.ugel,
        "dre": seccion.ie.ugel.dre,
    }
    user = Usuario.objects.create_user(username=f"persona-{rol}", password="x")
    Asignacion.objects.create(
        usuario=user,
        rol=rol,
        **{campo: alcance[campo] for campo in ALCANCE_POR_ROL[rol]},
    )
    return user


def _audiencias_del_factor(factor: str) -> list[str]:
    """The audiences that must have their own item about a factor."""
    audiencias = [Audiencia.DOCENTE, Audiencia.DIRECTOR]
    if factor in FACTORES_DE_GESTION:
        audiencias.append(Audiencia.ESPECIALISTA)
    return audiencias


def test_every_factor_the_model_can_name_links_to_guidance():
    assert set(FACTOR_ORIENTACION) == set(GRUPOS)
    for codigo in GRUPOS:
        assert FACTOR_ORIENTACION[codigo] in Factor.values, codigo
        for nivel in Nivel.values:
            (mostrado,) = factores_mostrados([codigo], nivel)
            assert mostrado.url, (codigo, nivel)


def test_management_factors_are_factors_of_the_model():
    assert FACTORES_DE_GESTION <= {FACTOR_ORIENTACION[c] for c in GRUPOS}


@pytest.mark.django_db
def test_every_factor_has_an_item_for_each_nivel_and_audience():
    faltan = []
    publicadas = Orientacion.objects.publicadas()
    for codigo in GRUPOS:
        factor = FACTOR_ORIENTACION[codigo]
        for nivel in Nivel.values:
            for audiencia in _audiencias_del_factor(factor):
                hay = (
                    publicadas.filter(audiencia=audiencia)
                    .del_factor(factor)
                    .para_nivel(nivel)
                    .exists()
                )
                if not hay:
                    faltan.append((codigo, nivel, audiencia))
    assert faltan == []


@pytest.mark.django_db
@pytest.mark.parametrize("rol", Rol.values)
def test_every_factor_link_of_every_role_and_nivel_leads_to_guidance(
    client, seccion, rol
):
    client.force_login(_persona(rol, seccion))
    propia = AUDIENCIAS_POR_ROL.get(rol, (None,))[0]
    leidas: set[str] = set()
    vacias, ajenas = [], []
    for codigo in GRUPOS:
        for nivel in Nivel.values:
            (mostrado,) = factores_mostrados([codigo], nivel)
            response = client.get(mostrado.url)
            assert response.status_code == 200, mostrado.url
            orientaciones = list(response.context["orientaciones"])
            if not orientaciones:
                vacias.append((codigo, nivel))
                continue
            contenido = response.content.decode()
            for o in orientaciones:
                assert o.get_absolute_url() in contenido
                leidas.add(o.get_absolute_url())
            # The role's own item comes first wherever one is written for it.
            factor = FACTOR_ORIENTACION[codigo]
            if propia in _audiencias_del_factor(factor):
                if orientaciones[0].audiencia != propia:
                    ajenas.append((codigo, nivel))
    assert vacias == []
    assert ajenas == []
    for url in leidas:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_no_item_promises_a_feature_the_portal_does_not_have():
    encontradas = []
    for o in Orientacion.objects.all():
        texto = " ".join([o.titulo, o.resumen, o.texto]).lower()
        for promesa in PROMESAS:
            if re.search(promesa, texto):
                encontradas.append((o.slug, promesa))
    assert encontradas == []


def test_the_forbidden_phrases_catch_what_the_first_library_promised():
    # The list is not empty words: it finds the promises 0004 reworded.
    texto = " ".join(" ".join(i["parrafos"]) for i in MIGRACION.INICIALES).lower()
    for promesa in ("monitoreo de uso",):
        assert promesa in PROMESAS
        assert re.search(promesa, texto), promesa


# Where a tutor or director was sent to keep follow-up before the portal had
# it (0004's wording): the notebook and the classroom spreadsheet.
FUERA_DEL_PORTAL = [r"cuaderno de tutor", r"hoja de c[aá]lculo"]


@pytest.mark.django_db
def test_no_item_sends_follow_up_outside_the_portal():
    encontradas = [
        (o.slug, frase)
        for o in Orientacion.objects.all()
        for frase in FUERA_DEL_PORTAL
        if re.search(frase, " ".join([o.resumen, o.texto]).lower())
    ]
    assert encontradas == []
    # The phrases are not empty words: 0004 wrote each of them.
    texto = " ".join(" ".join(i["parrafos"]) for i in MIGRACION.ORIENTACIONES).lower()
    for frase in FUERA_DEL_PORTAL:
        assert re.search(frase, texto), frase


@pytest.mark.django_db
def test_items_are_short_enough_for_a_phone():
    for o in Orientacion.objects.publicadas():
        parrafos = [p for p in o.texto.split("\n\n") if p.strip()]
        assert 2 <= len(parrafos) <= 5, o.slug
        assert len(o.texto.split()) <= 200, o.slug
        assert len(o.resumen) <= Orientacion._meta.get_field("resumen").max_length
        assert len(o.titulo) <= Orientacion._meta.get_field("titulo").max_length


# The data migration leaves alone what an administrator edited.


def _valores(slug: str) -> dict:
    o = Orientacion.objects.get(slug=slug)
    return {c: getattr(o, c) for c in (*MIGRACION.CAMPOS, "texto")}


@pytest.mark.django_db
def test_the_migration_rewrites_only_items_left_as_first_written():
    reescrita = "contacto-con-la-familia"
    editada = "tutoria-individual"
    nueva = "acompanar-a-quien-repite"
    antes = MIGRACION._valores(
        next(i for i in MIGRACION.INICIALES if i["slug"] == reescrita)
    )
    despues = MIGRACION._valores(
        next(i for i in MIGRACION.ORIENTACIONES if i["slug"] == reescrita)
    )
    # Back to the state 0004 left (0005 rewrites some of its sentences).
    SEGUIMIENTO.atras(apps, None)
    assert _valores(reescrita) == despues
    Orientacion.objects.filter(slug=editada).update(texto="Editado.\n\nEn el admin.")

    MIGRACION.borrar_orientaciones(apps, None)
    assert _valores(reescrita) == antes
    assert _valores(editada)["texto"] == "Editado.\n\nEn el admin."
    assert not Orientacion.objects.filter(slug=nueva).exists()

    MIGRACION.crear_orientaciones(apps, None)
    assert _valores(reescrita) == despues
    assert _valores(editada)["texto"] == "Editado.\n\nEn el admin."
    assert Orientacion.objects.filter(slug=nueva, publicada=True).exists()


@pytest.mark.django_db
def test_0005_points_to_the_portal_and_leaves_edited_items_alone():
    editada = "tutoria-individual"
    Orientacion.objects.filter(slug=editada).update(texto="Editado.\n\nEn el admin.")
    SEGUIMIENTO.atras(apps, None)
    for slug, antes, _despues in SEGUIMIENTO.CAMBIOS:
        if slug != editada:
            assert antes in Orientacion.objects.get(slug=slug).texto, slug
    SEGUIMIENTO.adelante(apps, None)
    for slug, antes, despues in SEGUIMIENTO.CAMBIOS:
        texto = Orientacion.objects.get(slug=slug).texto
        if slug == editada:
            assert texto == "Editado.\n\nEn el admin."
        else:
            assert despues in texto and antes not in texto, slug
