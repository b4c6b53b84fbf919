import pytest

from alerta import scoping


def _ids(qs):
    return set(qs.values_list("pk", flat=True))


@pytest.mark.django_db
class TestSecciones:
    def test_tutor_sees_only_her_seccion(self, mundo):
        assert _ids(scoping.secciones_visibles(mundo.tutora)) == {mundo.seccion_a.pk}

    def test_director_sees_every_seccion_of_his_ie_that_year(self, mundo):
        assert _ids(scoping.secciones_visibles(mundo.director)) == {
            mundo.seccion_a.pk,
            mundo.seccion_b.pk,
        }

    def test_director_does_not_see_another_year_of_his_ie(self, mundo):
        from tests.factories import SeccionFactory

        otra = SeccionFactory(ie=mundo.ie_uno, anio=2025)
        assert otra.pk not in _ids(scoping.secciones_visibles(mundo.director))

    def test_ugel_specialist_sees_the_secciones_of_her_ugel_only(self, mundo):
        assert _ids(scoping.secciones_visibles(mundo.ugel)) == {
            mundo.seccion_a.pk,
            mundo.seccion_b.pk,
            mundo.seccion_dos.pk,
        }
        assert _ids(scoping.secciones_visibles(mundo.ugel_otra)) == {
            mundo.seccion_sur.pk
        }

    def test_dre_and_national_see_both_ugels(self, mundo):
        todas = {
            mundo.seccion_a.pk,
            mundo.seccion_b.pk,
            mundo.seccion_dos.pk,
            mundo.seccion_sur.pk,
        }
        assert _ids(scoping.secciones_visibles(mundo.dre)) == todas
        assert _ids(scoping.secciones_visibles(mundo.nacional)) == todas

    def test_a_user_without_roles_sees_nothing(self, mundo):
        from tests.factories import UsuarioFactory

        assert not scoping.secciones_visibles(UsuarioFactory()).exists()
        assert not scoping.estudiantes_visibles(UsuarioFactory()).exists()

    def test_an_inactive_assignment_gives_nothing(self, mundo):
        mundo.tutora.asignaciones.update(activa=False)
        assert not scoping.secciones_visibles(mundo.tutora).exists()

    def test_roles_add_up_for_a_director_who_also_tutors(self, mundo):
        from alerta.models import Rol
        from tests.factories import asignar

        asignar(mundo.director, Rol.TUTOR, seccion=mundo.seccion_dos)
        assert mundo.seccion_dos.pk in _ids(scoping.secciones_visibles(mundo.director))


@pytest.mark.django_db
class TestEstudiantes:
    def test_tutor_sees_her_students_and_no_others(self, mundo):
        visibles = _ids(scoping.estudiantes_visibles(mundo.tutora))
        assert visibles == {m.estudiante_id for m in mundo.matriculas_a}

    def test_tutor_of_other_ie_sees_none_of_ie_uno(self, mundo):
        visibles = _ids(scoping.estudiantes_visibles(mundo.tutor_otra_ie))
        assert visibles == {mundo.matricula_dos.estudiante_id}


@pytest.mark.django_db
class TestIesYUgeles:
    def test_tutor_has_no_whole_school_view(self, mundo):
        assert not scoping.ies_visibles(mundo.tutora).exists()

    def test_director_sees_his_ie(self, mundo):
        assert _ids(scoping.ies_visibles(mundo.director)) == {mundo.ie_uno.pk}

    def test_ugel_specialist_of_other_ugel_sees_neither_ugel_nor_its_ies(self, mundo):
        assert _ids(scoping.ugeles_visibles(mundo.ugel_otra)) == {mundo.ugel_sur.pk}
        assert _ids(scoping.ies_visibles(mundo.ugel_otra)) == {mundo.ie_sur.pk}

    def test_dre_specialist_sees_the_ugels_of_the_dre(self, mundo):
        assert _ids(scoping.ugeles_visibles(mundo.dre)) == {
            mundo.ugel_norte.pk,
            mundo.ugel_sur.pk,
        }

    def test_ie_lookup_with_a_malformed_code_is_404(self, mundo):
        from django.http import Http404

        with pytest.raises(Http404):
            scoping.ie_o_404(mundo.nacional, "no-es-un-codigo")


@pytest.mark.django_db
class TestAnioEscolar:
    """Nominal access follows the school year shown: 2026, the latest with
    enrollment (docs/decisions/0014)."""

    @pytest.fixture
    def pasado(self, mundo):
        from tests.factories import MatriculaFactory, SeccionFactory

        seccion = SeccionFactory(ie=mundo.ie_uno, anio=2025, grado=2)
        for m in mundo.matriculas_a:
            MatriculaFactory(estudiante=m.estudiante, seccion=seccion)
        return seccion

    def test_the_year_shown_is_the_latest_with_enrollment(self, mundo, pasado):
        from tests.factories import UsuarioFactory

        assert scoping.anio_mostrado(mundo.tutora) == 2026
        assert scoping.anio_mostrado(UsuarioFactory()) == 2026

    def test_the_year_shown_costs_no_query_beyond_the_assignments(
        self, mundo, django_assert_num_queries
    ):
        with django_assert_num_queries(1):
            scoping.secciones_visibles(mundo.director)
            assert scoping.anio_mostrado(mundo.director) == 2026

    def test_last_years_tutor_sees_nothing(self, mundo, pasado):
        from tests.factories import Rol, UsuarioFactory, asignar

        tutor = UsuarioFactory()
        asignar(tutor, Rol.TUTOR, seccion=pasado)
        assert not scoping.secciones_visibles(tutor).exists()
        assert not scoping.estudiantes_visibles(tutor).exists()
        assert scoping.roles_de(tutor) == set()

    def test_last_years_director_sees_nothing(self, mundo, pasado):
        from tests.factories import Rol, UsuarioFactory, asignar

        director = UsuarioFactory()
        asignar(director, Rol.DIRECTOR, ie=mundo.ie_uno, anio=2025)
        assert not scoping.ies_visibles(director).exists()
        assert not scoping.estudiantes_visibles(director).exists()
        assert not scoping.ies_que_dirige(director, 2026).exists()

    def test_specialists_see_this_years_secciones_only(self, mundo, pasado):
        for especialista in (mundo.ugel, mundo.dre):
            visibles = _ids(scoping.secciones_visibles(especialista))
            assert mundo.seccion_a.pk in visibles and pasado.pk not in visibles

    def test_national_still_sees_last_year(self, mundo, pasado):
        assert pasado.pk in _ids(scoping.secciones_visibles(mundo.nacional))

    def test_a_student_who_moved_out_this_year_is_the_new_schools(self, mundo):
        from alerta.models import SituacionFinal
        from tests.factories import MatriculaFactory

        estudiante = mundo.matricula_dos.estudiante
        mundo.matricula_dos.situacion_final = SituacionFinal.TRASLADADO
        mundo.matricula_dos.save()
        MatriculaFactory(estudiante=estudiante, seccion=mundo.seccion_a)
        assert estudiante.pk not in _ids(
            scoping.estudiantes_visibles(mundo.tutor_otra_ie)
        )
        assert estudiante.pk in _ids(scoping.estudiantes_visibles(mundo.tutora))
        assert estudiante.pk in _ids(scoping.estudiantes_visibles(mundo.nacional))
