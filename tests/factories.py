import datetime as dt

import factory

from alerta.models import (
    Area,
    Asignacion,
    Distrito,
    Dre,
    Estudiante,
    Gestion,
    InstitucionEducativa,
    Matricula,
    Nivel,
    Rol,
    Seccion,
    Sexo,
    SituacionMatricula,
    Ugel,
    Usuario,
)
from riesgo.models import EstadoModelo, ModeloRiesgo

CLAVE = "clave-de-prueba-2026"


class DreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dre
        django_get_or_create = ("nombre",)

    nombre = factory.Sequence(lambda n: f"DRE PRUEBA {n}")


class UgelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ugel

    codigo = factory.Sequence(lambda n: f"{80000 + n:06d}")
    nombre = factory.Sequence(lambda n: f"UGEL PRUEBA {n}")
    dre = factory.SubFactory(DreFactory)


class DistritoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Distrito
        django_get_or_create = ("ubigeo",)

    ubigeo = "080101"
    departamento = "Cusco"
    provincia = "Cusco"
    nombre = "Cusco"


class IEFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstitucionEducativa

    codigo_modular = factory.Sequence(lambda n: f"{1000000 + n:07d}")
    anexo = 0
    nombre = factory.Sequence(lambda n: f"IE N.º {n}")
    nivel_modalidad = "B0"
    gestion = Gestion.PUBLICA
    area = Area.URBANA
    distrito = factory.SubFactory(DistritoFactory)
    ugel = factory.SubFactory(UgelFactory)


class SeccionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seccion

    ie = factory.SubFactory(IEFactory)
    anio = 2026
    nivel = Nivel.PRIMARIA
    grado = 3
    letra = "A"


class EstudianteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Estudiante

    codigo_siagie = factory.Sequence(lambda n: f"{n:014d}")
    tipo_documento = "DNI"
    numero_documento = factory.Sequence(lambda n: f"{70000000 + n:08d}")
    apellido_paterno = factory.Iterator(["QUISPE", "MAMANI", "HUAMÁN", "NÚÑEZ"])
    apellido_materno = factory.Iterator(["CONDORI", "FLORES", "PEÑA", "TTITO"])
    nombres = factory.Iterator(["ANA LUCÍA", "JOSÉ", "MARÍA", "WILBER"])
    fecha_nacimiento = dt.date(2017, 5, 10)
    sexo = factory.Iterator([Sexo.MUJER, Sexo.HOMBRE])
    lengua_materna = "CASTELLANO"
    discapacidad = "NINGUNA"


class MatriculaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Matricula

    estudiante = factory.SubFactory(EstudianteFactory)
    seccion = factory.SubFactory(SeccionFactory)
    situacion_matricula = SituacionMatricula.PROMOVIDO


class UsuarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Usuario
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"usuario{n}")
    first_name = "Nombre"
    last_name = "Apellido"
    password = factory.PostGenerationMethodCall("set_password", CLAVE)

    @factory.post_generation
    def guardar(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def asignar(usuario: Usuario, rol: str, **alcance) -> Asignacion:
    return Asignacion.objects.create(usuario=usuario, rol=rol, **alcance)


__all__ = ["Rol", "asignar"]


def accion(autor: Usuario, matricula: Matricula, **campos):
    """A follow-up action for the student of `matricula`, written by `autor`
    through the service (so every rule applies)."""
    from django.utils import timezone

    from seguimiento.models import TipoAccion
    from seguimiento.services import accion_crear

    if "tipo" not in campos:
        # get_or_create: a transactional test's flush empties the catalogue
        # its data migration seeded.
        campos["tipo"], _nuevo = TipoAccion.objects.get_or_create(
            codigo="llamada_visita",
            defaults={"nombre": "Llamada o visita a la familia", "orden": 1},
        )
    campos.setdefault("fecha", timezone.localdate())
    hecha, _creada = accion_crear(
        autor=autor,
        estudiante=matricula.estudiante,
        seccion=matricula.seccion,
        **campos,
    )
    return hecha


class ModeloRiesgoFactory(factory.django.DjangoModelFactory):
    """A published version without an artefact: enough for pages and
    reports that read its cut-offs and the scores of its runs."""

    class Meta:
        model = ModeloRiesgo

    version = 1
    estado = EstadoModelo.PUBLICADO
    algoritmo = "prueba"
    corte_alto = 0.3
    corte_medio = 0.1
    artefacto = "-"
    sha256 = "-"


def registro_mensual(autor: Usuario, matricula: Matricula, **campos):
    """This month's contact record for the student of `matricula`."""
    from seguimiento.services import mes_actual, registro_mensual_guardar

    campos.setdefault("mes", mes_actual())
    campos.setdefault("contactado", True)
    campos.setdefault("medio", "PRESENCIAL" if campos["contactado"] else "")
    campos.setdefault("sigue_clases", "SI")
    hecho, _creado = registro_mensual_guardar(
        autor=autor,
        estudiante=matricula.estudiante,
        seccion=matricula.seccion,
        **campos,
    )
    return hecho
