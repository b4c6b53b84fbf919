"""Read CSV and XLSX files into rows of {COLUMN: text}.

Rows are streamed: a file is never held in memory whole.
"""

import csv
import zipfile
from collections.abc import Iterator
from pathlib import Path

from openpyxl import load_workbook

Fila = dict[str, str]


class ArchivoInvalido(Exception):
    """The file as a whole cannot be read; the message is for the user."""


def normalizar_columna(nombre: object) -> str:
    return " ".join(str(nombre or "").split()).upper().replace(" ", "_")


def _texto(valor: object) -> str:
    if valor is None:
        return ""
    if isinstance(valor, float) and valor.is_integer():
        return str(int(valor))
    if hasattr(valor, "date") and hasattr(valor, "isoformat"):
        return valor.date().isoformat() if hasattr(valor, "hour") else valor.isoformat()
    return str(valor).strip()


def _es_xlsx(ruta: Path) -> bool:
    return zipfile.is_zipfile(ruta)


def leer_filas(ruta: Path) -> Iterator[tuple[int, Fila]]:
    """Yield (row number as a spreadsheet user counts it, row)."""
    if _es_xlsx(ruta):
        yield from _leer_xlsx(ruta)
    else:
        yield from _leer_csv(ruta)


def _leer_csv(ruta: Path) -> Iterator[tuple[int, Fila]]:
    with ruta.open(encoding="utf-8-sig", newline="") as f:
        lector = csv.reader(f)
        try:
            encabezado = [normalizar_columna(c) for c in next(lector)]
        except StopIteration:
            raise ArchivoInvalido("El archivo está vacío.") from None
        for numero, valores in enumerate(lector, start=2):
            if not any(v.strip() for v in valores):
                continue
            yield (
                numero,
                dict(zip(encabezado, (v.strip() for v in valores), strict=False)),
            )


def _leer_xlsx(ruta: Path) -> Iterator[tuple[int, Fila]]:
    wb = load_workbook(ruta, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        filas = ws.iter_rows(values_only=True)
        try:
            encabezado = [normalizar_columna(c) for c in next(filas)]
        except StopIteration:
            raise ArchivoInvalido("El archivo está vacío.") from None
        for numero, valores in enumerate(filas, start=2):
            textos = [_texto(v) for v in valores]
            if not any(textos):
                continue
            yield numero, dict(zip(encabezado, textos, strict=False))
    finally:
        wb.close()


def columnas(ruta: Path) -> list[str]:
    """The header of a file, normalised."""
    if _es_xlsx(ruta):
        wb = load_workbook(ruta, read_only=True)
        try:
            primera = next(wb.worksheets[0].iter_rows(values_only=True), ())
            return [normalizar_columna(c) for c in primera]
        finally:
            wb.close()
    with ruta.open(encoding="utf-8-sig", newline="") as f:
        return [normalizar_columna(c) for c in next(csv.reader(f), [])]


class Lector:
    """Interim reader with the interface of `lectores.Lector` (clean files only)."""

    def __init__(self, ruta: Path, requeridas) -> None:
        if not ruta.stat().st_size:
            raise ArchivoInvalido("El archivo está vacío.")
        self.ruta = ruta
        self.formato = "xlsx" if _es_xlsx(ruta) else "csv"
        self.columnas = columnas(ruta)
        self.fila_encabezado = 1
        faltan = [c for c in requeridas if c not in self.columnas]
        if faltan:
            raise ArchivoInvalido(
                "Faltan columnas obligatorias: %s." % ", ".join(faltan)  # noqa: UP031
            )

    def contar_filas(self) -> int:
        return sum(1 for _ in leer_filas(self.ruta))

    def filas(self) -> Iterator[tuple[int, Fila]]:
        return leer_filas(self.ruta)


def abrir(ruta: Path, *, requeridas, conocidas=()) -> Lector:
    return Lector(ruta, requeridas)
