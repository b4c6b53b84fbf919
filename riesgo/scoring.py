"""Scoring runs: every current student scored with the published model.

A run is split into chunks, each the students of a range of IEs
(`LoteEjecucion`). A chunk computes its features, predicts, explains and
writes its scores in one transaction, and is marked done in that same
transaction: running a chunk twice writes nothing twice, and a chunk cut off
half-way leaves nothing behind. The closing step checks that every chunk is
done, writes the aggregates per scope and marks the run successful; only then
do its scores become the current ones (readers take the latest successful
run). A failed or interrupted run leaves the previous one current, and
`riesgo.tasks.ejecucion_reanudar` finishes it by scoring the chunks that are not done.

Each chunk also counts its rows into the model's drift reference bins, and the
closing step turns the chunks' summed counts into one PSI per variable and
tells Minedu of a new important drift (riesgo.deriva, riesgo.vigilancia).

On Celery the chunks are a group and the closing step the chord's callback
(see riesgo.tasks); `puntaje_ejecutar` runs the same steps in this process.
"""

import functools
import logging
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from alerta.db import insertar_en_bloque
from alerta.models import (
    InstitucionEducativa,
    Matricula,
    Seccion,
    SituacionFinal,
    Ugel,
    sql_quinto_de_secundaria,
)
from alerta.selectors import anio_vigente

from . import artefactos
from .cortes import probabilidades_guardadas
from .deriva import contar
from .explicaciones import explicar
from .features import CATEGORICAS, NUMERICAS, construir_features, tasas_desercion
from .models import (
    AgregadoRiesgo,
    Ambito,
    EjecucionPuntaje,
    EstadoEjecucion,
    LoteEjecucion,
    ModeloRiesgo,
    NivelRiesgo,
    Puntaje,
)
from .vigilancia import deriva_avisar, deriva_escribir

logger = logging.getLogger(__name__)

# How long a run's shared dropout rates stay in the cache: longer than any run.
TASAS_VIGENCIA_S = 24 * 3600

COLUMNAS_PUNTAJE = (
    "ejecucion_id",
    "matricula_id",
    "probabilidad",
    "nivel",
    "factor_1",
    "factor_2",
    "factor_3",
)


class SinModeloPublicado(Exception):
    pass


class EjecucionIncompleta(Exception):
    pass


@dataclass(frozen=True)
class Rango:
    desde: int
    hasta: int
    estudiantes: int


def rangos_de_ies(anio: int, tamano: int) -> list[Rango]:
    """Consecutive ranges of IE ids holding about `tamano` students to score
    each (5.º de secundaria is never scored).

    An IE is never split: its students are scored together.
    """
    por_ie = (
        Matricula.objects.vigentes()
        .con_riesgo()
        .filter(seccion__anio=anio)
        .values_list("seccion__ie_id")
        .annotate(n=Count("pk"))
        .order_by("seccion__ie_id")
    )
    rangos: list[Rango] = []
    desde = hasta = None
    acumulado = 0
    for ie_id, n in por_ie.iterator(chunk_size=10_000):
        if desde is None:
            desde = ie_id
        hasta = ie_id
        acumulado += n
        if acumulado >= tamano:
            rangos.append(Rango(desde, hasta, acumulado))
            desde, acumulado = None, 0
    if desde is not None:
        rangos.append(Rango(desde, hasta, acumulado))
    return rangos


def puntaje_iniciar(
    *, anio: int | None = None, tamano_lote: int | None = None
) -> EjecucionPuntaje:
    """Record a new run of the published model and its chunks."""
    modelo = ModeloRiesgo.objects.publicado()
    if modelo is None:
        raise SinModeloPublicado("No hay un modelo de riesgo publicado.")
    anio = anio or anio_vigente()
    tamano = tamano_lote or settings.RIESGO_LOTE_ESTUDIANTES
    rangos = rangos_de_ies(anio, tamano)
    with transaction.atomic():
        ejecucion = EjecucionPuntaje.objects.create(
            modelo=modelo, anio=anio, lotes=len(rangos)
        )
        LoteEjecucion.objects.bulk_create(
            LoteEjecucion(ejecucion=ejecucion, ie_desde=r.desde, ie_hasta=r.hasta)
            for r in rangos
        )
    logger.info(
        "Ejecución de puntaje %s: año %s, %s lotes", ejecucion.pk, anio, len(rangos)
    )
    # Once, before the chunks start, rather than by the first ones at once.
    tasas_de_la_ejecucion(ejecucion)
    return ejecucion


