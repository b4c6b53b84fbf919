"""Features and labels for a school year, computed from the database.

One row per student enrolled in year t, indexed by the id of the student's
representative enrollment that year (the one not marked TRASLADADO, if any).
Values that are not known stay missing (NaN); the pipeline imputes them.
"""

import datetime as dt

import numpy as np
import pandas as pd

from alerta.models import (
    EDAD_NORMATIVA,
    Asistencia,
    Evaluacion,
    Hogar,
    Matricula,
    Nivel,
    Seccion,
    SituacionFinal,
    SituacionMatricula,
)

NUMERICAS = [
    "extraedad",
    "grado",
    "repite",
    "reentrante",
    "trabaja",
    "horas_trabajo",
    "lengua_originaria",
    "discapacidad",
    "rural",
    "privada",
    "juntos",
    "educacion_apoderado",
    "nota_matematica",
    "nota_comunicacion",
    "tasa_inasistencia",
    "matriculado_anio_anterior",
    "desaprobo_anio_anterior",
    "anios_repetidos",
    "resultado_desfavorable",
]
CATEGORICAS = ["nivel", "sexo", "cse"]

NOTA = {"AD": 4.0, "A": 3.0, "B": 2.0, "C": 1.0}
EDUCACION = {
    "SIN NIVEL": 0,
    "PRIMARIA INCOMPLETA": 1,
    "PRIMARIA COMPLETA": 2,
    "SECUNDARIA INCOMPLETA": 3,
    "SECUNDARIA COMPLETA": 4,
    "SUPERIOR": 5,
}
NO_ORIGINARIAS = {"", "CASTELLANO", "LENGUA EXTRANJERA"}


def anios_con_matricula() -> list[int]:
    return list(
        Seccion.objects.order_by("anio").values_list("anio", flat=True).distinct()
    )


def _matriculas(anio: int) -> pd.DataFrame:
    filas = Matricula.objects.filter(seccion__anio=anio).values_list(
        "pk",
        "estudiante_id",
        "situacion_matricula",
        "situacion_final",
        "trabaja",
        "horas_semanales_trabajo",
        "nivel_instruccion_apoderado",
        "seccion__nivel",
        "seccion__grado",
        "seccion__ie__area",
        "seccion__ie__gestion",
        "estudiante__fecha_nacimiento",
        "estudiante__sexo",
        "estudiante__lengua_materna",
        "estudiante__discapacidad",
    )
    columnas = [
        "matricula_id",
        "estudiante_id",
        "situacion_matricula",
        "situacion_final",
        "trabaja",
        "horas_trabajo",
        "apoderado",
        "nivel",
        "grado",
        "area",
        "gestion",
        "nacimiento",
        "sexo",
        "lengua",
        "discapacidad_texto",
    ]
    df = pd.DataFrame.from_records(list(filas), columns=columnas)
    # Representative enrollment: not moved out, then the latest one.
    df["_trasladado"] = df["situacion_final"] == SituacionFinal.TRASLADADO
    df = df.sort_values(["estudiante_id", "_trasladado", "matricula_id"])
    df = df.drop_duplicates("estudiante_id", keep="first")
    return df.drop(columns="_trasladado").set_index("matricula_id")


def _notas(anio: int) -> pd.DataFrame:
    filas = Evaluacion.objects.filter(
        anio=anio, area__in=["MATEMATICA", "COMUNICACION"]
    ).values_list("estudiante_id", "area", "calificativo")
    df = pd.DataFrame.from_records(
        list(filas), columns=["estudiante_id", "area", "cal"]
    )
    if df.empty:
        return pd.DataFrame(columns=["nota_matematica", "nota_comunicacion"])
    numerica = pd.to_numeric(df["cal"], errors="coerce")
    # Vigesimal grades (0-20, some secundaria records) onto the 1-4 letter scale.
    df["valor"] = df["cal"].map(NOTA).fillna(1 + 3 * numerica / 20)
    tabla = df.pivot_table(index="estudiante_id", columns="area", values="valor")
    return tabla.rename(
        columns={"MATEMATICA": "nota_matematica", "COMUNICACION": "nota_comunicacion"}
    )


def _inasistencia(anio: int) -> pd.Series:
    filas = Asistencia.objects.filter(anio=anio).values_list(
        "estudiante_id", "dias_lectivos", "inasistencias_injustificadas"
    )
    df = pd.DataFrame.from_records(
        list(filas), columns=["estudiante_id", "dias", "faltas"]
    )
    if df.empty:
        return pd.Series(dtype=float, name="tasa_inasistencia")
    g = df.groupby("estudiante_id")[["dias", "faltas"]].sum()
    return (g["faltas"] / g["dias"].where(g["dias"] > 0)).rename("tasa_inasistencia")


