"""Importing a file: register it (keeping the original), then process it.

Processing runs in one transaction per file: either every good row goes in and
the rejected ones are reported, or, when the file as a whole is refused, nothing
does. Progress (rows processed of rows total) is published through the cache,
outside that transaction, so that a page can show it while the file loads.
"""

import hashlib
import logging
import re
import time
import traceback
import unicodedata
from collections.abc import Callable
from pathlib import Path

from django.core.cache import cache
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alerta import models as dominio
from alerta.models import Usuario

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


def importacion_procesar(
    *, importacion_id: int, progreso: Progreso | None = None
) -> Importacion:
    """Read, validate and load a registered file; record how it went."""
    importacion = Importacion.objects.get(pk=importacion_id)
    Importacion.objects.filter(pk=importacion.pk).update(
        estado=EstadoImportacion.EN_CURSO
    )
    inicio = time.monotonic()
    resultado = Resultado()
    clave = _clave_progreso(importacion.pk)

    def avisar(hechas: int, total: int) -> None:
        cache.set(clave, (hechas, total), timeout=24 * 3600)
        if progreso:
            progreso(hechas, total)

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
    except ArchivoInvalido as e:
        importacion.estado = EstadoImportacion.FALLIDA
        importacion.mensaje = str(e)
        resultado = Resultado()
    except Exception as e:  # the database, a bug: recorded, not lost
        # The error's text may quote a row of the file (PostgreSQL's DETAIL does):
        # the log gets its kind and where it happened, never the data.
        logger.error(
            "La importación %s falló (%s):\n%s",
            importacion.pk,
            type(e).__name__,
            "".join(traceback.format_tb(e.__traceback__)),
        )
        importacion.estado = EstadoImportacion.FALLIDA
        importacion.mensaje = _(
            "La importación no pudo terminar por un error interno (%(tipo)s) y no "
            "se importó nada. Comuníquelo al administrador con el número de "
            "importación %(n)s."
        ) % {"tipo": type(e).__name__, "n": importacion.pk}
        resultado = Resultado()
    else:
        importacion.estado = EstadoImportacion.COMPLETADA
        estadisticas_actualizar(importacion.tipo)
    importacion.filas_leidas = resultado.leidas
    importacion.filas_aceptadas = resultado.aceptadas
    importacion.filas_rechazadas = len(resultado.rechazos)
    importacion.terminada = timezone.now()
    importacion.duracion_s = time.monotonic() - inicio
    importacion.save()
    cache.delete(clave)
    return importacion


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