def tasas_de_la_ejecucion(ejecucion: EjecucionPuntaje) -> pd.DataFrame:
    """The year-before dropout rates of every IE, computed once per run and
    shared by its chunks through the cache (Redis in production): each chunk
    computing those of its own distritos cost about half a second, 120 times
    for the whole country. If the cache lost them, they are computed again,
    with the same result."""
    clave = f"riesgo:tasas-desercion:{ejecucion.pk}"
    tasas = cache.get(clave)
    if tasas is None:
        tasas = tasas_desercion(ejecucion.anio)
        cache.set(clave, tasas, timeout=TASAS_VIGENCIA_S)
    return tasas


def _memoria_de_consultas() -> None:
    """Give the chunk's queries (this transaction only) the memory their
    aggregates need: with the default 4 MB, grouping the grades of 50,000
    students spilled to disk in 33 batches."""
    if connection.vendor == "postgresql":
        megas = int(settings.RIESGO_MEMORIA_CONSULTAS_MB)
        with connection.cursor() as cur:
            cur.execute(f"SET LOCAL work_mem = '{megas}MB'")


@functools.lru_cache(maxsize=2)
def _pipeline(artefacto: str, sha256: str):
    # A worker scores many chunks with the same version: load it once.
    return artefactos.cargar(artefacto, sha256)


def lote_bloquear(lote_id: int) -> LoteEjecucion:
    """The chunk, locked until the end of the transaction, with its run and model.

    Only the chunk's own row is locked: a plain FOR UPDATE would also lock the
    joined run and model rows, and every chunk of the run would wait for the
    one holding them (the chunks of a run went one at a time, whatever the
    number of workers).
    """
    return (
        LoteEjecucion.objects.select_for_update(of=("self",))
        .select_related("ejecucion__modelo")
        .get(pk=lote_id)
    )


def lote_puntuar(lote_id: int) -> int:
    """Score one chunk; a chunk already done is left as it is.

    Returns the number of students scored.
    """
    inicio = time.monotonic()
    with transaction.atomic():
        lote = lote_bloquear(lote_id)
        ejecucion = lote.ejecucion
        if lote.hecho or ejecucion.estado != EstadoEjecucion.EN_CURSO:
            return lote.estudiantes
        modelo = ejecucion.modelo
        _memoria_de_consultas()
        X = construir_features(
            ejecucion.anio,
            solo_vigentes=True,
            ies=(lote.ie_desde, lote.ie_hasta),
            tasas=tasas_de_la_ejecucion(ejecucion),
        )
        filas: list[tuple] = []
        if len(X):
            pipeline = _pipeline(modelo.artefacto, modelo.sha256)
            # The columns this version was trained on, which may be fewer than
            # today's feature list (an older version, a column left out).
            columnas = getattr(pipeline, "feature_names_in_", NUMERICAS + CATEGORICAS)
            datos = X[list(columnas)]
            if modelo.referencia:
                explicacion = explicar(pipeline, datos, modelo.referencia)
                probabilidad = explicacion.probabilidad
                codigos = explicacion.codigos
            else:
                # A version trained before explanations existed.
                probabilidad = pipeline.predict_proba(datos)[:, 1]
                codigos = np.full((len(X), 3), "", dtype=object)
            # The level of the probability as stored: the two always agree.
            probabilidad = probabilidades_guardadas(probabilidad)
            if modelo.referencia_deriva:
                # Counted here, while the rows are in memory: the closing step
                # sums the chunks' counts instead of reading every row again.
                lote.conteos_deriva = contar(modelo.referencia_deriva, X, probabilidad)
            filas = list(
                zip(
                    [ejecucion.pk] * len(X),
                    X.index.tolist(),
                    probabilidad.tolist(),
                    modelo.niveles_para(probabilidad).tolist(),
                    codigos[:, 0].tolist(),
                    codigos[:, 1].tolist(),
                    codigos[:, 2].tolist(),
                    strict=True,
                )
            )
        insertar_en_bloque(
            Puntaje._meta.db_table,
            COLUMNAS_PUNTAJE,
            filas,
            texto=("nivel", "factor_1", "factor_2", "factor_3"),
        )
        lote.hecho = True
        lote.estudiantes = len(filas)
        lote.duracion_s = time.monotonic() - inicio
        lote.save(
            update_fields=["hecho", "estudiantes", "duracion_s", "conteos_deriva"]
        )
    return lote.estudiantes


