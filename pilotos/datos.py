"""A published evaluation read into the frame pilotos.analisis takes.

- Students: those the evaluation's scoring run scored at its units' IEs (the
  population the units had when they were drawn), with their risk level and
  score then (the analysis adjusts for it).
- Outcome: `riesgo.features.etiquetas` for that school year, the definition
  the model and the outcome report use (enrolled nowhere the next year; 5.º
  de secundaria and the deceased have none). Students without one are left
  out.
- Use: the unit's weeks in pilotos.UsoUnidadSemana over the period: the
  share of its teachers' weeks with some use (active teacher-weeks over
  teacher-weeks), and its sign-ins, lists opened, guidance read and actions
  over the period.
"""

import hashlib
import time
from dataclasses import asdict, dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, QuerySet, Sum
from django.utils.translation import gettext as _

from resultados.calculo import huella_de
from riesgo.features import etiquetas
from riesgo.models import Puntaje

from .analisis import CONTROL, COVARIABLE, MEDIDAS_DE_USO, Estimacion, analizar
from .models import AnalisisEvaluacion, Evaluacion, UnidadEvaluacion, UsoUnidadSemana
from .uso import ies_por_unidad, periodo

# The results page's figures are kept this long (their key changes with the
# outcome year's data and the copied use anyway).
CACHE_SEGUNDOS = 3600

COLUMNAS = [
    "unidad",
    "estrato",
    "brazo",
    "nivel",
    COVARIABLE,
    "desercion",
    "uso",
    *MEDIDAS_DE_USO,
]


def anio_de_resultado(evaluacion: Evaluacion) -> int | None:
    return evaluacion.ejecucion.anio + 1 if evaluacion.ejecucion_id else None


def _huella_del_anio(evaluacion: Evaluacion) -> str | None:
    """The state of the outcome year's data (resultados.calculo.huella_de);
    None while it has no enrollment. It counts the year's enrollments: read
    it once per request and pass it on."""
    return huella_de(evaluacion.ejecucion.anio) if evaluacion.ejecucion_id else None


def resultado_disponible(evaluacion: Evaluacion) -> bool:
    """Whether the outcome year has enrollment imported."""
    return _huella_del_anio(evaluacion) is not None


def clave_de_brazo(evaluacion: Evaluacion, codigo: str) -> str:
    """The arm as the analysis names it: the control arm is CONTROL."""
    if codigo == evaluacion.control:
        return CONTROL
    # A treatment arm coded like the analysis' control keeps apart from it.
    return f"{codigo}*" if codigo == CONTROL else codigo


def uso_por_unidad(unidades: QuerySet[UnidadEvaluacion]) -> pd.DataFrame:
    """Per unit pk: uso (share of teacher-weeks with use; empty without
    teachers), docentes (teacher-weeks) and the counts over the period."""
    filas = (
        UsoUnidadSemana.objects.filter(unidad__in=unidades)
        .values("unidad_id")
        .annotate(
            semanas_docente=Sum("docentes"),
            activos=Sum("activos"),
            **{m: Sum(m) for m in MEDIDAS_DE_USO},
        )
        .order_by()
    )
    uso = pd.DataFrame(
        list(filas),
        columns=["unidad_id", "semanas_docente", "activos", *MEDIDAS_DE_USO],
    ).set_index("unidad_id")
    uso["uso"] = uso["activos"] / uso["semanas_docente"].where(
        uso["semanas_docente"] > 0
    )
    return uso


def datos_de_evaluacion(
    evaluacion: Evaluacion, unidades: QuerySet[UnidadEvaluacion]
) -> pd.DataFrame:
    """One row per student of `unidades` with an outcome (COLUMNAS). Empty
    while the outcome year has no enrollment."""
    if not resultado_disponible(evaluacion):
        return pd.DataFrame(columns=COLUMNAS)
    return _datos(evaluacion, unidades)


def _datos(
    evaluacion: Evaluacion, unidades: QuerySet[UnidadEvaluacion]
) -> pd.DataFrame:
    """datos_de_evaluacion once the outcome year is known to be there."""
    anio = evaluacion.ejecucion.anio
    ies_de = ies_por_unidad(unidades)
    unidad_de_ie = {ie: u for u, ies in ies_de.items() for ie in ies}
    puntajes = pd.DataFrame.from_records(
        Puntaje.objects.filter(
            ejecucion_id=evaluacion.ejecucion_id,
            matricula__seccion__ie_id__in=unidad_de_ie,
        )
        .values_list(
            "matricula_id", "nivel", "probabilidad", "matricula__seccion__ie_id"
        )
        .order_by("matricula_id"),
        columns=["matricula_id", "nivel", COVARIABLE, "ie_id"],
    ).set_index("matricula_id")
    if puntajes.empty:
        return pd.DataFrame(columns=COLUMNAS)
    desercion = etiquetas(anio, puntajes[["ie_id"]])
    d = puntajes.join(desercion, how="inner")
    d["unidad_id"] = d["ie_id"].map(unidad_de_ie)
    de_unidad = pd.DataFrame.from_records(
        unidades.values_list("pk", "codigo", "estrato", "brazo"),
        columns=["unidad_id", "unidad", "estrato", "brazo"],
    ).set_index("unidad_id")
    de_unidad["brazo"] = de_unidad["brazo"].map(lambda b: clave_de_brazo(evaluacion, b))
    uso = uso_por_unidad(unidades)
    d = d.join(de_unidad, on="unidad_id").join(
        uso[["uso", *MEDIDAS_DE_USO]], on="unidad_id"
    )
    # A unit without a copied week had no use recorded: none.
    d[["uso", *MEDIDAS_DE_USO]] = d[["uso", *MEDIDAS_DE_USO]].fillna(0.0)
    return d.reset_index(drop=True)[COLUMNAS]


