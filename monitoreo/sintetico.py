"""Plausible use of the portal for a generated region, so that the demo's
monitoring pages have something to show. What it aims at, per current tutor
and director over the last twelve weeks:

- about one in four never signs in (their account keeps no last sign-in),
  unless they wrote follow-up;
  the others use the portal in 20 % to 90 % of the weeks, each with their own
  habit;
- in a week of use: one to three sign-ins, their list opened (a tutor's
  sección, a director's IE) on each, a few students' pages, now and then a
  workbook downloaded and a guidance item for their audience read.

Written straight to the tables with their dates (the models would set them to
now), with opaque references only, as the portal writes them. Deterministic
for a seed. Idempotent: nothing is written when there are sign-ins already.
"""

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone

from alerta.db import insertar_en_bloque
from alerta.models import (
    Accion,
    InstitucionEducativa,
    Matricula,
    RegistroAcceso,
    Seccion,
    Usuario,
)
from alerta.selectors import anio_vigente
from orientaciones.models import Audiencia, Lectura, Orientacion
from seguimiento.models import AccionSeguimiento, RegistroMensual

from .calculo import docentes_vigentes, lunes_de
from .models import Ingreso

SEMANAS = 12
NUNCA_INGRESAN = 0.25
HABITO = (0.2, 0.9)
INGRESOS = (1, 3)
FICHAS = (0, 4)
DESCARGA = 0.3
LECTURA = 0.35


@dataclass
class Resumen:
    ingresos: int = 0
    accesos: int = 0
    lecturas: int = 0
    ya_habia: bool = False


def _momento(dia: date, rng: random.Random) -> datetime:
    return timezone.make_aware(
        datetime.combine(dia, time(rng.randint(7, 21), rng.randint(0, 59)))
    )


def _db(momento: datetime):
    return connection.ops.adapt_datetimefield_value(momento)


@transaction.atomic
def uso_generar(
    *,
    semilla: int = 42,
    hoy: date | None = None,
    semanas: int = SEMANAS,
    habito: Callable[[int], float] | None = None,
) -> Resumen:
    """`habito`, when given, sets each teacher's chance of using the portal
    in a week from their user pk (0: never signs in), instead of the draw
    above (a simulated pilot raises it in its treated units)."""
    if Ingreso.objects.exists():
        return Resumen(ya_habia=True)
    hoy = hoy or timezone.localdate()
    anio = anio_vigente()
    rng = random.Random(semilla)
    docentes = docentes_vigentes(anio)

    uuid_seccion = dict(Seccion.objects.filter(anio=anio).values_list("pk", "uuid"))
    codigo_ie = {
        ie.pk: ie.codigo
        for ie in InstitucionEducativa.objects.filter(
            pk__in={ie for _u, ie in docentes.por_clave}
        ).only("codigo_modular", "anexo")
    }
    estudiantes: dict[int, list] = defaultdict(list)
    por_ie: dict[int, list] = defaultdict(list)
    for seccion_id, ie_id, uuid in (
        Matricula.objects.vigentes()
        .filter(seccion__anio=anio)
        .order_by("seccion_id", "estudiante_id")
        .values_list("seccion_id", "seccion__ie_id", "estudiante__uuid")
    ):
        estudiantes[seccion_id].append(uuid)
        por_ie[ie_id].append(uuid)
    guias = {
        a: list(
            Orientacion.objects.publicadas()
            .filter(audiencia=a)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for a in (Audiencia.DOCENTE, Audiencia.DIRECTOR)
    }

    # A person's lists, students and readings, over all their IEs.
    personas: dict[int, dict] = {}
    for (usuario_id, ie_id), d in sorted(docentes.por_clave.items()):
        p = personas.setdefault(
            usuario_id, {"listas": [], "estudiantes": [], "guias": []}
        )
        for s in d.secciones:
            p["listas"].append(f"seccion:{uuid_seccion[s]}")
            p["estudiantes"].extend(estudiantes[s])
        if d.es_director:
            p["listas"].append(f"ie:{codigo_ie[ie_id]}")
            p["estudiantes"].extend(por_ie[ie_id])
            p["guias"] = guias[Audiencia.DIRECTOR] + p["guias"]
        else:
            p["guias"] = p["guias"] or guias[Audiencia.DOCENTE]

    # Who wrote follow-up signed in to write it.
    autores = set(
        AccionSeguimiento.objects.values_list("autor_id", flat=True).distinct()
    ) | set(RegistroMensual.objects.values_list("autor_id", flat=True).distinct())

    ingresos, accesos, lecturas = [], [], []
    ultimo: dict[int, datetime] = {}
    del_periodo = [
        lunes_de(hoy) - timedelta(weeks=i) for i in range(semanas - 1, -1, -1)
    ]
    for usuario_id, p in sorted(personas.items()):
        if habito is not None:
            propio = habito(usuario_id)
        elif rng.random() < NUNCA_INGRESAN and usuario_id not in autores:
            continue
        else:
            propio = rng.uniform(*HABITO)
        for lunes in del_periodo:
            if rng.random() >= propio:
                continue
            dias = [
                lunes + timedelta(days=i)
                for i in range(5)
                if lunes + timedelta(days=i) <= hoy
            ]
            if not dias:
                continue
            for _n in range(rng.randint(*INGRESOS)):
                momento = _momento(rng.choice(dias), rng)
                ingresos.append((usuario_id, _db(momento)))
                ultimo[usuario_id] = max(ultimo.get(usuario_id, momento), momento)
                if p["listas"]:
                    accesos.append(
                        (
                            usuario_id,
                            Accion.VER_LISTA,
                            rng.choice(p["listas"]),
                            _db(momento),
                        )
                    )
                for uuid in rng.sample(
                    p["estudiantes"], min(len(p["estudiantes"]), rng.randint(*FICHAS))
                ):
                    accesos.append(
                        (
                            usuario_id,
                            Accion.VER_ESTUDIANTE,
                            f"estudiante:{uuid}",
                            _db(momento),
                        )
                    )
            momento = _momento(rng.choice(dias), rng)
            if p["listas"] and rng.random() < DESCARGA:
                accesos.append(
                    (
                        usuario_id,
                        Accion.DESCARGAR,
                        rng.choice(p["listas"]),
                        _db(momento),
                    )
                )
            if p["guias"] and rng.random() < LECTURA:
                lecturas.append((usuario_id, rng.choice(p["guias"]), _db(momento)))

    insertar_en_bloque(Ingreso._meta.db_table, ("usuario_id", "fecha"), ingresos)
    insertar_en_bloque(
        RegistroAcceso._meta.db_table,
        ("usuario_id", "accion", "objeto", "fecha"),
        accesos,
        texto=("accion", "objeto"),
    )
    insertar_en_bloque(
        Lectura._meta.db_table, ("usuario_id", "orientacion_id", "fecha"), lecturas
    )
    usuarios = list(Usuario.objects.filter(pk__in=ultimo).only("pk"))
    for u in usuarios:
        u.last_login = ultimo[u.pk]
    Usuario.objects.bulk_update(usuarios, ["last_login"], batch_size=1000)
    return Resumen(ingresos=len(ingresos), accesos=len(accesos), lecturas=len(lecturas))