def _contar(nivel: str) -> str:
    return f"SUM(CASE WHEN p.nivel = '{nivel}' THEN 1 ELSE 0 END)"


def agregados_escribir(ejecucion: EjecucionPuntaje) -> None:
    """Counts per level for every sección, then IE, UGEL, DRE and the country.

    All in the database: the sección rows from the scores, the wider scopes
    from the sección rows. The secciones of 5.º de secundaria, never scored,
    get a row with their current students in `sin_riesgo`.
    """
    agregado = AgregadoRiesgo._meta.db_table
    puntaje = Puntaje._meta.db_table
    matricula = Matricula._meta.db_table
    seccion = Seccion._meta.db_table
    ie = InstitucionEducativa._meta.db_table
    ugel = Ugel._meta.db_table
    columnas = (
        "ejecucion_id, ambito, clave, nivel, grado, alto, medio, bajo, sin_riesgo"
    )
    suma = "SUM(a.alto), SUM(a.medio), SUM(a.bajo), SUM(a.sin_riesgo)"
    no_vigentes = ", ".join(
        f"'{s}'" for s in (SituacionFinal.TRASLADADO, SituacionFinal.FALLECIDO)
    )
    desde_secciones = (
        f"FROM {agregado} a JOIN {seccion} s ON s.id = a.clave "
        f"JOIN {ie} i ON i.id = s.ie_id JOIN {ugel} u ON u.id = i.ugel_id "
        f"WHERE a.ejecucion_id = %s AND a.ambito = '{Ambito.SECCION}'"
    )
    sentencias = [
        f"INSERT INTO {agregado} ({columnas}) "
        f"SELECT p.ejecucion_id, '{Ambito.SECCION}', s.id, s.nivel, s.grado, "
        f"{_contar(NivelRiesgo.ALTO)}, {_contar(NivelRiesgo.MEDIO)}, "
        f"{_contar(NivelRiesgo.BAJO)}, 0 "
        f"FROM {puntaje} p JOIN {matricula} m ON m.id = p.matricula_id "
        f"JOIN {seccion} s ON s.id = m.seccion_id WHERE p.ejecucion_id = %s "
        # A run begun before 5.º de secundaria was left out, resumed after.
        f"AND NOT {sql_quinto_de_secundaria('s.nivel', 's.grado')} "
        f"GROUP BY p.ejecucion_id, s.id, s.nivel, s.grado",
        # The same students Matricula.objects.vigentes().sin_riesgo() gives.
        f"INSERT INTO {agregado} ({columnas}) "
        f"SELECT e.id, '{Ambito.SECCION}', s.id, s.nivel, s.grado, 0, 0, 0, "
        f"COUNT(*) FROM {matricula} m JOIN {seccion} s ON s.id = m.seccion_id "
        f"JOIN {EjecucionPuntaje._meta.db_table} e ON e.anio = s.anio "
        f"WHERE e.id = %s AND {sql_quinto_de_secundaria('s.nivel', 's.grado')} "
        f"AND m.situacion_final NOT IN ({no_vigentes}) "
        f"GROUP BY e.id, s.id, s.nivel, s.grado",
    ]
    for ambito, clave in (
        (Ambito.IE, "s.ie_id"),
        (Ambito.UGEL, "i.ugel_id"),
        (Ambito.DRE, "u.dre_id"),
        (Ambito.NACIONAL, None),
    ):
        # A constant in GROUP BY would be read as a column position.
        grupos = ", ".join(c for c in ("a.ejecucion_id", clave) if c)
        sentencias.append(
            f"INSERT INTO {agregado} ({columnas}) "
            f"SELECT a.ejecucion_id, '{ambito}', {clave or 0}, a.nivel, a.grado, "
            f"{suma} {desde_secciones} GROUP BY {grupos}, a.nivel, a.grado"
        )
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {agregado} WHERE ejecucion_id = %s", [ejecucion.pk])
        for sql in sentencias:
            cur.execute(sql, [ejecucion.pk])