@dataclass(frozen=True)
class ResultadoBrazo:
    """One arm on the results page: its use over the period and, once the
    outcome year is imported, its dropout (and for Minedu, the estimates)."""

    codigo: str
    nombre: str
    control: bool
    unidades: int
    # Mean over its units of the share of teacher-weeks with use (units with
    # teachers), and of each count over the period.
    uso: float | None
    medidas: dict[str, float]
    estudiantes: int = 0
    desertores: int = 0
    itt: Estimacion | None = None
    efecto_minimo: float | None = None
    # Per risk level at the draw: [students, dropouts].
    por_nivel: dict[str, list[int]] = field(default_factory=dict)

    @property
    def tasa(self) -> float | None:
        return self.desertores / self.estudiantes if self.estudiantes else None


@dataclass(frozen=True)
class Resultados:
    periodo: tuple[date, date] | None
    anio_resultado: int | None
    disponible: bool
    brazos: list[ResultadoBrazo]
    # Minedu only (the whole evaluation): the estimates.
    completo: bool = False
    por_nivel: list[tuple[str, list[tuple[str, Estimacion]]]] = field(
        default_factory=list
    )
    iv: Estimacion | None = None
    f_primera_etapa: float | None = None
    icc: float | None = None
    # Why the estimates could not be computed, in Spanish.
    error: str = ""
    # Minedu's analysis is being computed (the use per arm is shown).
    pendiente: bool = False

    @property
    def estudiantes(self) -> int:
        return sum(b.estudiantes for b in self.brazos)


def _huella_de_datos(huella_del_anio: str | None, unidades) -> str:
    """The state of what the figures of `unidades` are read from: the
    outcome year's data and the use copied."""
    ultimo = UsoUnidadSemana.objects.filter(unidad__in=unidades).aggregate(
        m=Max("pk"), n=Count("pk")
    )
    return f"{huella_del_anio}:{ultimo['m']}:{ultimo['n']}"


def _clave_cache(evaluacion, unidades, huella_del_anio: str | None) -> str:
    alcance = hashlib.sha256(
        ",".join(
            map(str, unidades.order_by("pk").values_list("pk", flat=True))
        ).encode()
    ).hexdigest()[:16]
    return (
        f"pilotos:resultados:{evaluacion.pk}:"
        f"{_huella_de_datos(huella_del_anio, unidades)}:{alcance}"
    )


def resultados_de(
    evaluacion: Evaluacion, unidades: QuerySet[UnidadEvaluacion], *, completo: bool
) -> Resultados:
    """The results page's figures for `unidades` (already scoped).

    With `completo` (Minedu, every unit) and the outcome known, the stored
    analysis of the data as they are now (AnalisisEvaluacion); while it is
    missing, the use per arm with `pendiente` set (the caller queues
    pilotos.tasks.analizar_evaluacion). Otherwise the figures of the units,
    cached until their data change."""
    huella_del_anio = _huella_del_anio(evaluacion)
    disponible = huella_del_anio is not None
    if completo and disponible:
        guardado = evaluacion.analisis.filter(
            huella=_huella_de_datos(huella_del_anio, evaluacion.unidades.all())
        ).first()
        if guardado is not None:
            return _de_json(evaluacion, guardado.resultado)
        # Meanwhile the use per arm, without reading the outcome.
        return replace(
            _resultados(
                evaluacion, unidades, completo=False, disponible=True, desenlace=False
            ),
            completo=True,
            pendiente=True,
        )
    clave = _clave_cache(evaluacion, unidades, huella_del_anio)
    resultado = cache.get(clave)
    if resultado is None:
        resultado = _resultados(
            evaluacion, unidades, completo=False, disponible=disponible
        )
        cache.set(clave, resultado, CACHE_SEGUNDOS)
    return resultado


