"""Importing a file: register it (keeping the original), then process it.

Processing runs in one transaction per file: either every good row goes in and
the rejected ones are reported, or, when the file as a whole is refused, nothing
does. The import's status commits in that same transaction. Progress (rows
processed of rows total) is published through the cache, outside it, so that a
page can show it while the file loads.
"""

import datetime as dt
import hashlib
import logging
import re
import time
import traceback
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as KombuOperationalError

from alerta import models as dominio
from alerta.models import Usuario

from . import procesos
from .cargadores import (
    CARGADORES,
    COLUMNAS_OPCIONALES,
    COLUMNAS_REQUERIDAS,
    Rechazo,
    Resultado,
)
from .lectores import ArchivoInvalido, abrir
from .models import EstadoImportacion, Importacion, TipoArchivo
from .models import Rechazo as RechazoModelo

logger = logging.getLogger(__name__)

Progreso = Callable[[int, int], None]

PATRONES = [
    (re.compile(r"^padron_iiee"), TipoArchivo.PADRON),
    (re.compile(r"^nomina_(\d{4})"), TipoArchivo.NOMINA),
    (re.compile(r"^evaluacion_(\d{4})"), TipoArchivo.EVALUACION),
    (re.compile(r"^asistencia_(\d{4})"), TipoArchivo.ASISTENCIA),
    (re.compile(r"^hogares"), TipoArchivo.HOGARES),
    (re.compile(r"^personal_(\d{4})"), TipoArchivo.PERSONAL),
]
# Files load in this order: each kind refers to what the previous ones created.
ORDEN = [
    TipoArchivo.PADRON,
    TipoArchivo.NOMINA,
    TipoArchivo.EVALUACION,
    TipoArchivo.ASISTENCIA,
    TipoArchivo.HOGARES,
    TipoArchivo.PERSONAL,
]
EXTENSIONES = {".csv", ".xlsx", ".txt"}
LOTE_RECHAZOS = 5000
# Kinds whose rows belong to one school year: an import of them records it.
TIPOS_CON_ANIO = {
    TipoArchivo.NOMINA,
    TipoArchivo.EVALUACION,
    TipoArchivo.ASISTENCIA,
    TipoArchivo.PERSONAL,
}
# How a person may name a kind of file (`importar_siagie --tipo`): the kind's
# own word, in any case, with or without accents.
NOMBRES_DE_TIPO = {t.value.lower(): t.value for t in TipoArchivo}


def tipo_por_nombre(texto: str) -> str | None:
    """The kind of file a person named ("Nómina", "nomina", "NOMINA"), or None."""
    sin_tildes = unicodedata.normalize("NFKD", texto.strip().lower())
    clave = "".join(c for c in sin_tildes if not unicodedata.combining(c))
    return NOMBRES_DE_TIPO.get(clave)


def tipo_de_archivo(nombre: str) -> tuple[str, int | None] | None:
    base = Path(nombre).name.lower()
    for patron, tipo in PATRONES:
        if m := patron.match(base):
            return tipo, int(m.group(1)) if m.groups() else None
    return None


def sha256_de(archivo) -> str:
    h = hashlib.sha256()
    for bloque in iter(lambda: archivo.read(1 << 20), b""):
        h.update(bloque)
    archivo.seek(0)
    return h.hexdigest()


def _clave_progreso(importacion_id: int) -> str:
    return f"importacion:{importacion_id}:progreso"


def progreso_leer(importacion: Importacion) -> tuple[int, int | None]:
    """(rows processed, rows total or None while unknown)."""
    if importacion.estado in (EstadoImportacion.COMPLETADA, EstadoImportacion.FALLIDA):
        return importacion.filas_leidas, importacion.filas_leidas
    return cache.get(_clave_progreso(importacion.pk), (0, None))


