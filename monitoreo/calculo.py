"""The nightly aggregation of use (Celery beat, see monitoreo.tasks).

It reads the raw events (sign-ins, the access log, guidance read, actions and
monthly records) and writes the rows the monitoring pages read:

- `UsoDocenteSemana`: each teacher's counts per week at each IE where they
  hold a current assignment (weeks without use have no row);
- `UsoAmbitoSemana`: per week and per IE, UGEL, DRE and the country, the
  teachers assigned, how many distinct ones used the portal, and the sum of
  their counts (a person counts once per scope, whatever their IEs);
- `UsoDocente` and `UsoIE`: a snapshot of the last four weeks, the last
  sign-in and use, and the follow-up of the IE's students.

Weeks run Monday to Sunday, in the project's time zone. A week already
written is not read again once it is over: each night recomputes the current
and the previous week (late events of Sunday, an assignment of Monday) and any
week of the window missing. Counts are of people and of distinct things:
lists, student pages and guidance items opened count once a week each,
however many times they were reloaded.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from alerta.db import insertar_en_bloque
from alerta.models import (
    Accion,
    Asignacion,
    InstitucionEducativa,
    Matricula,
    RegistroAcceso,
    Rol,
)
from alerta.presentacion.conteos import conteos_por_clave
from alerta.selectors import anio_vigente
from orientaciones.models import Lectura
from riesgo.selectors import ejecucion_vigente
from seguimiento import agregados as seguimiento_agregados
from seguimiento.models import AccionSeguimiento, RegistroMensual
from seguimiento.resumen import q_con_registro_del_mes
from seguimiento.services import mes_de

from .models import (
    CalculoUso,
    Ingreso,
    Medidas,
    TipoAmbito,
    UsoAmbito,
    UsoAmbitoSemana,
    UsoDocente,
    UsoDocenteSemana,
    UsoIE,
)

logger = logging.getLogger(__name__)

# Weeks kept in the series (about a school semester).
SEMANAS_HISTORIA = 26
# The snapshot's window, and the weeks shown before and after a training.
SEMANAS_RECIENTES = 4
# An IE with alto students and no use by its teachers this long is listed.
DIAS_SIN_USO = 30
# Weeks read from the events in one query per source.
SEMANAS_POR_CONSULTA = 4

CAMPOS = Medidas.CAMPOS


def lunes_de(dia: date) -> date:
    return dia - timedelta(days=dia.weekday())


def _inicio_del_dia(dia: date) -> datetime:
    return timezone.make_aware(datetime.combine(dia, time.min))


def _fuentes(desde: datetime, hasta: datetime) -> dict[str, Iterable[dict]]:
    """For each count, a query of (usuario_id, semana, n) between the moments,
    grouped by user and week (TruncWeek in the current time zone)."""

    def agrupar(qs, usuario: str, fecha: str, n):
        return (
            qs.filter(**{f"{fecha}__gte": desde, f"{fecha}__lt": hasta})
            .annotate(semana=TruncWeek(fecha))
            .values("semana", u=F(usuario))
            .annotate(n=n)
            .order_by()
        )

    acceso = RegistroAcceso.objects
    return {
        "ingresos": agrupar(Ingreso.objects, "usuario_id", "fecha", Count("pk")),
        "listas": agrupar(
            acceso.filter(accion=Accion.VER_LISTA),
            "usuario_id",
            "fecha",
            Count("objeto", distinct=True),
        ),
        "fichas": agrupar(
            acceso.filter(accion=Accion.VER_ESTUDIANTE),
            "usuario_id",
            "fecha",
            Count("objeto", distinct=True),
        ),
        "descargas": agrupar(
            acceso.filter(accion=Accion.DESCARGAR), "usuario_id", "fecha", Count("pk")
        ),
        "lecturas": agrupar(
            Lectura.objects, "usuario_id", "fecha", Count("orientacion", distinct=True)
        ),
        "acciones": agrupar(
            AccionSeguimiento.objects, "autor_id", "creada", Count("pk")
        ),
        "registros": agrupar(
            RegistroMensual.objects, "autor_id", "creado", Count("pk")
        ),
    }


def _semana_de(valor) -> date:
    # TruncWeek gives a date on SQLite and an aware datetime on PostgreSQL.
    if isinstance(valor, datetime):
        return (
            timezone.localtime(valor).date()
            if timezone.is_aware(valor)
            else valor.date()
        )
    return valor


def uso_por_semana(desde: date, hasta: date) -> dict[date, dict[int, list[int]]]:
    """Each week from `desde` (a Monday) to before `hasta`: each user's counts
    in the order of `Medidas.CAMPOS`. Users without use have no entry."""
    semanas: dict[date, dict[int, list[int]]] = defaultdict(dict)
    fuentes = _fuentes(_inicio_del_dia(desde), _inicio_del_dia(hasta))
    for campo, filas in fuentes.items():
        i = CAMPOS.index(campo)
        for fila in filas:
            por_usuario = semanas[_semana_de(fila["semana"])]
            medidas = por_usuario.setdefault(fila["u"], [0] * len(CAMPOS))
            medidas[i] = fila["n"]
    return semanas


@dataclass
class Docente:
    """A teacher at one IE in the school year shown."""

    usuario_id: int
    ie_id: int
    es_tutor: bool = False
    es_director: bool = False
    secciones: list[int] = field(default_factory=list)
    ultimo_ingreso: datetime | None = None


@dataclass
class Docentes:
    """The current teachers, by (usuario, ie), and the scopes of each IE."""

    por_clave: dict[tuple[int, int], Docente]
    ugel_de: dict[int, int]
    dre_de: dict[int, int]

    def ies_de(self) -> dict[int, set[int]]:
        ies: dict[int, set[int]] = defaultdict(set)
        for usuario_id, ie_id in self.por_clave:
            ies[usuario_id].add(ie_id)
        return ies

    def ambitos(self, ies: Iterable[int]) -> Iterator[tuple[str, int]]:
        """The scopes (kind, id) that IEs `ies` belong to, each once."""
        ies = set(ies)
        yield from ((TipoAmbito.IE, ie) for ie in ies)
        yield from ((TipoAmbito.UGEL, u) for u in {self.ugel_de[ie] for ie in ies})
        yield from ((TipoAmbito.DRE, d) for d in {self.dre_de[ie] for ie in ies})
        yield (TipoAmbito.PAIS, 0)


def docentes_vigentes(anio: int | None) -> Docentes:
    """Active users with a tutor's or director's assignment of school year
    `anio` (last year's tutor is not a teacher of this year's IE)."""
    docentes: dict[tuple[int, int], Docente] = {}
    filas = (
        Asignacion.objects.vigentes()
        .filter(usuario__is_active=True)
        .filter(Q(rol=Rol.TUTOR, seccion__anio=anio) | Q(rol=Rol.DIRECTOR, anio=anio))
        .values_list(
            "usuario_id",
            "rol",
            "seccion_id",
            "seccion__ie_id",
            "ie_id",
            "usuario__last_login",
        )
    )
    for usuario_id, rol, seccion_id, ie_de_seccion, ie_id, ultimo in filas:
        ie = ie_de_seccion if rol == Rol.TUTOR else ie_id
        d = docentes.setdefault(
            (usuario_id, ie), Docente(usuario_id, ie, ultimo_ingreso=ultimo)
        )
        if rol == Rol.TUTOR:
            d.es_tutor = True
            d.secciones.append(seccion_id)
        else:
            d.es_director = True
    ies = {ie for _u, ie in docentes}
    ugel_de, dre_de = {}, {}
    for pk, ugel_id, dre_id in InstitucionEducativa.objects.filter(
        pk__in=ies
    ).values_list("pk", "ugel_id", "ugel__dre_id"):
        ugel_de[pk], dre_de[pk] = ugel_id, dre_id
    return Docentes(docentes, ugel_de, dre_de)


def _semanas_por_calcular(hoy: date) -> list[date]:
    """The weeks of the window not written yet, plus the current and the
    previous one."""
    actual = lunes_de(hoy)
    ventana = [actual - timedelta(weeks=i) for i in range(SEMANAS_HISTORIA)][::-1]
    escritas = set(
        UsoAmbitoSemana.objects.filter(
            tipo=TipoAmbito.PAIS, semana__in=ventana
        ).values_list("semana", flat=True)
    )
    recientes = {actual, actual - timedelta(weeks=1)}
    return [s for s in ventana if s not in escritas or s in recientes]


def _tramos(semanas: list[date]) -> Iterator[list[date]]:
    """Runs of consecutive weeks, at most SEMANAS_POR_CONSULTA each."""
    tramo: list[date] = []
    for s in semanas:
        if tramo and (
            s - tramo[-1] != timedelta(weeks=1) or len(tramo) == SEMANAS_POR_CONSULTA
        ):
            yield tramo
            tramo = []
        tramo.append(s)
    if tramo:
        yield tramo


def _momento(valor: datetime | None):
    """A moment as the database stores it (written without the ORM)."""
    return connection.ops.adapt_datetimefield_value(valor)


def _tabla(modelo) -> str:
    return modelo._meta.db_table


def _escribir_semana(
    semana: date, por_usuario: dict[int, list[int]], docentes: Docentes
) -> int:
    """Replace the week's rows. Returns the number of active teachers."""
    ies_de = docentes.ies_de()
    filas_docente = []
    ambitos: dict[tuple[str, int], list[int]] = {}
    activos: dict[tuple[str, int], int] = defaultdict(int)
    for usuario_id, medidas in por_usuario.items():
        ies = ies_de.get(usuario_id)
        if not ies or not any(medidas):
            continue
        for ie in ies:
            filas_docente.append((semana, usuario_id, ie, *medidas))
        for ambito in docentes.ambitos(ies):
            suma = ambitos.setdefault(ambito, [0] * len(CAMPOS))
            for i, n in enumerate(medidas):
                suma[i] += n
            activos[ambito] += 1
    asignados: dict[tuple[str, int], int] = defaultdict(int)
    for ies in ies_de.values():
        for ambito in docentes.ambitos(ies):
            asignados[ambito] += 1
    filas_ambito = [
        (
            semana,
            tipo,
            pk,
            n,
            activos.get((tipo, pk), 0),
            *ambitos.get((tipo, pk), [0] * len(CAMPOS)),
        )
        for (tipo, pk), n in asignados.items()
    ]
    UsoDocenteSemana.objects.filter(semana=semana).delete()
    UsoAmbitoSemana.objects.filter(semana=semana).delete()
    insertar_en_bloque(
        _tabla(UsoDocenteSemana),
        ("semana", "usuario_id", "ie_id", *CAMPOS),
        filas_docente,
    )
    insertar_en_bloque(
        _tabla(UsoAmbitoSemana),
        ("semana", "tipo", "ambito_id", "docentes", "activos", *CAMPOS),
        filas_ambito,
        texto=("tipo",),
    )
    return activos.get((TipoAmbito.PAIS, 0), 0)


