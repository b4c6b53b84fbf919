import pytest
from django.urls import reverse

from orientaciones.models import Audiencia, Factor, NivelOrientacion, Orientacion

URL = reverse("orientaciones:lista")


def _audiencias(response) -> set[str]:
    return {o.audiencia for o in response.context["orientaciones"]}


def _slugs(response) -> set[str]:
    return {o.slug for o in response.context["orientaciones"]}


# The library shipped by the data migration.


@pytest.mark.django_db
def test_initial_library_has_items_for_every_audience():
    publicadas = Orientacion.objects.publicadas()
    assert set(publicadas.values_list("audiencia", flat=True)) == set(Audiencia.values)


@pytest.mark.django_db
def test_initial_library_uses_only_known_factor_codes():
    factores = set(Orientacion.objects.values_list("factor", flat=True))
    assert factores - {""} <= set(Factor.values)
    assert len(factores - {""}) >= 5


@pytest.mark.django_db
def test_initial_items_have_two_to_five_paragraphs():
    for orientacion in Orientacion.objects.all():
        parrafos = [p for p in orientacion.texto.split("\n\n") if p.strip()]
        assert 2 <= len(parrafos) <= 5, orientacion.slug


# Who sees what.


@pytest.mark.django_db
def test_anonymous_is_redirected_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_tutor_sees_items_for_teachers(client, tutor):
    client.force_login(tutor)
    response = client.get(URL)
    assert response.status_code == 200
    assert _audiencias(response) == {Audiencia.DOCENTE}
    tutoria = Orientacion.objects.get(slug="tutoria-individual")
    assert tutoria.titulo in response.content.decode()
    assert tutoria.get_absolute_url() in response.content.decode()


@pytest.mark.django_db
def test_tutor_does_not_see_items_for_directors_or_specialists(client, tutor):
    client.force_login(tutor)
    contenido = client.get(URL).content.decode()
    for otra in Orientacion.objects.exclude(audiencia=Audiencia.DOCENTE):
        assert otra.titulo not in contenido


def _en_orden(response) -> list[str]:
    """The audiences of the page's items, each once, in the order they appear."""
    return list(dict.fromkeys(o.audiencia for o in response.context["orientaciones"]))


@pytest.mark.django_db
def test_director_sees_items_for_directors_then_for_teachers(client, director):
    client.force_login(director)
    response = client.get(URL)
    assert _en_orden(response) == [Audiencia.DIRECTOR, Audiencia.DOCENTE]


@pytest.mark.django_db
def test_director_who_is_also_tutor_sees_both_audiences(client, director_y_tutor):
    client.force_login(director_y_tutor)
    response = client.get(URL)
    # Both are their own: the library's order holds across them.
    assert _audiencias(response) == {Audiencia.DOCENTE, Audiencia.DIRECTOR}
    ordenes = [o.orden for o in response.context["orientaciones"]]
    assert ordenes == sorted(ordenes)


@pytest.mark.django_db
def test_ugel_specialist_sees_their_items_first_then_schools(client, especialista_ugel):
    client.force_login(especialista_ugel)
    response = client.get(URL)
    assert _en_orden(response) == [
        Audiencia.ESPECIALISTA,
        Audiencia.DIRECTOR,
        Audiencia.DOCENTE,
    ]


@pytest.mark.django_db
def test_dre_specialist_sees_their_items_first_then_schools(client, especialista_dre):
    client.force_login(especialista_dre)
    response = client.get(URL)
    assert _en_orden(response) == [
        Audiencia.ESPECIALISTA,
        Audiencia.DIRECTOR,
        Audiencia.DOCENTE,
    ]


@pytest.mark.django_db
def test_nacional_sees_every_published_item(client, nacional):
    client.force_login(nacional)
    response = client.get(URL)
    assert _slugs(response) == set(
        Orientacion.objects.publicadas().values_list("slug", flat=True)
    )


@pytest.mark.django_db
def test_superuser_sees_every_audience(client, superusuario):
    client.force_login(superusuario)
    response = client.get(URL)
    assert _audiencias(response) == set(Audiencia.values)


@pytest.mark.django_db
def test_user_without_role_sees_no_items(client, sin_rol):
    client.force_login(sin_rol)
    response = client.get(URL)
    assert response.status_code == 200
    assert list(response.context["orientaciones"]) == []
    assert "Todavía no hay orientaciones publicadas" in response.content.decode()