def importacion_registrar(
    *,
    archivo,
    nombre: str,
    usuario: Usuario | None = None,
    tipo: str | None = None,
    anio: int | None = None,
) -> Importacion:
    """Keep the original file and record the import, not processed yet.

    `archivo` is an open binary file (an upload or a file on disk). The kind of
    file and its year come from its name unless given.
    """
    detectado = tipo_de_archivo(nombre)
    if tipo is None:
        if detectado is None:
            raise ArchivoInvalido(
                _(
                    "No se reconoce el tipo de archivo por su nombre (%(n)s): "
                    "indique de qué archivo se trata."
                )
                % {"n": Path(nombre).name}
            )
        tipo = detectado[0]
    if anio is None and detectado and detectado[0] == tipo:
        anio = detectado[1]
    importacion = Importacion(
        usuario=usuario,
        tipo=tipo,
        anio=anio,
        nombre_archivo=Path(nombre).name[:255],
        sha256=sha256_de(archivo),
        tamano=getattr(archivo, "size", None) or 0,
    )
    importacion.archivo.save(Path(nombre).name, File(archivo), save=False)
    importacion.tamano = importacion.archivo.size
    importacion.save()
    return importacion


def mensaje_sin_cola() -> str:
    return _(
        "El archivo se guardó, pero no se pudo poner en cola para procesarlo "
        "porque el servicio de tareas no responde. No se importó nada todavía. "
        "Pulse «Reintentar» en unos minutos; si el problema sigue, avise al "
        "administrador."
    )


def importacion_encolar(*, importacion: Importacion) -> bool:
    """Queue the import's processing for a worker; return whether it was queued.

    With the broker unreachable the import stays "en cola" with its file,
    marked as not queued and with a message saying so, to be queued again
    (`importacion_reintentar`). Queueing twice is harmless: only a queued
    import is taken, once (`importacion_procesar`).
    """
    from .tasks import procesar_importacion

    # Cleared before queueing, not after: a worker may take the import at once
    # and save the row as it read it.
    if importacion.sin_encolar:
        importacion.sin_encolar = False
        importacion.mensaje = ""
        Importacion.objects.filter(
            pk=importacion.pk, estado=EstadoImportacion.PENDIENTE
        ).update(sin_encolar=False, mensaje="")
    try:
        procesar_importacion.delay(importacion.pk)
    except KombuOperationalError as e:
        logger.error(
            "La importación %s no se pudo poner en cola (%s: %s).",
            importacion.pk,
            type(e).__name__,
            e,
        )
        importacion.sin_encolar = True
        importacion.mensaje = mensaje_sin_cola()
        Importacion.objects.filter(
            pk=importacion.pk, estado=EstadoImportacion.PENDIENTE
        ).update(sin_encolar=True, mensaje=importacion.mensaje)
        return False
    return True


def importacion_reintentar(*, importacion: Importacion) -> bool:
    """Queue again an import still waiting in the queue; False when it no
    longer waits (it was taken or finished) or the broker is still down."""
    if importacion.estado != EstadoImportacion.PENDIENTE:
        return False
    return importacion_encolar(importacion=importacion)


def importacion_procesar(
    *, importacion_id: int, progreso: Progreso | None = None
) -> Importacion:
    """Read, validate and load a registered file; record how it went.

    Only a queued import is taken: a task delivered twice (a worker that died
    is replaced and the broker delivers its task again) loads nothing the
    second time, and an import whose process died is closed by the sweep
    (`importaciones_cerrar_interrumpidas`), not loaded again half-way.
    """
    with procesos.bloqueo(importacion_id):
        tomada = Importacion.objects.filter(
            pk=importacion_id, estado=EstadoImportacion.PENDIENTE
        ).update(
            estado=EstadoImportacion.EN_CURSO,
            proceso=procesos.identidad_actual(),
            procesando_desde=timezone.now(),
        )
        importacion = Importacion.objects.get(pk=importacion_id)
        if not tomada:
            logger.warning(
                "La importación %s no está en cola (%s): no se procesa otra vez.",
                importacion.pk,
                importacion.estado,
            )
            return importacion
        return _procesar(importacion, progreso)


