"""Bulk writes that do not go through the ORM's per-object path."""

import csv
import io
from collections.abc import Sequence

from django.db import connection


def insertar_en_bloque(
    tabla: str,
    columnas: Sequence[str],
    filas: Sequence[tuple],
    *,
    texto: Sequence[str] = (),
) -> None:
    """Insert rows: COPY on PostgreSQL, executemany elsewhere.

    `texto` names the text columns, which keep "" instead of becoming NULL in
    COPY's CSV format.
    """
    if not filas:
        return
    nombres = ", ".join(columnas)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows(filas)
            buffer.seek(0)
            opciones = "FORMAT csv"
            if texto:
                opciones += f", FORCE_NOT_NULL ({', '.join(texto)})"
            cur.cursor.copy_expert(
                f"COPY {tabla} ({nombres}) FROM STDIN WITH ({opciones})", buffer
            )
        else:
            marcas = ", ".join(["%s"] * len(columnas))
            cur.executemany(f"INSERT INTO {tabla} ({nombres}) VALUES ({marcas})", filas)
