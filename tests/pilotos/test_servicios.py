"""Designing, drawing and publishing an evaluation (pilotos.services)."""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from pilotos.models import Estado, Unidad, validar_brazos
from pilotos.services import (
    banda_de_tamano,
    evaluacion_publicar,
    evaluacion_sortear,
    redibujar,
)

from .conftest import BRAZOS, crear


def test_it_draws_every_eligible_ie_with_its_covariates(evaluacion, mundo, red):
    unidades = evaluacion.unidades.all()
    # The world's three IEs and the 24 planted ones.
    assert unidades.count() == 27
    u = unidades.get(codigo=red[3].codigo)
    assert (u.tamano, u.en_riesgo) == (40, 4)
    assert u.proporcion_medio_alto == pytest.approx(0.1)
    assert u.proporcion_rural == 0.0
    assert u.estrato == f"{mundo.ugel_norte.codigo}|<100"
    assert u.desercion_anterior == pytest.approx(0.25)
    rural = unidades.get(codigo=red[2].codigo)
    assert rural.proporcion_rural == 1.0
    assert unidades.get(codigo=red[10].codigo).desercion_anterior is None
    assert unidades.get(codigo=red[10].codigo).estrato.endswith("|≥100")
    assert set(unidades.values_list("brazo", flat=True)) == {"C", "T1", "T2", "T3"}
    assert evaluacion.hash_elegibles and evaluacion.version_numpy


def test_it_keeps_each_stratum_within_one_unit_of_the_shares(evaluacion):
    por_estrato = Counter(evaluacion.unidades.values_list("estrato", flat=True))
    cuenta = Counter(evaluacion.unidades.values_list("estrato", "brazo"))
    for estrato, n in por_estrato.items():
        for b in BRAZOS:
            assert n // 4 <= cuenta[(estrato, b["codigo"])] <= -(-n // 4)


def test_redrawing_from_what_is_stored_gives_the_same_arms(evaluacion):
    guardado = dict(evaluacion.unidades.values_list("codigo", "brazo"))
    assert redibujar(evaluacion) == guardado


def test_a_tampered_list_does_not_match_its_hash(evaluacion):
    evaluacion.unidades.first().delete()
    with pytest.raises(ValidationError):
        redibujar(evaluacion)


def test_another_seed_draws_other_arms(mundo, red, evaluacion):
    otra = evaluacion_sortear(evaluacion=crear(mundo, semilla=7))
    assert dict(otra.unidades.values_list("codigo", "brazo")) != dict(
        evaluacion.unidades.values_list("codigo", "brazo")
    )
    assert otra.hash_elegibles == evaluacion.hash_elegibles


def test_local_units_group_their_ies_and_the_priority_keeps_the_top_n(mundo, red):
    e = evaluacion_sortear(
        evaluacion=crear(
            mundo, unidad=Unidad.LOCAL, maximo_unidades=4, minimo_en_riesgo=5
        )
    )
    # Locals 500012 (IEs 23, 24) down to 500009 (IEs 17, 18) have the most.
    assert list(e.unidades.values_list("codigo", flat=True)) == [
        "500009",
        "500010",
        "500011",
        "500012",
    ]
    assert e.unidades.get(codigo="500012").ies.count() == 2
    assert e.unidades.get(codigo="500012").en_riesgo == 47


def test_the_area_condition_keeps_only_rural_ies(mundo, red):
    e = evaluacion_sortear(evaluacion=crear(mundo, area="RURAL"))
    assert e.unidades.count() == 8
    assert set(e.unidades.values_list("proporcion_rural", flat=True)) == {1.0}


def test_no_eligible_unit_is_refused(mundo, red):
    with pytest.raises(ValidationError) as exc:
        evaluacion_sortear(evaluacion=crear(mundo, minimo_en_riesgo=10_000))
    assert exc.value.code == "sin_unidades"