def _procesar(importacion: Importacion, progreso: Progreso | None) -> Importacion:
    """Load the file; the outcome (status, counts, rejections) commits in the
    same transaction as its rows, so that no process death can leave one
    without the other."""
    inicio = time.monotonic()
    resultado = Resultado()
    clave = _clave_progreso(importacion.pk)

    def avisar(hechas: int, total: int) -> None:
        cache.set(clave, (hechas, total), timeout=24 * 3600)
        if progreso:
            progreso(hechas, total)

    def anotar(estado: str, resultado: Resultado) -> None:
        importacion.estado = estado
        importacion.filas_leidas = resultado.leidas
        importacion.filas_aceptadas = resultado.aceptadas
        importacion.filas_rechazadas = len(resultado.rechazos)
        importacion.terminada = timezone.now()
        importacion.duracion_s = time.monotonic() - inicio
        importacion.save()

    ruta = Path(importacion.archivo.path)
    try:
        lector = abrir(
            ruta,
            requeridas=COLUMNAS_REQUERIDAS[importacion.tipo],
            conocidas=COLUMNAS_OPCIONALES[importacion.tipo],
        )
        total = lector.contar_filas()
        avisar(0, total)
        with transaction.atomic():
            CARGADORES[importacion.tipo](
                lector.filas(),
                resultado,
                anio=importacion.anio,
                avisar=lambda n: avisar(n, total),
            )
            _guardar_rechazos(importacion, resultado.rechazos)
            anotar(EstadoImportacion.COMPLETADA, resultado)
    except ArchivoInvalido as e:
        importacion.mensaje = str(e)
        anotar(EstadoImportacion.FALLIDA, Resultado())
    except Exception as e:  # the database, a bug: recorded, not lost
        # The error's text may quote a row of the file (PostgreSQL's DETAIL does):
        # the log gets its kind and where it happened, never the data.
        logger.error(
            "La importación %s falló (%s):\n%s",
            importacion.pk,
            type(e).__name__,
            "".join(traceback.format_tb(e.__traceback__)),
        )
        importacion.mensaje = _(
            "La importación no pudo terminar por un error interno (%(tipo)s) y no "
            "se importó nada. Comuníquelo al administrador con el número de "
            "importación %(n)s."
        ) % {"tipo": type(e).__name__, "n": importacion.pk}
        anotar(EstadoImportacion.FALLIDA, Resultado())
    else:
        # After the commit: statistics help the queries that follow, and the
        # import is complete whether or not this runs.
        estadisticas_actualizar(importacion.tipo)
    cache.delete(clave)
    return importacion


def mensaje_interrumpida() -> str:
    return _(
        "El proceso que cargaba este archivo se detuvo antes de terminar (por "
        "ejemplo, el servidor se reinició o se quedó sin memoria) y no se "
        "importó nada. Vuelva a cargar el archivo."
    )


def importaciones_cerrar_interrumpidas(
    *, ids: Iterable[int] | None = None
) -> list[int]:
    """Close as failed each import "en curso" whose process is gone; return
    their ids. An import whose process still runs is left alone (decision 0011).

    Gone means: on PostgreSQL, nobody holds the import's advisory lock; on
    SQLite, the recorded process no longer runs on this host, or, when it ran
    on another host (or none was recorded), the import has been running for
    longer than a task may (`CELERY_TASK_TIME_LIMIT`).
    """
    candidatas = Importacion.objects.en_curso()
    if ids is not None:
        candidatas = candidatas.filter(pk__in=list(ids))
    cerradas = []
    for importacion in candidatas.only("pk", "proceso", "procesando_desde", "iniciada"):
        if procesos.con_bloqueos():
            with procesos.sin_dueno(importacion.pk) as libre:
                if libre and _cerrar(importacion.pk):
                    cerradas.append(importacion.pk)
        elif _abandonada_sin_bloqueos(importacion) and _cerrar(importacion.pk):
            cerradas.append(importacion.pk)
    return cerradas