def _ultimo_uso(desde: datetime) -> dict[int, datetime]:
    """Each user's last event since `desde`, over every source."""
    ultimo: dict[int, datetime] = {}
    fuentes = (
        (Ingreso.objects, "usuario_id", "fecha"),
        (RegistroAcceso.objects, "usuario_id", "fecha"),
        (Lectura.objects, "usuario_id", "fecha"),
        (AccionSeguimiento.objects, "autor_id", "creada"),
        (RegistroMensual.objects, "autor_id", "creado"),
    )
    for qs, usuario, fecha in fuentes:
        filas = (
            qs.filter(**{f"{fecha}__gte": desde})
            .values_list(usuario)
            .annotate(m=Max(fecha))
            .order_by()
        )
        for usuario_id, momento in filas:
            if usuario_id is not None and (
                usuario_id not in ultimo or momento > ultimo[usuario_id]
            ):
                ultimo[usuario_id] = momento
    return ultimo


def _por_seccion(anio: int | None, mes: date) -> dict[int, tuple[int, int]]:
    """Each sección of the year: current students and this month's records."""
    filas = (
        Matricula.objects.vigentes()
        .filter(seccion__anio=anio)
        .values("seccion_id")
        .annotate(
            n=Count("pk"),
            r=Count("pk", filter=Q(q_con_registro_del_mes(mes))),
        )
        .order_by()
    )
    return {f["seccion_id"]: (f["n"], f["r"]) for f in filas}