@pytest.mark.django_db
def test_inactive_assignment_gives_no_items(client, tutor_retirado):
    client.force_login(tutor_retirado)
    response = client.get(URL)
    assert list(response.context["orientaciones"]) == []


@pytest.mark.django_db
def test_unpublished_items_are_hidden_even_from_nacional(client, nacional, borrador):
    client.force_login(nacional)
    response = client.get(URL)
    assert borrador.slug not in _slugs(response)
    assert borrador.titulo not in response.content.decode()


# Filters.


@pytest.mark.django_db
def test_nivel_filter_keeps_items_written_for_every_nivel(client, tutor):
    client.force_login(tutor)
    response = client.get(URL, {"nivel": NivelOrientacion.INICIAL})
    niveles = {o.nivel for o in response.context["orientaciones"]}
    assert niveles == {NivelOrientacion.TODOS, NivelOrientacion.INICIAL}
    assert "asistencia-en-inicial" in _slugs(response)
    assert "estudiantes-que-trabajan" not in _slugs(response)


@pytest.mark.django_db
def test_factor_filter_shows_only_items_about_that_factor(client, tutor):
    client.force_login(tutor)
    response = client.get(URL, {"factor": Factor.INASISTENCIAS})
    assert _slugs(response) == {"contacto-con-la-familia", "asistencia-en-inicial"}


@pytest.mark.django_db
def test_filters_combine(client, tutor):
    client.force_login(tutor)
    response = client.get(
        URL, {"factor": Factor.INASISTENCIAS, "nivel": NivelOrientacion.SECUNDARIA}
    )
    assert _slugs(response) == {"contacto-con-la-familia"}


@pytest.mark.django_db
def test_filter_does_not_reveal_items_of_other_audiences(client, tutor):
    client.force_login(tutor)
    response = client.get(URL, {"factor": Factor.RURALIDAD})
    assert _audiencias(response) == {Audiencia.DOCENTE}
    contenido = response.content.decode()
    otras = Orientacion.objects.filter(factor=Factor.RURALIDAD).exclude(
        audiencia=Audiencia.DOCENTE
    )
    assert otras.count() >= 2
    for otra in otras:
        assert otra.titulo not in contenido


@pytest.mark.django_db
def test_a_filter_with_no_items_says_so(client, tutor):
    Orientacion.objects.filter(factor=Factor.RURALIDAD).update(publicada=False)
    client.force_login(tutor)
    response = client.get(URL, {"factor": Factor.RURALIDAD})
    assert list(response.context["orientaciones"]) == []
    assert "No hay orientaciones para los filtros elegidos" in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_unknown_filter_values_are_ignored(client, tutor):
    client.force_login(tutor)
    todas = _slugs(client.get(URL))
    response = client.get(URL, {"nivel": "UNIVERSIDAD", "factor": "x' OR 1=1"})
    assert response.status_code == 200
    assert _slugs(response) == todas
    assert response.context["nivel"] == ""
    assert response.context["factor"] == ""


@pytest.mark.django_db
def test_nivel_todos_is_not_a_filter_value(client, tutor):
    client.force_login(tutor)
    todas = _slugs(client.get(URL))
    response = client.get(URL, {"nivel": NivelOrientacion.TODOS})
    assert _slugs(response) == todas


@pytest.mark.django_db
def test_filter_form_has_labels_and_keeps_the_choice(client, tutor):
    client.force_login(tutor)
    contenido = client.get(URL, {"factor": Factor.POBREZA}).content.decode()
    assert '<label for="filtro-nivel">' in contenido
    assert '<label for="filtro-factor">' in contenido
    assert '<option value="pobreza" selected>' in contenido


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_library(
    client, nacional, django_assert_max_num_queries
):
    client.force_login(nacional)
    with django_assert_max_num_queries(4):
        client.get(URL)
    for i in range(20):
        Orientacion.objects.create(
            slug=f"extra-{i}",
            titulo=f"Extra {i}",
            audiencia=Audiencia.DIRECTOR,
            resumen="Resumen.",
            texto="Texto.",
        )
    with django_assert_max_num_queries(4):
        client.get(URL)