@pytest.mark.parametrize(
    "brazos, codigo",
    [
        ([{"codigo": "C", "proporcion": "1", "control": True}], "pocos_brazos"),
        (
            [
                {"codigo": "C", "proporcion": "0.5", "control": True},
                {"codigo": "T", "proporcion": "0.4"},
            ],
            "suma",
        ),
        (
            [
                {"codigo": "C", "proporcion": "0.5", "control": True},
                {"codigo": "C", "proporcion": "0.5"},
            ],
            "codigos_repetidos",
        ),
        (
            [
                {"codigo": "C", "proporcion": "0.5"},
                {"codigo": "T", "proporcion": "0.5"},
            ],
            "control",
        ),
        (
            [
                {"codigo": "C", "proporcion": "0.5", "control": True},
                {"codigo": "T", "proporcion": "0.5", "control": True},
            ],
            "control",
        ),
        (
            [
                {"codigo": "C", "proporcion": "1.2", "control": True},
                {"codigo": "T", "proporcion": "-0.2"},
            ],
            "proporcion",
        ),
        (
            [
                {"codigo": "C", "proporcion": "mitad", "control": True},
                {"codigo": "T", "proporcion": "0.5"},
            ],
            "proporcion",
        ),
    ],
)
def test_it_refuses_bad_arms(brazos, codigo):
    with pytest.raises(ValidationError) as exc:
        validar_brazos(brazos)
    assert exc.value.code == codigo


def test_thirds_add_up_to_one():
    tercios = [
        {"codigo": "C", "proporcion": "0.3333333", "control": True},
        {"codigo": "T1", "proporcion": "0.3333333"},
        {"codigo": "T2", "proporcion": "0.3333334"},
    ]
    validar_brazos(tercios)


def test_size_bands():
    assert [banda_de_tamano(n, [100, 300]) for n in (0, 99, 100, 299, 300)] == [
        "<100",
        "<100",
        "100-299",
        "100-299",
        "≥300",
    ]
    assert banda_de_tamano(5, []) == "todas"


class TestPublicada:
    def test_it_is_frozen_once_published(self, evaluacion):
        evaluacion_publicar(evaluacion=evaluacion)
        evaluacion.refresh_from_db()
        assert evaluacion.estado == Estado.PUBLICADA and evaluacion.publicada_en
        antes = dict(evaluacion.unidades.values_list("codigo", "brazo"))
        with pytest.raises(ValidationError) as exc:
            evaluacion_sortear(evaluacion=evaluacion)
        assert exc.value.code == "publicada"
        with pytest.raises(ValidationError):
            evaluacion_publicar(evaluacion=evaluacion)
        assert dict(evaluacion.unidades.values_list("codigo", "brazo")) == antes
        # Still reproducible after publishing.
        assert redibujar(evaluacion) == antes

    def test_a_draft_without_a_draw_cannot_be_published(self, mundo, red):
        with pytest.raises(ValidationError) as exc:
            evaluacion_publicar(evaluacion=crear(mundo))
        assert exc.value.code == "sin_sorteo"

    def test_the_admin_is_read_only_once_published(self, evaluacion, rf, mundo):
        from django.contrib.admin.sites import site

        from pilotos.models import Evaluacion

        admin = site._registry[Evaluacion]
        request = rf.get("/")
        request.user = type("S", (), {"is_active": True, "is_staff": True})()
        request.user.has_perm = lambda *a: True
        assert admin.has_change_permission(request, evaluacion)
        evaluacion_publicar(evaluacion=evaluacion)
        evaluacion.refresh_from_db()
        assert not admin.has_change_permission(request, evaluacion)
        assert not admin.has_delete_permission(request, evaluacion)


def test_the_admin_form_refuses_arms_that_do_not_add_up(evaluacion):
    from pilotos.admin import EvaluacionAdminForm

    form = EvaluacionAdminForm(
        data={"brazos": '[{"codigo": "C", "proporcion": "0.5", "control": true}]'}
    )
    form.is_valid()
    assert "brazos" in form.errors
    assert "al menos dos brazos" in form.errors["brazos"][0]
