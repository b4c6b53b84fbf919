"""Reading and checking the generator's oracle files, ``oraculo_<AAAA>.csv``.

The format (written by :mod:`.proceso` through :mod:`.escritura`):

- one file per school year AAAA, named ``oraculo_<AAAA>.csv``, next to the
  year's other files;
- UTF-8 (a BOM is accepted), comma-separated, header in row one, one row per
  student enrolled in AAAA who neither died nor finished 5.º de secundaria;
- ``COD_ESTUDIANTE``: text, the SIAGIE student code as in the nómina (leading
  zeros kept), not empty, once per file;
- ``ANIO``: integer, AAAA;
- ``PROB_DESERCION``: decimal with a point, between 0 and 1: the true
  probability, used by the simulation, that the student is not enrolled in any
  IE in AAAA+1.

The files are never imported: they let a model trained from the database be
compared with the best possible one. :func:`oraculo_leer` checks a file whole
before anything uses it and says what is wrong in one Spanish sentence
(:class:`OraculoInvalido`); columns beyond the three are ignored.

Pure Python: no Django here (the messages are the generator's, in Spanish).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from .escritura import COLUMNAS

COLUMNAS_ORACULO: tuple[str, ...] = COLUMNAS["oraculo"]


class OraculoInvalido(Exception):
    """An oracle file that cannot be used; the message is one sentence."""


def ruta_oraculo(carpeta: Path, anio: int) -> Path:
    return Path(carpeta) / f"oraculo_{anio}.csv"


def _encabezado(fila: list[str]) -> list[str]:
    return [c.strip().upper() for c in fila]


def oraculo_leer(*, carpeta: Path | str, anio: int) -> dict[str, float]:
    """The oracle's probability of each student of year `anio`, by
    COD_ESTUDIANTE, from ``<carpeta>/oraculo_<anio>.csv``, checked whole."""
    carpeta = Path(carpeta)
    if not carpeta.is_dir():
        raise OraculoInvalido(f"No existe la carpeta {carpeta}.")
    ruta = ruta_oraculo(carpeta, anio)
    nombre = ruta.name
    if not ruta.is_file():
        raise OraculoInvalido(
            f"Falta el archivo {nombre} en {carpeta}: el oráculo se compara en el "
            f"año de validación, {anio}."
        )
    probabilidades: dict[str, float] = {}
    try:
        with ruta.open(encoding="utf-8-sig", newline="") as archivo:
            lector = csv.reader(archivo)
            encabezado = _encabezado(next(lector, []))
            if not any(encabezado):
                raise OraculoInvalido(f"El archivo {nombre} está vacío.")
            faltan = [c for c in COLUMNAS_ORACULO if c not in encabezado]
            if faltan:
                raise OraculoInvalido(
                    f"Al archivo {nombre} le falta la columna {faltan[0]} "
                    f"(se esperan {', '.join(COLUMNAS_ORACULO)})."
                    if len(faltan) == 1
                    else f"Al archivo {nombre} le faltan las columnas "
                    f"{', '.join(faltan)} (se esperan {', '.join(COLUMNAS_ORACULO)})."
                )
            i_cod, i_anio, i_prob = (encabezado.index(c) for c in COLUMNAS_ORACULO)
            ancho = max(i_cod, i_anio, i_prob) + 1
            fila_de: dict[str, int] = {}
            for fila_n, fila in enumerate(lector, start=2):
                if not any(v.strip() for v in fila):
                    continue
                en = f"En el archivo {nombre}, fila {fila_n},"
                if len(fila) < ancho:
                    raise OraculoInvalido(f"{en} faltan valores.")
                codigo = fila[i_cod].strip()
                if not codigo:
                    raise OraculoInvalido(f"{en} COD_ESTUDIANTE está vacío.")
                if codigo in fila_de:
                    # The code itself is not repeated: it identifies a minor.
                    raise OraculoInvalido(
                        f"{en} COD_ESTUDIANTE repite el de la fila {fila_de[codigo]}."
                    )
                if _entero(fila[i_anio]) != anio:
                    raise OraculoInvalido(
                        f"{en} ANIO es «{_muestra(fila[i_anio])}» y no {anio}."
                    )
                p = _numero(fila[i_prob])
                if p is None or not 0 <= p <= 1:
                    raise OraculoInvalido(
                        f"{en} PROB_DESERCION es «{_muestra(fila[i_prob])}», que no es "
                        "una probabilidad entre 0 y 1."
                    )
                fila_de[codigo] = fila_n
                probabilidades[codigo] = p
    except UnicodeDecodeError as exc:
        raise OraculoInvalido(f"El archivo {nombre} no está en UTF-8.") from exc
    if not probabilidades:
        raise OraculoInvalido(f"El archivo {nombre} no tiene filas de estudiantes.")
    return probabilidades


def _muestra(texto: str) -> str:
    return texto.strip()[:20]


def _numero(texto: str) -> float | None:
    try:
        valor = float(texto.strip())
    except ValueError:
        return None
    return valor if math.isfinite(valor) else None


def _entero(texto: str) -> int | None:
    valor = _numero(texto)
    return int(valor) if valor is not None and valor.is_integer() else None
