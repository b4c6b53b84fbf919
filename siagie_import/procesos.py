"""Whether the process loading an import is still alive (decision 0011).

On PostgreSQL the importing connection holds a session-level advisory lock for
the import's whole life: the server releases it when that session ends, however
the process ended, and only after the session's transaction was rolled back.
A lock that can be taken means no process is loading the import.

SQLite has no such lock (and its writer blocks every other writer, so no
heartbeat can be written while the file loads): the process records its host,
pid and start time, and a sweep on the same host checks that this very process
still runs. The start time tells it from a later process given the same pid (a
restarted container starts its processes with the same pids).
"""

import logging
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)

# First key of the import's advisory lock (the second is the import's id):
# "IMPO" in ASCII, so that other uses of advisory locks cannot collide.
ESPACIO_BLOQUEOS = 0x494D504F
PROC = Path("/proc")


def _inicio(pid: int) -> str | None:
    """When the process started (Linux: clock ticks since boot), "" where the
    system does not say; None when no such process runs (or it is a zombie)."""
    if not (PROC / "self" / "stat").exists():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass  # someone else's process: alive
        return ""
    try:
        # Fields after the command's name, which is in parentheses and may hold
        # spaces: the state is field 3, the start time field 22.
        campos = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None if campos[0] == "Z" else campos[19]


def identidad_actual() -> str:
    """This process, as recorded on the import it loads: "host:pid:start"."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_inicio(pid) or ''}"


def vive(identidad: str) -> bool | None:
    """Whether the recorded process still runs; None when this host cannot tell
    (no process recorded, or one of another host)."""
    partes = identidad.rsplit(":", 2)
    if len(partes) != 3 or not partes[1].isdigit():
        return None
    host, pid, inicio = partes
    if host != socket.gethostname():
        return None
    return _inicio(int(pid)) == inicio


def con_bloqueos() -> bool:
    return connection.vendor == "postgresql"


@contextmanager
def bloqueo(importacion_id: int) -> Iterator[None]:
    """Hold the import's advisory lock on this connection (PostgreSQL) while
    the block runs. A session-level lock outlives the transactions inside."""
    if not con_bloqueos():
        yield
        return
    with connection.cursor() as cur:
        cur.execute(
            "SELECT pg_advisory_lock(%s, %s)", [ESPACIO_BLOQUEOS, importacion_id]
        )
    try:
        yield
    finally:
        _soltar(importacion_id)


@contextmanager
def sin_dueno(importacion_id: int) -> Iterator[bool]:
    """Whether no session holds the import's lock (PostgreSQL); while the block
    runs this one holds it, so no process can take the import meanwhile."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT pg_try_advisory_lock(%s, %s)", [ESPACIO_BLOQUEOS, importacion_id]
        )
        libre = cur.fetchone()[0]
    try:
        yield libre
    finally:
        if libre:
            _soltar(importacion_id)


def _soltar(importacion_id: int) -> None:
    """Release the import's lock. If the connection cannot say so (broken, or
    in a failed transaction), close it: the server then releases every lock
    of the session, which a kept connection (CONN_MAX_AGE) would otherwise
    hold until it ends, making a dead import look alive."""
    try:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT pg_advisory_unlock(%s, %s)",
                [ESPACIO_BLOQUEOS, importacion_id],
            )
    except DatabaseError:
        logger.warning(
            "No se pudo soltar el bloqueo de la importación %s: se cierra la "
            "conexión para que el servidor lo suelte.",
            importacion_id,
        )
        connection.close()
