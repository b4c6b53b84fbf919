import pytest
from django.urls import reverse

from orientaciones.models import Audiencia, Orientacion


def _url(slug: str) -> str:
    return reverse("orientaciones:detalle", args=[slug])


def _una(audiencia: str) -> Orientacion:
    return Orientacion.objects.publicadas().filter(audiencia=audiencia).first()


@pytest.mark.django_db
def test_anonymous_is_redirected_to_login(client):
    response = client.get(_url("tutoria-individual"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_tutor_reads_an_item_for_teachers(client, tutor):
    orientacion = Orientacion.objects.get(slug="tutoria-individual")
    client.force_login(tutor)
    response = client.get(_url(orientacion.slug))
    assert response.status_code == 200
    contenido = response.content.decode()
    assert f'<h1 id="titulo-orientacion">{orientacion.titulo}</h1>' in contenido
    # Plain text with blank lines becomes one <p> per paragraph.
    primer_parrafo = orientacion.texto.split("\n\n")[0]
    assert f"<p>{primer_parrafo}</p>" in contenido


@pytest.mark.django_db
def test_item_about_a_factor_links_to_the_list_of_that_factor(client, tutor):
    client.force_login(tutor)
    contenido = client.get(_url("contacto-con-la-familia")).content.decode()
    assert f"{reverse('orientaciones:lista')}?factor=inasistencias" in contenido


@pytest.mark.django_db
def test_tutor_gets_404_for_an_item_for_ugel_specialists(client, tutor):
    client.force_login(tutor)
    response = client.get(_url(_una(Audiencia.ESPECIALISTA).slug))
    assert response.status_code == 404


@pytest.mark.django_db
def test_tutor_gets_404_for_an_item_for_directors(client, tutor):
    client.force_login(tutor)
    response = client.get(_url(_una(Audiencia.DIRECTOR).slug))
    assert response.status_code == 404


@pytest.mark.django_db
def test_director_reads_an_item_for_directors(client, director):
    client.force_login(director)
    response = client.get(_url(_una(Audiencia.DIRECTOR).slug))
    assert response.status_code == 200


@pytest.mark.django_db
def test_director_reads_an_item_for_teachers(client, director):
    # A director leads the tutors: what they are asked to do is theirs to read.
    client.force_login(director)
    response = client.get(_url(_una(Audiencia.DOCENTE).slug))
    assert response.status_code == 200


@pytest.mark.django_db
def test_director_gets_404_for_an_item_for_specialists(client, director):
    client.force_login(director)
    response = client.get(_url(_una(Audiencia.ESPECIALISTA).slug))
    assert response.status_code == 404


@pytest.mark.django_db
def test_ugel_specialist_reads_an_item_for_specialists(client, especialista_ugel):
    client.force_login(especialista_ugel)
    response = client.get(_url(_una(Audiencia.ESPECIALISTA).slug))
    assert response.status_code == 200


@pytest.mark.django_db
def test_ugel_specialist_reads_items_for_directors_and_teachers(
    client, especialista_ugel
):
    client.force_login(especialista_ugel)
    for audiencia in (Audiencia.DIRECTOR, Audiencia.DOCENTE):
        assert client.get(_url(_una(audiencia).slug)).status_code == 200


@pytest.mark.django_db
def test_dre_specialist_reads_an_item_for_specialists(client, especialista_dre):
    client.force_login(especialista_dre)
    response = client.get(_url(_una(Audiencia.ESPECIALISTA).slug))
    assert response.status_code == 200


@pytest.mark.django_db
def test_dre_specialist_reads_items_for_directors_and_teachers(
    client, especialista_dre
):
    client.force_login(especialista_dre)
    for audiencia in (Audiencia.DIRECTOR, Audiencia.DOCENTE):
        assert client.get(_url(_una(audiencia).slug)).status_code == 200


@pytest.mark.django_db
def test_user_without_role_gets_404(client, sin_rol):
    client.force_login(sin_rol)
    response = client.get(_url(_una(Audiencia.DOCENTE).slug))
    assert response.status_code == 404


@pytest.mark.django_db
def test_nacional_reads_items_of_every_audience(client, nacional):
    client.force_login(nacional)
    for audiencia in Audiencia.values:
        assert client.get(_url(_una(audiencia).slug)).status_code == 200


@pytest.mark.django_db
def test_unpublished_item_is_404_even_for_nacional(client, nacional, borrador):
    client.force_login(nacional)
    response = client.get(_url(borrador.slug))
    assert response.status_code == 404


@pytest.mark.django_db
def test_hidden_item_and_missing_item_get_the_same_answer(client, tutor):
    client.force_login(tutor)
    oculta = client.get(_url(_una(Audiencia.ESPECIALISTA).slug))
    inexistente = client.get(_url("no-existe"))
    assert oculta.status_code == inexistente.status_code == 404
    assert oculta.content == inexistente.content


@pytest.mark.django_db
def test_detail_needs_at_most_five_queries(
    client, tutor, django_assert_max_num_queries
):
    client.force_login(tutor)
    # Session, user, assignments, the item, and the reading's row.
    with django_assert_max_num_queries(5):
        client.get(_url("tutoria-individual"))
