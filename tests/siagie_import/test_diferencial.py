"""Differential import: the messy write of a region imports to the clean one.

The generator writes the same small region (two years, every file kind) once
clean and once messy with the same seed. Each folder is imported the way the
command imports a folder; every table the importer writes is dumped by natural
key (no surrogate ids, no generated uuids or timestamps), the tables are
emptied, the other folder is imported and dumped. The two dumps, and the
rejections of each kind of file, must be identical: a spelling that the
importer reads differently from the plain one shows up here, with the table,
the column and both values.
"""

from collections import Counter, defaultdict

import pytest
from django.db import models

from alerta.models import (
    Asignacion,
    Asistencia,
    Distrito,
    Dre,
    Estudiante,
    Evaluacion,
    Hogar,
    InstitucionEducativa,
    Matricula,
    Seccion,
    Ugel,
    Usuario,
)
from siagie_import.services import archivos_de_carpeta, importacion_ejecutar

SEMILLA = 7
# Every table the importer writes, parents first, with its natural key.
CLAVES: dict[type[models.Model], tuple[str, ...]] = {
    Dre: ("nombre",),
    Ugel: ("codigo",),
    Distrito: ("ubigeo",),
    InstitucionEducativa: ("codigo_modular", "anexo"),
    Seccion: ("ie", "anio", "nivel", "grado", "letra"),
    Estudiante: ("codigo_siagie",),
    Hogar: ("estudiante",),
    Matricula: ("estudiante", "seccion"),
    Evaluacion: ("estudiante", "anio", "periodo", "area"),
    Asistencia: ("estudiante", "anio", "periodo"),
    Usuario: ("username",),
    Asignacion: ("usuario", "rol", "seccion", "ie", "anio"),
}
# Quirks this small region must exercise, so that the comparison means something.
EJERCIDAS = {
    "padron_iiee": {
        ("COD_MOD", "sin_ceros"),
        ("COD_MOD", "flotante_sin_ceros"),
        ("CODGEO", "sin_ceros"),
        ("GESTION", "flotante"),
        ("ESTADO", "flotante"),
        ("ANEXO", "flotante"),
        ("", "titulo"),
    },
    "nomina": {
        ("GRADO", "ceros"),
        ("GRADO", "grado_palabra"),
        ("GRADO", "grado_signo"),
        ("SECCION", "tildes"),
        ("SITUACION_FINAL", "tildes"),
        ("SEXO", "letra"),
        ("FECHA_NACIMIENTO", "serial_celda"),
        ("FECHA_NACIMIENTO", "serial_texto"),
        ("COD_ESTUDIANTE", "sin_ceros"),
    },
    "evaluacion": {
        ("CALIFICATIVO", "ceros"),
        ("CALIFICATIVO", "flotante"),
        ("PERIODO", "flotante"),
        ("AREA", "tildes"),
    },
    "asistencia": {("DIAS_LECTIVOS", "celda_numero")},
    "hogares": {("PROGRAMA_JUNTOS", "tildes"), ("FECHA_CORTE", "fecha_dma")},
    "personal": {("NUMERO_DOCUMENTO", "sin_ceros"), ("GRADO", "grado_sufijo")},
}


def _generar(carpeta, **opciones):
    from siagie_import.sintetico import generar

    return generar(
        carpeta,
        region="CUSCO",
        estudiantes=600,
        anio_inicial=2025,
        anio_final=2026,
        semilla=SEMILLA,
        **opciones,
    )


def _ignorado(campo: models.Field) -> bool:
    """Surrogate ids, generated uuids and timestamps, and passwords differ by
    construction between two imports of the same data."""
    return (
        (campo.primary_key and not campo.is_relation and campo.name != "ubigeo")
        or isinstance(campo, models.UUIDField | models.DateTimeField)
        or campo.name == "password"
    )


