"""A planted world for the outcome report: school year 2025 scored, 2026
imported, every outcome known by construction.

    IE Uno (UGEL Norte)  p     level  2026?    sexo    lengua     action
      e1                 0.60  ALTO   no (d)   MUJER   QUECHUA    yes
      e2                 0.50  ALTO   yes      HOMBRE  CASTELLANO yes
      e3                 0.20  MEDIO  no (d)   MUJER   CASTELLANO
      e4                 0.05  BAJO   yes      HOMBRE  CASTELLANO
      e5                 0.02  BAJO   yes      MUJER   CASTELLANO
      muerto             0.04  BAJO   -        (deceased: no outcome)
    IE Dos (UGEL Norte)
      e6                 0.70  ALTO   no (d)   HOMBRE  QUECHUA
      e7                 0.15  MEDIO  yes      MUJER   QUECHUA
      e8                 0.03  BAJO   no (d)   HOMBRE  CASTELLANO
    IE Sur (UGEL Sur, rural)
      e9                 0.25  MEDIO  yes      MUJER   CASTELLANO
      e10                0.01  BAJO   yes      HOMBRE  CASTELLANO

Cut-offs 0.3 / 0.1. Every student is in primaria, 2.º grado in 2025; the
stayers are enrolled in 2026 in the world's secciones.
"""

import datetime as dt

from django.utils import timezone

from alerta.models import Area, Nivel, Sexo, SituacionFinal
from riesgo.models import (
    EjecucionPuntaje,
    EstadoEjecucion,
    ModeloRiesgo,
    Puntaje,
)
from seguimiento.models import AccionSeguimiento, EstadoAccion, TipoAccion
from tests.factories import EstudianteFactory, MatriculaFactory, SeccionFactory

PLAN = [
    # name, IE, p, dropped out, sexo, lengua, action
    ("e1", "ie_uno", 0.60, True, Sexo.MUJER, "QUECHUA", True),
    ("e2", "ie_uno", 0.50, False, Sexo.HOMBRE, "CASTELLANO", True),
    ("e3", "ie_uno", 0.20, True, Sexo.MUJER, "CASTELLANO", False),
    ("e4", "ie_uno", 0.05, False, Sexo.HOMBRE, "CASTELLANO", False),
    ("e5", "ie_uno", 0.02, False, Sexo.MUJER, "CASTELLANO", False),
    ("e6", "ie_dos", 0.70, True, Sexo.HOMBRE, "QUECHUA", False),
    ("e7", "ie_dos", 0.15, False, Sexo.MUJER, "QUECHUA", False),
    ("e8", "ie_dos", 0.03, True, Sexo.HOMBRE, "CASTELLANO", False),
    ("e9", "ie_sur", 0.25, False, Sexo.MUJER, "CASTELLANO", False),
    ("e10", "ie_sur", 0.01, False, Sexo.HOMBRE, "CASTELLANO", False),
]


def plantar(mundo, modelo: ModeloRiesgo) -> EjecucionPuntaje:
    """Year 2025 of PLAN scored by `modelo` (a run dated a year back, so that
    it is not the current one), the stayers enrolled in 2026 in the world's
    secciones (IE Uno's B, IE Dos's, IE Sur's). IE Sur becomes rural."""
    mundo.ie_sur.area = Area.RURAL
    mundo.ie_sur.save(update_fields=["area"])
    ejecucion = EjecucionPuntaje.objects.create(
        modelo=modelo, anio=2025, estado=EstadoEjecucion.EXITOSA
    )
    EjecucionPuntaje.objects.filter(pk=ejecucion.pk).update(
        inicio=timezone.now() - dt.timedelta(days=365)
    )
    secciones_2025 = {
        ie: SeccionFactory(
            ie=getattr(mundo, ie), anio=2025, nivel=Nivel.PRIMARIA, grado=2
        )
        for ie in ("ie_uno", "ie_dos", "ie_sur")
    }
    secciones_2026 = {
        "ie_uno": mundo.seccion_b,
        "ie_dos": mundo.seccion_dos,
        "ie_sur": mundo.seccion_sur,
    }
    tipo, _nuevo = TipoAccion.objects.get_or_create(
        codigo="llamada_visita",
        defaults={"nombre": "Llamada o visita a la familia", "orden": 1},
    )
    puntajes = []
    for _nombre, ie, p, deserto, sexo, lengua, con_accion in PLAN:
        estudiante = EstudianteFactory(sexo=sexo, lengua_materna=lengua)
        m = MatriculaFactory(estudiante=estudiante, seccion=secciones_2025[ie])
        puntajes.append(
            Puntaje(
                ejecucion=ejecucion,
                matricula=m,
                probabilidad=p,
                nivel=modelo.nivel_para(p),
            )
        )
        if not deserto:
            MatriculaFactory(estudiante=estudiante, seccion=secciones_2026[ie])
        if con_accion:
            AccionSeguimiento.objects.create(
                estudiante=estudiante,
                seccion=secciones_2025[ie],
                tipo=tipo,
                fecha=dt.date(2025, 6, 10),
                estado=EstadoAccion.REALIZADA,
                autor=mundo.director,
            )
    muerto = MatriculaFactory(
        seccion=secciones_2025["ie_uno"], situacion_final=SituacionFinal.FALLECIDO
    )
    puntajes.append(
        Puntaje(
            ejecucion=ejecucion,
            matricula=muerto,
            probabilidad=0.04,
            nivel=modelo.nivel_para(0.04),
        )
    )
    Puntaje.objects.bulk_create(puntajes)
    return ejecucion
