"""Bulk writes that do not go through the ORM's per-object path."""

import csv
import io
from collections.abc import Sequence

from django.db import connection


class Bloque:
    """Rows ready to be inserted in one go.

    On PostgreSQL they are turned into COPY's CSV text when the block is made,
    so that a thread that only sends it (see `siagie_import.staging.Tuberia`)
    does not compete for the interpreter with the one that made it; elsewhere
    the block keeps the rows for executemany.
    """

    def __init__(self, filas: Sequence[tuple]) -> None:
        self.filas = len(filas)
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows(filas)
            self._datos = buffer.getvalue()
        else:
            self._datos = filas

    def insertar(
        self, cursor, tabla: str, columnas: Sequence[str], *, texto: Sequence[str] = ()
    ) -> None:
        """Insert the rows into `tabla` with `cursor` (Django's or a DB-API one).

        `texto` names the text columns, which keep "" instead of becoming NULL
        in COPY's CSV format.
        """
        if not self.filas:
            return
        nombres = ", ".join(columnas)
        if connection.vendor == "postgresql":
            opciones = "FORMAT csv"
            if texto:
                opciones += f", FORCE_NOT_NULL ({', '.join(texto)})"
            # One read of the whole text: each read takes the interpreter lock.
            # (Django's cursor wrapper passes extra arguments on positionally.)
            cursor.copy_expert(
                f"COPY {tabla} ({nombres}) FROM STDIN WITH ({opciones})",
                io.StringIO(self._datos),
                max(len(self._datos), 8192),
            )
        else:
            marcas = ", ".join(["%s"] * len(columnas))
            cursor.executemany(
                f"INSERT INTO {tabla} ({nombres}) VALUES ({marcas})", self._datos
            )


def insertar_en_bloque(
    tabla: str,
    columnas: Sequence[str],
    filas: Sequence[tuple],
    *,
    texto: Sequence[str] = (),
) -> None:
    """Insert rows: COPY on PostgreSQL, executemany elsewhere (see `Bloque`)."""
    if not filas:
        return
    with connection.cursor() as cur:
        Bloque(filas).insertar(cur, tabla, columnas, texto=texto)