def volcar() -> dict[str, dict[tuple, dict]]:
    """{table: {natural key: {field: value}}}, foreign keys as natural keys."""
    naturales: dict[type[models.Model], dict] = {}
    tablas = {}
    for modelo, clave in CLAVES.items():
        campos = [c for c in modelo._meta.concrete_fields if not _ignorado(c)]
        filas, por_pk = {}, {}
        for fila in modelo.objects.values("pk", *(c.attname for c in campos)):
            valores = {}
            for campo in campos:
                valor = fila[campo.attname]
                if campo.is_relation and valor is not None:
                    valor = naturales[campo.related_model][valor]
                valores[campo.name] = valor
            natural = tuple(valores[c] for c in clave)
            por_pk[fila["pk"]] = natural
            filas[natural] = valores
        naturales[modelo] = por_pk
        tablas[modelo.__name__] = filas
    return tablas


def vaciar() -> None:
    for modelo in reversed(CLAVES):
        modelo.objects.all().delete()


def importar(carpeta) -> dict[str, dict]:
    """Import a folder as ``importar_siagie`` does; the outcome by file kind."""
    por_tipo: dict[str, dict] = defaultdict(
        lambda: {"leidas": 0, "aceptadas": 0, "rechazos": Counter(), "fallidas": []}
    )
    for ruta in archivos_de_carpeta(carpeta):
        imp = importacion_ejecutar(ruta=ruta)
        resumen = por_tipo[imp.tipo]
        resumen["leidas"] += imp.filas_leidas
        resumen["aceptadas"] += imp.filas_aceptadas
        resumen["rechazos"].update(imp.rechazos.values_list("columna", "motivo"))
        if imp.mensaje:
            resumen["fallidas"].append((ruta.name, imp.mensaje))
    return dict(por_tipo)


def diferencias(limpio: dict, desordenado: dict) -> list[str]:
    """Every difference, table by table and column by column, with examples."""
    lineas = []
    for tabla, filas in limpio.items():
        otras = desordenado[tabla]
        solo_limpio = sorted(filas.keys() - otras.keys(), key=repr)
        solo_desordenado = sorted(otras.keys() - filas.keys(), key=repr)
        if solo_limpio or solo_desordenado:
            lineas.append(
                f"{tabla}: {len(filas)} filas limpias, {len(otras)} desordenadas; "
                f"{len(solo_limpio)} solo en la limpia (p. ej. {solo_limpio[:3]}), "
                f"{len(solo_desordenado)} solo en la desordenada "
                f"(p. ej. {solo_desordenado[:3]})"
            )
        por_columna: dict[str, Counter] = defaultdict(Counter)
        for clave in filas.keys() & otras.keys():
            for columna, valor in filas[clave].items():
                if otras[clave][columna] != valor:
                    por_columna[columna][(valor, otras[clave][columna])] += 1
        for columna, pares in sorted(por_columna.items()):
            lineas.append(
                f"{tabla}.{columna}: {sum(pares.values())} filas difieren "
                f"(limpio, desordenado): {pares.most_common(6)}"
            )
    return lineas


@pytest.fixture(scope="module")
def carpetas(tmp_path_factory):
    limpio = _generar(tmp_path_factory.mktemp("limpio"))
    desordenado = _generar(tmp_path_factory.mktemp("desordenado"), desordenado=True)
    return limpio, desordenado


def test_the_messy_region_exercises_the_quirks_that_matter(carpetas):
    _limpio, desordenado = carpetas
    for tipo, esperadas in EJERCIDAS.items():
        assert esperadas <= set(desordenado.peculiaridades[tipo]), tipo


def test_the_messy_write_imports_to_the_same_rows_and_rejections(db, carpetas):
    limpio, desordenado = carpetas
    resultado_limpio = importar(limpio.salida)
    tablas_limpias = volcar()
    assert all(tablas_limpias.values())  # every table got rows
    vaciar()
    resultado_desordenado = importar(desordenado.salida)
    tablas_desordenadas = volcar()

    distintas = [
        f"{tipo}: limpio {resultado_limpio.get(tipo)}, "
        f"desordenado {resultado_desordenado.get(tipo)}"
        for tipo in sorted(resultado_limpio.keys() | resultado_desordenado.keys())
        if resultado_limpio.get(tipo) != resultado_desordenado.get(tipo)
    ]
    distintas += diferencias(tablas_limpias, tablas_desordenadas)
    assert not distintas, "\n".join(distintas)