@transaction.atomic
def analisis_calcular(evaluacion: Evaluacion) -> AnalisisEvaluacion | None:
    """Compute and store the analysis of a published evaluation over all its
    units, unless the data as they are now have one; None while the outcome
    year is missing."""
    huella_del_anio = _huella_del_anio(evaluacion)
    if not evaluacion.publicada or huella_del_anio is None:
        return None
    huella = _huella_de_datos(huella_del_anio, evaluacion.unidades.all())
    hecho = evaluacion.analisis.filter(huella=huella).first()
    if hecho is not None:
        return hecho
    inicio = time.perf_counter()
    resultado = _resultados(
        evaluacion, evaluacion.unidades.all(), completo=True, disponible=True
    )
    analisis, _creado = AnalisisEvaluacion.objects.get_or_create(
        evaluacion=evaluacion,
        huella=huella,
        defaults={
            "resultado": _a_json(resultado),
            "segundos": time.perf_counter() - inicio,
        },
    )
    # Older states' analyses are of no use.
    evaluacion.analisis.exclude(pk=analisis.pk).delete()
    return analisis


def _a_json(resultado: Resultados) -> dict:
    datos = asdict(resultado)
    datos.pop("periodo")
    return datos


def _de_json(evaluacion: Evaluacion, datos: dict) -> Resultados:
    def estimacion(d):
        return Estimacion(**d) if d else None

    return Resultados(
        periodo=periodo(evaluacion),
        anio_resultado=datos["anio_resultado"],
        disponible=datos["disponible"],
        brazos=[
            ResultadoBrazo(**{**b, "itt": estimacion(b["itt"])})
            for b in datos["brazos"]
        ],
        completo=datos["completo"],
        por_nivel=[
            (nivel, [(brazo, estimacion(e)) for brazo, e in estimaciones])
            for nivel, estimaciones in datos["por_nivel"]
        ],
        iv=estimacion(datos["iv"]),
        f_primera_etapa=datos["f_primera_etapa"],
        icc=datos["icc"],
        error=datos["error"],
    )


def _resultados(
    evaluacion: Evaluacion,
    unidades: QuerySet[UnidadEvaluacion],
    *,
    completo: bool,
    disponible: bool,
    desenlace: bool = True,
) -> Resultados:
    """`disponible`: the outcome year is imported (the caller read it);
    `desenlace` False: the use only, without reading the outcome."""
    brazo_de = dict(unidades.values_list("pk", "brazo"))
    uso = uso_por_unidad(unidades)
    uso["brazo"] = uso.index.map(brazo_de)
    datos = _datos(evaluacion, unidades) if disponible and desenlace else None
    analisis, error = None, ""
    if completo and datos is not None and not datos.empty:
        try:
            analisis = analizar(datos)
        except (ValueError, np.linalg.LinAlgError):
            error = _(
                "No se pudo estimar el efecto: hace falta que cada brazo tenga "
                "unidades con estudiantes y desenlace conocido."
            )
    estimado = {b.codigo: b for b in analisis.brazos} if analisis else {}
    brazos = []
    for b in evaluacion.brazos:
        propias = uso[uso["brazo"] == b["codigo"]]
        con_docentes = propias[propias["semanas_docente"] > 0]
        clave = clave_de_brazo(evaluacion, b["codigo"])
        filas = (
            datos[datos["brazo"] == clave]
            if datos is not None
            else pd.DataFrame(columns=COLUMNAS)
        )
        e = estimado.get(clave)
        n_unidades = sum(1 for v in brazo_de.values() if v == b["codigo"])
        brazos.append(
            ResultadoBrazo(
                codigo=b["codigo"],
                nombre=b.get("nombre", ""),
                control=bool(b.get("control")),
                unidades=n_unidades,
                uso=float(con_docentes["uso"].mean()) if len(con_docentes) else None,
                medidas={
                    m: float(propias[m].sum()) / max(1, n_unidades)
                    for m in MEDIDAS_DE_USO
                },
                estudiantes=len(filas),
                desertores=int(filas["desercion"].sum()) if len(filas) else 0,
                itt=e.itt if e else None,
                efecto_minimo=e.efecto_minimo if e else None,
                por_nivel={
                    str(nivel): [len(grupo), int(grupo["desercion"].sum())]
                    for nivel, grupo in filas.groupby("nivel")
                },
            )
        )
    nombres = {
        clave_de_brazo(evaluacion, b["codigo"]): b["codigo"] for b in evaluacion.brazos
    }
    return Resultados(
        periodo=periodo(evaluacion),
        anio_resultado=anio_de_resultado(evaluacion),
        disponible=disponible,
        brazos=brazos,
        completo=completo,
        por_nivel=[
            (nivel, [(nombres[a], est) for a, est in sorted(por_brazo.items())])
            for nivel, por_brazo in sorted(analisis.por_nivel.items())
        ]
        if analisis
        else [],
        iv=analisis.iv if analisis else None,
        f_primera_etapa=analisis.f_primera_etapa if analisis else None,
        icc=analisis.icc if analisis else None,
        error=error,
    )
