"""Compute the outcome report of a scoring run once year t+1 is imported.

The run's scores are read in one query (with each student's scope, groups and
whether an action was recorded for them in school year t) into a DataFrame;
the outcome is `riesgo.features.etiquetas`, the dropout definition the model
is trained and validated with. Students without a label (5.º de secundaria,
deceased, not their representative enrollment) are counted apart. Counts are
pandas group-bys; the quality of each scope (country, DRE, UGEL) is
`riesgo.training.bloque`, the same figures as the model's validation. No
per-student loop: a national run has about 6 million rows.
"""

import datetime as dt
import logging

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from alerta.models import Matricula, Seccion
from riesgo.features import NO_ORIGINARIAS, etiquetas
from riesgo.models import EjecucionPuntaje, EstadoEjecucion, Puntaje
from riesgo.training import bloque
from seguimiento.agregados import ESTADOS_QUE_CUENTAN, anio_escolar
from seguimiento.models import AccionSeguimiento
from siagie_import.models import EstadoImportacion, Importacion

from .models import (
    AmbitoResultado,
    CalidadResultado,
    Dimension,
    EstadoInforme,
    FilaResultado,
    InformeResultados,
)

logger = logging.getLogger(__name__)

ORIGINARIA = "ORIGINARIA"
CASTELLANO = "CASTELLANO"
DESCONOCIDA = "DESCONOCIDA"
CON_ACCION = "CON"
SIN_ACCION = "SIN"

# The column of the frame that holds each scope's key, and each breakdown's.
_AMBITOS = {
    AmbitoResultado.PAIS: "pais",
    AmbitoResultado.DRE: "dre_id",
    AmbitoResultado.UGEL: "ugel_id",
    AmbitoResultado.IE: "ie_id",
}
_DIMENSIONES = {
    Dimension.TOTAL: "total",
    Dimension.NIVEL: "nivel",
    Dimension.AREA: "area",
    Dimension.SEXO: "sexo",
    Dimension.LENGUA: "lengua",
    Dimension.ACCION: "accion",
}
# An IE's page is its UGEL's table row: its total only.
_DIMENSIONES_DE = {
    AmbitoResultado.IE: [Dimension.TOTAL],
}
# Scopes whose quality (ROC-AUC, calibration) is computed.
_CON_CALIDAD = [AmbitoResultado.PAIS, AmbitoResultado.DRE, AmbitoResultado.UGEL]
LOTE_FILAS = 5000
# A computation still "en curso" after this long was cut off (its worker died).
INTERRUMPIDO_TRAS = dt.timedelta(hours=6)
LOTE_LECTURA = 200_000
_TEXTOS = ["nivel_riesgo", "nivel", "area", "sexo", "lengua_materna"]


def ejecucion_publicada(anio: int) -> EjecucionPuntaje | None:
    """The scores published for year `anio`: its last successful run."""
    return (
        EjecucionPuntaje.objects.filter(anio=anio, estado=EstadoEjecucion.EXITOSA)
        .select_related("modelo")
        .order_by("-inicio", "-pk")
        .first()
    )


def huella_de(anio: int) -> str | None:
    """The state of the data the outcome of year `anio` is read from: the
    latest completed import of year `anio` or `anio`+1 and the number of
    enrollments of `anio`+1. None while `anio`+1 has none."""
    siguiente = anio + 1
    matriculas = Matricula.objects.filter(seccion__anio=siguiente).count()
    if not matriculas:
        return None
    ultima = Importacion.objects.filter(
        estado=EstadoImportacion.COMPLETADA, anio__in=[anio, siguiente]
    ).aggregate(m=Max("pk"))["m"]
    return f"{ultima or 0}:{matriculas}"