def puntaje_cerrar(ejecucion_id: int) -> EjecucionPuntaje:
    """Close a run whose chunks are all done: aggregates, then current."""
    with transaction.atomic():
        ejecucion = EjecucionPuntaje.objects.select_for_update().get(pk=ejecucion_id)
        if ejecucion.estado != EstadoEjecucion.EN_CURSO:
            return ejecucion
        pendientes = ejecucion.lotes_de.filter(hecho=False).count()
        if pendientes:
            raise EjecucionIncompleta(
                f"Run {ejecucion.pk} has {pendientes} chunks not done"
            )
        agregados_escribir(ejecucion)
        deriva_escribir(ejecucion)
        ejecucion.estudiantes = (
            ejecucion.lotes_de.aggregate(n=Sum("estudiantes"))["n"] or 0
        )
        ejecucion.estado = EstadoEjecucion.EXITOSA
        ejecucion.fin = timezone.now()
        ejecucion.duracion_s = (ejecucion.fin - ejecucion.inicio).total_seconds()
        ejecucion.error = ""
        ejecucion.save()
    logger.info(
        "Ejecución de puntaje %s: %s estudiantes en %.1f s",
        ejecucion.pk,
        ejecucion.estudiantes,
        ejecucion.duracion_s,
    )
    try:
        deriva_avisar(ejecucion.pk)
    except Exception as exc:
        # The run succeeded and its scores are current: a mail server down
        # must not undo that. The claims were rolled back; the next run tells.
        # The error by its type only: a server's message may quote an address.
        logger.error(
            "No se pudo avisar la deriva de la ejecución %s (%s)",
            ejecucion.pk,
            type(exc).__name__,
        )
    return ejecucion


def puntaje_fallar(ejecucion_id: int, exc: BaseException) -> None:
    """Record a run as failed; its chunks' scores never become current."""
    fin = timezone.now()
    ejecucion = EjecucionPuntaje.objects.get(pk=ejecucion_id)
    EjecucionPuntaje.objects.filter(
        pk=ejecucion_id, estado=EstadoEjecucion.EN_CURSO
    ).update(
        estado=EstadoEjecucion.FALLIDA,
        fin=fin,
        duracion_s=(fin - ejecucion.inicio).total_seconds(),
        error=f"{type(exc).__name__}: {exc}"[:2000],
    )


def ejecucion_reabrir(ejecucion: EjecucionPuntaje) -> None:
    """Put a failed run back in progress so that its missing chunks can run."""
    EjecucionPuntaje.objects.filter(
        pk=ejecucion.pk, estado=EstadoEjecucion.FALLIDA
    ).update(estado=EstadoEjecucion.EN_CURSO, error="", fin=None)
    ejecucion.refresh_from_db()


def lotes_pendientes(ejecucion: EjecucionPuntaje) -> list[int]:
    return list(
        ejecucion.lotes_de.filter(hecho=False)
        .order_by("ie_desde")
        .values_list("pk", flat=True)
    )


def puntaje_ejecutar(
    *, anio: int | None = None, tamano_lote: int | None = None
) -> EjecucionPuntaje:
    """A whole run in this process: start, every chunk, close."""
    ejecucion = puntaje_iniciar(anio=anio, tamano_lote=tamano_lote)
    return puntaje_completar(ejecucion)


def puntaje_completar(ejecucion: EjecucionPuntaje) -> EjecucionPuntaje:
    """Score the chunks not done yet, in this process, and close the run."""
    try:
        for lote_id in lotes_pendientes(ejecucion):
            lote_puntuar(lote_id)
        return puntaje_cerrar(ejecucion.pk)
    except Exception as exc:
        logger.exception("La ejecución de puntaje %s falló", ejecucion.pk)
        puntaje_fallar(ejecucion.pk, exc)
        raise