def _ie_vacia() -> dict:
    return {
        "docentes": 0,
        "activos": 0,
        "nunca": 0,
        "uso": None,
        "medidas": [0] * len(CAMPOS),
    }


def _escribir_fotos(docentes: Docentes, anio: int | None, ahora: datetime) -> None:
    """Replace the snapshot per teacher and per IE."""
    hoy = timezone.localdate(ahora)
    desde = lunes_de(hoy) - timedelta(weeks=SEMANAS_RECIENTES - 1)
    recientes: dict[tuple[int, int], list[int]] = {
        (f["usuario_id"], f["ie_id"]): [f[c] for c in CAMPOS]
        for f in UsoDocenteSemana.objects.filter(semana__gte=desde)
        .values("usuario_id", "ie_id")
        .annotate(**{c: Sum(c) for c in CAMPOS})
        .order_by()
    }
    ultimo = _ultimo_uso(ahora - timedelta(days=SEMANAS_HISTORIA * 7))
    mes = mes_de(hoy)
    secciones = _por_seccion(anio, mes)
    ejecucion = ejecucion_vigente()
    por_ie = seguimiento_agregados.por_ie(
        InstitucionEducativa.objects.all(), anio=anio, ejecucion=ejecucion, hoy=hoy
    )
    riesgo = conteos_por_clave(ejecucion, InstitucionEducativa.objects.all())

    filas_docente = []
    ies: dict[int, dict] = {}
    for (usuario_id, ie_id), d in docentes.por_clave.items():
        medidas = recientes.get((usuario_id, ie_id), [0] * len(CAMPOS))
        if d.es_director:
            fila_ie = por_ie.get(ie_id)
            estudiantes = fila_ie.estudiantes if fila_ie else 0
            registros = fila_ie.registros if fila_ie else 0
        else:
            estudiantes = sum(secciones.get(s, (0, 0))[0] for s in d.secciones)
            registros = sum(secciones.get(s, (0, 0))[1] for s in d.secciones)
        uso = ultimo.get(usuario_id)
        filas_docente.append(
            (
                usuario_id,
                ie_id,
                docentes.ugel_de[ie_id],
                docentes.dre_de[ie_id],
                d.es_tutor,
                d.es_director,
                _momento(d.ultimo_ingreso),
                _momento(uso),
                estudiantes,
                registros,
                *medidas,
            )
        )
        ie = ies.setdefault(ie_id, _ie_vacia())
        ie["docentes"] += 1
        ie["activos"] += any(medidas)
        ie["nunca"] += d.ultimo_ingreso is None
        if uso and (ie["uso"] is None or uso > ie["uso"]):
            ie["uso"] = uso
        ie["medidas"] = [a + b for a, b in zip(ie["medidas"], medidas, strict=True)]

    # Every IE with teachers or with current students has a row.
    ubicacion = {
        pk: (ugel, dre)
        for pk, ugel, dre in InstitucionEducativa.objects.filter(
            pk__in=set(ies) | set(por_ie)
        ).values_list("pk", "ugel_id", "ugel__dre_id")
    }
    limite = ahora - timedelta(days=DIAS_SIN_USO)
    filas_ie = []
    for ie_id, (ugel_id, dre_id) in ubicacion.items():
        datos = ies.get(ie_id) or _ie_vacia()
        seg = por_ie.get(ie_id)
        conteo = riesgo.get(ie_id)
        alto = conteo.alto if conteo else 0
        filas_ie.append(
            (
                ie_id,
                ugel_id,
                dre_id,
                datos["docentes"],
                datos["activos"],
                datos["nunca"],
                _momento(datos["uso"]),
                alto,
                conteo.medio if conteo else 0,
                seg.con_accion if seg else 0,
                seg.estudiantes if seg else 0,
                seg.registros if seg else 0,
                alto > 0 and (datos["uso"] is None or datos["uso"] < limite),
                *datos["medidas"],
            )
        )
    # Each person once per scope, over all their IEs.
    por_ambito: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    for usuario_id, ies_de_usuario in docentes.ies_de().items():
        activo = any(any(recientes.get((usuario_id, ie), ())) for ie in ies_de_usuario)
        nunca = any(
            docentes.por_clave[(usuario_id, ie)].ultimo_ingreso is None
            for ie in ies_de_usuario
        )
        for ambito in docentes.ambitos(ies_de_usuario):
            fila = por_ambito[ambito]
            fila[0] += 1
            fila[1] += activo
            fila[2] += nunca
    UsoDocente.objects.all().delete()
    UsoIE.objects.all().delete()
    UsoAmbito.objects.all().delete()
    insertar_en_bloque(
        _tabla(UsoAmbito),
        ("tipo", "ambito_id", "docentes", "activos", "nunca_ingresaron"),
        [(tipo, pk, *cifras) for (tipo, pk), cifras in por_ambito.items()],
        texto=("tipo",),
    )
    insertar_en_bloque(
        _tabla(UsoDocente),
        (
            "usuario_id",
            "ie_id",
            "ugel_id",
            "dre_id",
            "es_tutor",
            "es_director",
            "ultimo_ingreso",
            "ultimo_uso",
            "estudiantes",
            "con_registro_mes",
            *CAMPOS,
        ),
        filas_docente,
    )
    insertar_en_bloque(
        _tabla(UsoIE),
        (
            "ie_id",
            "ugel_id",
            "dre_id",
            "docentes",
            "activos",
            "nunca_ingresaron",
            "ultimo_uso",
            "alto",
            "medio",
            "alto_medio_con_accion",
            "estudiantes",
            "con_registro_mes",
            "sin_uso_30_dias",
            *CAMPOS,
        ),
        filas_ie,
    )