def _abandonada_sin_bloqueos(importacion: Importacion) -> bool:
    vivo = procesos.vive(importacion.proceso)
    if vivo is not None:
        return not vivo
    desde = importacion.procesando_desde or importacion.iniciada
    plazo = dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    return timezone.now() - desde > plazo


def _cerrar(importacion_id: int) -> bool:
    # Only if still "en curso": an import that finished since it was read (its
    # status committed with its rows) is never touched.
    try:
        cerrada = Importacion.objects.filter(
            pk=importacion_id, estado=EstadoImportacion.EN_CURSO
        ).update(
            estado=EstadoImportacion.FALLIDA,
            mensaje=mensaje_interrumpida(),
            terminada=timezone.now(),
        )
    except OperationalError:
        # SQLite: another import holds the database's write lock. The next
        # sweep closes this one.
        logger.warning("La importación %s no se pudo cerrar todavía.", importacion_id)
        return False
    if cerrada:
        logger.warning(
            "La importación %s quedó interrumpida: se cierra como fallida.",
            importacion_id,
        )
        cache.delete(_clave_progreso(importacion_id))
    return bool(cerrada)


# The tables each kind of file writes to.
TABLAS_POR_TIPO = {
    TipoArchivo.PADRON: [
        dominio.Dre,
        dominio.Ugel,
        dominio.Distrito,
        dominio.InstitucionEducativa,
    ],
    TipoArchivo.NOMINA: [dominio.Seccion, dominio.Estudiante, dominio.Matricula],
    TipoArchivo.EVALUACION: [dominio.Evaluacion],
    TipoArchivo.ASISTENCIA: [dominio.Asistencia],
    TipoArchivo.HOGARES: [dominio.Hogar],
    TipoArchivo.PERSONAL: [dominio.Usuario, dominio.Asignacion],
}


def estadisticas_actualizar(tipo: str) -> None:
    """Refresh PostgreSQL's statistics of the tables a file just loaded.

    Without them the planner may pick a plan many times slower for the risk
    model's queries right after a big import (autovacuum may be off, or not
    have run yet). ANALYZE samples a bounded number of rows: seconds, even
    for millions.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        for modelo in TABLAS_POR_TIPO.get(tipo, []):
            cur.execute(f"ANALYZE {modelo._meta.db_table}")


def _guardar_rechazos(importacion: Importacion, rechazos: list[Rechazo]) -> None:
    RechazoModelo.objects.bulk_create(
        (
            RechazoModelo(
                importacion=importacion,
                fila=r.fila,
                columna=r.columna[:60],
                valor=r.valor[:200],
                motivo=r.motivo[:300],
            )
            for r in rechazos
        ),
        batch_size=LOTE_RECHAZOS,
    )


def importacion_ejecutar(
    *,
    ruta: Path,
    tipo: str | None = None,
    anio: int | None = None,
    usuario: Usuario | None = None,
    progreso: Progreso | None = None,
) -> Importacion:
    """Register and process a file from disk (command line, tests, demo)."""
    with ruta.open("rb") as f:
        importacion = importacion_registrar(
            archivo=f, nombre=ruta.name, usuario=usuario, tipo=tipo, anio=anio
        )
    return importacion_procesar(importacion_id=importacion.pk, progreso=progreso)


def archivos_de_carpeta(carpeta: Path) -> list[Path]:
    """The importable files of a folder, in load order (kind, then year)."""
    encontrados = []
    for ruta in carpeta.iterdir():
        if ruta.suffix.lower() not in EXTENSIONES or not (
            t := tipo_de_archivo(ruta.name)
        ):
            continue
        encontrados.append((ORDEN.index(t[0]), t[1] or 0, ruta))
    return [r for *_k, r in sorted(encontrados)]