def _historia(anio: int, estudiantes: pd.Index) -> pd.DataFrame:
    """What earlier years say of each student."""
    filas = Matricula.objects.filter(
        seccion__anio__lt=anio, estudiante_id__in=list(estudiantes)
    ).values_list(
        "estudiante_id", "seccion__anio", "situacion_matricula", "situacion_final"
    )
    df = pd.DataFrame.from_records(
        list(filas), columns=["estudiante_id", "anio", "sm", "sf"]
    )
    resultado = pd.DataFrame(index=estudiantes)
    if not Seccion.objects.filter(anio=anio - 1).exists():
        # The previous year was never imported: unknown, not "absent".
        resultado["matriculado_anio_anterior"] = np.nan
        resultado["desaprobo_anio_anterior"] = np.nan
    else:
        previo = df[df["anio"] == anio - 1]
        resultado["matriculado_anio_anterior"] = estudiantes.isin(
            previo["estudiante_id"]
        ).astype(float)
        desaprobados = previo.loc[
            previo["sf"].isin([SituacionFinal.DESAPROBADO, SituacionFinal.RETIRADO]),
            "estudiante_id",
        ]
        resultado["desaprobo_anio_anterior"] = estudiantes.isin(desaprobados).astype(
            float
        )
    repeticiones = (
        df[df["sm"] == SituacionMatricula.REPITE]
        .groupby("estudiante_id")["anio"]
        .nunique()
    )
    resultado["anios_repetidos"] = repeticiones.reindex(estudiantes).fillna(0)
    return resultado


def construir_features(anio: int, *, solo_vigentes: bool = False) -> pd.DataFrame:
    """The feature table of year `anio` (see the module docstring).

    With `solo_vigentes`, only students still in their sección (the ones to
    score): not moved out without a new enrollment, not deceased.
    """
    m = _matriculas(anio)
    if solo_vigentes:
        m = m[
            ~m["situacion_final"].isin(
                [SituacionFinal.TRASLADADO, SituacionFinal.FALLECIDO]
            )
        ]
    if m.empty:
        return pd.DataFrame(columns=["estudiante_id", *NUMERICAS, *CATEGORICAS])
    estudiantes = pd.Index(m["estudiante_id"].unique())
    corte = dt.date(anio, 3, 31)
    edad = m["nacimiento"].map(
        lambda n: corte.year - n.year - ((corte.month, corte.day) < (n.month, n.day))
    )
    X = pd.DataFrame(index=m.index)
    X["estudiante_id"] = m["estudiante_id"]
    X["nivel"] = m["nivel"]
    X["grado"] = m["grado"].astype(float)
    X["extraedad"] = edad - m["nivel"].map(EDAD_NORMATIVA) - m["grado"]
    X["repite"] = (m["situacion_matricula"] == SituacionMatricula.REPITE).astype(float)
    X["reentrante"] = (
        m["situacion_matricula"] == SituacionMatricula.REENTRANTE
    ).astype(float)
    X["resultado_desfavorable"] = (
        m["situacion_final"]
        .isin([SituacionFinal.DESAPROBADO, SituacionFinal.RETIRADO])
        .astype(float)
    )
    X["trabaja"] = m["trabaja"].map({True: 1.0, False: 0.0})
    X["horas_trabajo"] = pd.to_numeric(m["horas_trabajo"], errors="coerce")
    X["lengua_originaria"] = (~m["lengua"].fillna("").isin(NO_ORIGINARIAS)).astype(
        float
    )
    X["discapacidad"] = (
        ~m["discapacidad_texto"].fillna("").isin(["", "NINGUNA"])
    ).astype(float)
    X["rural"] = (m["area"] == "RURAL").astype(float)
    X["privada"] = (m["gestion"] == "PRIVADA").astype(float)
    X["sexo"] = m["sexo"]
    X["educacion_apoderado"] = m["apoderado"].map(EDUCACION)

    hogares = pd.DataFrame.from_records(
        list(
            Hogar.objects.filter(estudiante_id__in=list(estudiantes)).values_list(
                "estudiante_id", "cse", "programa_juntos"
            )
        ),
        columns=["estudiante_id", "cse", "juntos"],
    ).set_index("estudiante_id")
    por_estudiante = (
        hogares.join(_notas(anio), how="outer")
        .join(_inasistencia(anio), how="outer")
        .join(_historia(anio, estudiantes), how="outer")
    )
    X = X.join(por_estudiante, on="estudiante_id")
    X["cse"] = X["cse"].replace("", np.nan)
    X["juntos"] = X["juntos"].map({True: 1.0, False: 0.0})
    for col in NUMERICAS:
        X[col] = pd.to_numeric(X[col], errors="coerce").astype(float)
    for col in CATEGORICAS:
        X[col] = X[col].astype(object).where(X[col].notna(), "DESCONOCIDO")
    return X[["estudiante_id", *NUMERICAS, *CATEGORICAS]]


def etiquetas(anio: int, X: pd.DataFrame) -> pd.Series:
    """Dropout label for the students of year `anio` (rows of X), from year anio+1.

    A student enrolled in t who is enrolled nowhere in t+1. Not dropouts, and
    left out: students who died, and those who finished 5.º de secundaria.
    Students who moved to another school appear in t+1 and count as enrolled.
    """
    siguientes = set(
        Matricula.objects.filter(seccion__anio=anio + 1).values_list(
            "estudiante_id", flat=True
        )
    )
    finales = dict(
        Matricula.objects.filter(pk__in=list(X.index)).values_list(
            "pk", "situacion_final"
        )
    )
    sf = pd.Series(finales).reindex(X.index)
    egresado = (
        (X["nivel"] == Nivel.SECUNDARIA)
        & (X["grado"] == 5)
        & (sf == SituacionFinal.APROBADO)
    )
    fallecido = sf == SituacionFinal.FALLECIDO
    y = (~X["estudiante_id"].isin(siguientes)).astype(int)
    return y[~(egresado | fallecido)]
