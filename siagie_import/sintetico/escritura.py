"""Writers for the files of FORMATOS.md, clean: one open writer per file.

CSV: UTF-8 without BOM, comma, header in row one, "\\n" line ends. XLSX: openpyxl
in write-only mode (rows go to a temporary file, so memory stays bounded), the
header in row one, codes as text. An XLSX sheet holds at most 1,048,576 rows:
the generator refuses xlsx before writing anything when a file could exceed it,
and a writer that would still go past it stops with an error rather than
writing a file cut short.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from .geografia import ErrorGenerador

MAX_FILAS_XLSX = 1_048_576  # rows per sheet, header included

COLUMNAS: dict[str, tuple[str, ...]] = {
    "padron_iiee": (
        "COD_MOD", "ANEXO", "CODLOCAL", "CEN_EDU", "NIV_MOD", "D_NIV_MOD", "GESTION",
        "D_GESTION", "CODGEO", "D_DPTO", "D_PROV", "D_DIST", "DAREACENSO", "CODOOII",
        "D_DREUGEL", "D_REGION", "NLAT_IE", "NLONG_IE", "TALUMNO", "ESTADO",
    ),
    "nomina": (
        "ANIO", "COD_MOD", "ANEXO", "NIVEL", "GRADO", "SECCION", "COD_ESTUDIANTE",
        "TIPO_DOCUMENTO", "NUMERO_DOCUMENTO", "APELLIDO_PATERNO", "APELLIDO_MATERNO",
        "NOMBRES", "SEXO", "FECHA_NACIMIENTO", "LENGUA_MATERNA", "DISCAPACIDAD",
        "SITUACION_MATRICULA", "FECHA_MATRICULA", "SITUACION_FINAL",
        "NIVEL_INSTRUCCION_APOD", "PARENTESCO", "TRABAJA", "HORAS_SEMANALES_TRABAJO",
    ),
    "evaluacion": (
        "ANIO", "COD_ESTUDIANTE", "COD_MOD", "ANEXO", "PERIODO", "AREA", "CALIFICATIVO",
    ),
    "asistencia": (
        "ANIO", "COD_ESTUDIANTE", "PERIODO", "DIAS_LECTIVOS",
        "INASISTENCIAS_INJUSTIFICADAS", "INASISTENCIAS_JUSTIFICADAS",
    ),
    "hogares": ("COD_ESTUDIANTE", "CSE", "PROGRAMA_JUNTOS", "FECHA_CORTE"),
    "personal": (
        "ANIO", "COD_MOD", "ANEXO", "CARGO", "NIVEL", "GRADO", "SECCION",
        "NUMERO_DOCUMENTO", "APELLIDOS", "NOMBRES", "CORREO",
    ),
    "oraculo": ("COD_ESTUDIANTE", "ANIO", "PROB_DESERCION"),
    # A simulated pilot's planted effect, per school (see proceso.Piloto).
    "piloto": (
        "COD_MOD", "ANIO", "RECORTE", "ESTUDIANTES", "PROB_MEDIA", "PROB_MEDIA_PILOTO",
    ),
}  # fmt: skip


def tipo_de(nombre_archivo: str) -> str:
    """``nomina_2024`` -> ``nomina``; ``padron_iiee`` stays."""
    base, _, sufijo = nombre_archivo.rpartition("_")
    return base if sufijo.isdigit() else nombre_archivo


class _EscritorCsv:
    def __init__(self, ruta: Path, columnas: Sequence[str]) -> None:
        self._archivo = ruta.open("w", encoding="utf-8", newline="")
        self._csv = csv.writer(self._archivo, lineterminator="\n")
        self._csv.writerow(columnas)
        self.filas = 0

    def escribir(self, columnas: Sequence[Sequence]) -> None:
        n = len(columnas[0])
        if n:
            self._csv.writerows(zip(*columnas, strict=True))
            self.filas += n

    def cerrar(self) -> None:
        self._archivo.close()


class _EscritorXlsx:
    def __init__(self, ruta: Path, columnas: Sequence[str]) -> None:
        from openpyxl import Workbook

        self._ruta = ruta
        self._libro = Workbook(write_only=True)
        self._hoja = self._libro.create_sheet(title=ruta.stem[:31])
        self._hoja.append(list(columnas))
        self.filas = 0

    def escribir(self, columnas: Sequence[Sequence]) -> None:
        n = len(columnas[0])
        if self.filas + n + 1 > MAX_FILAS_XLSX:
            raise ErrorGenerador(
                f"El archivo {self._ruta.name} pasaría de {MAX_FILAS_XLSX:,} filas, "
                "el máximo de una hoja xlsx; use el formato csv."
            )
        agregar = self._hoja.append
        for fila in zip(*columnas, strict=True):
            agregar(fila)
        self.filas += n

    def cerrar(self) -> None:
        self._libro.save(self._ruta)


class Salidas:
    """All the files of one run, open at once; rows are appended as they come.

    ``desordenado``, a factory from ``desorden.escritor_de``, writes every file
    but the oracle in the messy mode: three parts per file, each of them in
    ``rutas`` and ``filas()`` under ``<name>_parte<k>``.
    """

    def __init__(
        self,
        carpeta: Path,
        formato: str,
        anios: Sequence[int],
        *,
        desordenado: Callable | None = None,
        piloto: int | None = None,
    ) -> None:
        self.carpeta = carpeta
        self.formato = formato
        self.rutas: dict[str, Path] = {}
        self._escritores: dict[str, _EscritorCsv | _EscritorXlsx] = {}
        self._desordenados: dict = {}
        nombres = ["padron_iiee", "hogares"]
        for anio in anios:
            nombres += [f"{t}_{anio}" for t in ("nomina", "evaluacion", "asistencia")]
            nombres += [f"personal_{anio}", f"oraculo_{anio}"]
        if piloto is not None:
            nombres.append(f"piloto_{piloto}")
        for nombre in nombres:
            tipo = tipo_de(nombre)
            if desordenado and tipo not in ("oraculo", "piloto"):
                escritor = desordenado(carpeta, nombre, tipo, COLUMNAS[tipo])
                self._escritores[nombre] = escritor
                self._desordenados[nombre] = escritor
                for k, parte in enumerate(escritor.partes, start=1):
                    self.rutas[f"{nombre}_parte{k}"] = parte.ruta
                continue
            ext = "csv" if tipo in ("oraculo", "piloto") else formato
            ruta = carpeta / f"{nombre}.{ext}"
            clase = _EscritorXlsx if ext == "xlsx" else _EscritorCsv
            self._escritores[nombre] = clase(ruta, COLUMNAS[tipo])
            self.rutas[nombre] = ruta

    def escribir(self, nombre: str, columnas: Sequence[Sequence]) -> None:
        """Append rows given column by column (lists of equal length)."""
        self._escritores[nombre].escribir(columnas)

    def filas(self) -> dict[str, int]:
        filas = {}
        for nombre, e in self._escritores.items():
            if nombre in self._desordenados:
                for k, parte in enumerate(e.partes, start=1):
                    filas[f"{nombre}_parte{k}"] = parte.filas
            else:
                filas[nombre] = e.filas
        return filas

    def peculiaridades(self) -> dict[str, Counter]:
        """{file kind: Counter of (column, quirk)} written in the messy mode."""
        por_tipo: dict[str, Counter] = {}
        for nombre, e in self._desordenados.items():
            por_tipo.setdefault(tipo_de(nombre), Counter()).update(e.aplicadas)
        return por_tipo

    def cerrar(self) -> None:
        for escritor in self._escritores.values():
            escritor.cerrar()