def uso_calcular(*, ahora: datetime | None = None) -> CalculoUso:
    """The nightly aggregation. Each week, and the snapshot, is replaced in one
    transaction: a failure leaves yesterday's figures in place, and is
    recorded on the run."""
    ahora = ahora or timezone.now()
    hoy = timezone.localdate(ahora)
    calculo = CalculoUso.objects.create()
    try:
        anio = anio_vigente()
        docentes = docentes_vigentes(anio)
        semanas = _semanas_por_calcular(hoy)
        for tramo in _tramos(semanas):
            datos = uso_por_semana(tramo[0], tramo[-1] + timedelta(weeks=1))
            for semana in tramo:
                with transaction.atomic():
                    _escribir_semana(semana, datos.get(semana, {}), docentes)
        with transaction.atomic():
            UsoDocenteSemana.objects.filter(
                semana__lt=lunes_de(hoy) - timedelta(weeks=SEMANAS_HISTORIA - 1)
            ).delete()
            UsoAmbitoSemana.objects.filter(
                semana__lt=lunes_de(hoy) - timedelta(weeks=SEMANAS_HISTORIA - 1)
            ).delete()
            _escribir_fotos(docentes, anio, ahora)
    except Exception as exc:
        calculo.error = f"{type(exc).__name__}: {exc}"[:2000]
        calculo.fin = timezone.now()
        calculo.save(update_fields=["error", "fin"])
        logger.exception("El cálculo del uso %s falló", calculo.pk)
        raise
    calculo.semanas = len(semanas)
    calculo.docentes = len(docentes.por_clave)
    calculo.fin = timezone.now()
    calculo.save(update_fields=["semanas", "docentes", "fin"])
    return calculo