def pendientes() -> list[tuple[EjecucionPuntaje, str]]:
    """The runs whose report is missing or out of date: the published run of
    each year t with enrollment in t+1, when no successful report has read
    t+1's data as it is now."""
    anios = set(Seccion.objects.values_list("anio", flat=True).distinct())
    con_puntaje = (
        EjecucionPuntaje.objects.filter(estado=EstadoEjecucion.EXITOSA)
        .values_list("anio", flat=True)
        .distinct()
    )
    faltan = []
    for anio in sorted(set(con_puntaje)):
        if anio + 1 not in anios:
            continue
        ejecucion = ejecucion_publicada(anio)
        huella = huella_de(anio)
        if ejecucion is None or huella is None:
            continue
        hecho = InformeResultados.objects.exitosos().filter(
            ejecucion=ejecucion, huella=huella
        )
        if not hecho.exists():
            faltan.append((ejecucion, huella))
    return faltan


def _datos(ejecucion: EjecucionPuntaje) -> pd.DataFrame:
    """One row per score of the run: its probability, level, scope, groups and
    whether the student had an action that counts in school year t."""
    inicio, fin = anio_escolar(ejecucion.anio)
    accion = Exists(
        AccionSeguimiento.objects.filter(
            estudiante_id=OuterRef("matricula__estudiante_id"),
            estado__in=ESTADOS_QUE_CUENTAN,
            fecha__gte=inicio,
            fecha__lte=fin,
        )
    )
    columnas = {
        "matricula_id": "matricula_id",
        "probabilidad": "probabilidad",
        "nivel_riesgo": "nivel",
        "ie_id": "matricula__seccion__ie_id",
        "ugel_id": "matricula__seccion__ie__ugel_id",
        "dre_id": "matricula__seccion__ie__ugel__dre_id",
        "nivel": "matricula__seccion__nivel",
        "area": "matricula__seccion__ie__area",
        "sexo": "matricula__estudiante__sexo",
        "lengua_materna": "matricula__estudiante__lengua_materna",
        "con_accion": "con_accion",
    }
    qs = (
        Puntaje.objects.filter(ejecucion=ejecucion)
        .annotate(con_accion=accion)
        .values_list(*columnas.values())
        .order_by()
    )
    sql, params = qs.query.sql_with_params()
    partes = []
    with connection.cursor() as cur:
        cur.execute(sql, params)
        # In chunks, texts as categories: a national run's 6 million rows
        # never exist as Python tuples all at once.
        while filas := cur.fetchmany(LOTE_LECTURA):
            parte = pd.DataFrame.from_records(filas, columns=list(columnas))
            partes.append(parte.astype(dict.fromkeys(_TEXTOS, "category")))
    if not partes:
        return pd.DataFrame(columns=list(columnas)).set_index("matricula_id")
    df = pd.concat(partes, ignore_index=True)
    # Categories of different chunks merge as plain objects: back to categories.
    df = df.astype(dict.fromkeys(_TEXTOS, "category"))
    return df.set_index("matricula_id")


def _grupo_lengua(valor: str) -> str:
    texto = (valor or "").strip().upper()
    if not texto:
        return DESCONOCIDA
    return CASTELLANO if texto in NO_ORIGINARIAS else ORIGINARIA


def _grupos(df: pd.DataFrame) -> pd.DataFrame:
    """The breakdown columns, as the values the rows store."""
    lengua = df["lengua_materna"].astype("category")
    # Mapped once per distinct language, not per student.
    grupos = {c: _grupo_lengua(c) for c in lengua.cat.categories}
    return df.assign(
        pais=0,
        total="",
        lengua=lengua.map(grupos).astype(object).fillna(DESCONOCIDA),
        accion=np.where(df["con_accion"].astype(bool), CON_ACCION, SIN_ACCION),
    )


def _filas(informe: InformeResultados, df: pd.DataFrame):
    for ambito, col_ambito in _AMBITOS.items():
        for dimension in _DIMENSIONES_DE.get(ambito, list(_DIMENSIONES)):
            col = _DIMENSIONES[dimension]
            conteo = (
                df.groupby([col_ambito, col, "nivel_riesgo"], observed=True)[
                    "desercion"
                ]
                .agg(["size", "sum"])
                .reset_index()
            )
            for clave, valor, nivel, marcados, desertores in conteo.itertuples(
                index=False
            ):
                yield FilaResultado(
                    informe=informe,
                    ambito=ambito,
                    clave=int(clave),
                    dimension=dimension,
                    valor=str(valor),
                    nivel_riesgo=nivel,
                    marcados=int(marcados),
                    desertores=int(desertores),
                )


def _calidades(
    informe: InformeResultados, df: pd.DataFrame, fuera: pd.DataFrame
) -> list[CalidadResultado]:
    modelo = informe.modelo
    calidades = []
    for ambito in _CON_CALIDAD:
        col = _AMBITOS[ambito]
        sin = fuera.groupby(col).size() if not fuera.empty else pd.Series(dtype=int)
        for clave, parte in df.groupby(col):
            metricas = bloque(
                parte["desercion"].to_numpy(),
                parte["probabilidad"].to_numpy(),
                modelo.corte_alto,
                modelo.corte_medio,
            )
            metricas["sin_resultado"] = int(sin.get(clave, 0))
            calidades.append(
                CalidadResultado(
                    informe=informe, ambito=ambito, clave=int(clave), metricas=metricas
                )
            )
    return calidades


def _iniciar(ejecucion: EjecucionPuntaje, huella: str) -> InformeResultados | None:
    """Record the start of a report, unless the same one is done or being
    computed (the nightly task and Minedu's button may meet): the run's row is
    locked while deciding."""
    with transaction.atomic():
        EjecucionPuntaje.objects.select_for_update().filter(pk=ejecucion.pk).first()
        mismo = InformeResultados.objects.filter(ejecucion=ejecucion, huella=huella)
        en_curso = mismo.filter(
            estado=EstadoInforme.EN_CURSO,
            inicio__gte=timezone.now() - INTERRUMPIDO_TRAS,
        )
        if mismo.filter(estado=EstadoInforme.EXITOSO).exists() or en_curso.exists():
            return None
        return InformeResultados.objects.create(
            anio=ejecucion.anio,
            ejecucion=ejecucion,
            modelo=ejecucion.modelo,
            huella=huella,
        )


def informe_calcular(
    *, ejecucion: EjecucionPuntaje, huella: str
) -> InformeResultados | None:
    """Compute and store the report of `ejecucion` against year t+1 as it is
    (None when it is already done or under way)."""
    informe = _iniciar(ejecucion, huella)
    if informe is None:
        return None
    try:
        df = _grupos(_datos(ejecucion))
        y = etiquetas(ejecucion.anio, df[["probabilidad"]])
        df["desercion"] = y
        con = df[df["desercion"].notna()].copy()
        con["desercion"] = con["desercion"].astype(int)
        fuera = df[df["desercion"].isna()]
        with transaction.atomic():
            if not con.empty:
                FilaResultado.objects.bulk_create(
                    _filas(informe, con), batch_size=LOTE_FILAS
                )
                CalidadResultado.objects.bulk_create(
                    _calidades(informe, con, fuera), batch_size=LOTE_FILAS
                )
            informe.puntuados = len(df)
            informe.con_resultado = len(con)
            informe.sin_resultado = len(fuera)
            informe.estado = EstadoInforme.EXITOSO
            informe.fin = timezone.now()
            informe.save()
    except Exception as exc:
        logger.exception("El informe de resultados %s falló", informe.pk)
        InformeResultados.objects.filter(pk=informe.pk).update(
            estado=EstadoInforme.FALLIDO, fin=timezone.now(), error=str(exc)[:2000]
        )
        raise
    logger.info(
        "Informe de resultados %s: año %s, %s estudiantes con resultado",
        informe.pk,
        informe.anio,
        informe.con_resultado,
    )
    return informe


def resultados_calcular() -> list[InformeResultados]:
    """Every report that is missing or out of date (the nightly step)."""
    informes = (
        informe_calcular(ejecucion=ejecucion, huella=huella)
        for ejecucion, huella in pendientes()
    )
    return [informe for informe in informes if informe is not None]
