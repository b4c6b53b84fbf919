import hashlib
import re
import time
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from alerta.models import Usuario

from .cargadores import CARGADORES, COLUMNAS_REQUERIDAS, Resultado
from .models import EstadoImportacion, Importacion, TipoArchivo
from .readers import ArchivoInvalido, columnas, leer_filas

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


def tipo_de_archivo(nombre: str) -> tuple[str, int | None] | None:
    base = Path(nombre).name.lower()
    for patron, tipo in PATRONES:
        if m := patron.match(base):
            return tipo, int(m.group(1)) if m.groups() else None
    return None


def sha256_de(ruta: Path) -> str:
    h = hashlib.sha256()
    with ruta.open("rb") as f:
        for bloque in iter(lambda: f.read(1 << 20), b""):
            h.update(bloque)
    return h.hexdigest()


def importacion_ejecutar(
    *, ruta: Path, tipo: str | None = None, usuario: Usuario | None = None
) -> Importacion:
    """Load one file in one transaction, and record how it went."""
    detectado = tipo_de_archivo(ruta.name)
    if tipo is None and detectado is None:
        raise ArchivoInvalido(
            _("No se reconoce el tipo de archivo por su nombre: %(n)s")
            % {"n": ruta.name}
        )
    tipo = tipo or detectado[0]
    importacion = Importacion.objects.create(
        usuario=usuario,
        tipo=tipo,
        anio=detectado[1] if detectado else None,
        nombre_archivo=ruta.name,
        sha256=sha256_de(ruta),
    )
    inicio = time.monotonic()
    resultado = Resultado()
    try:
        faltan = [c for c in COLUMNAS_REQUERIDAS[tipo] if c not in set(columnas(ruta))]
        if faltan:
            raise ArchivoInvalido(
                _("Faltan columnas obligatorias: %(c)s.") % {"c": ", ".join(faltan)}
            )
        with transaction.atomic():
            CARGADORES[tipo](leer_filas(ruta), resultado)
    except ArchivoInvalido as e:
        importacion.estado = EstadoImportacion.FALLIDA
        importacion.mensaje = str(e)
    else:
        importacion.estado = EstadoImportacion.COMPLETADA
    importacion.filas_leidas = (
        resultado.leidas if importacion.estado == "COMPLETADA" else 0
    )
    importacion.filas_aceptadas = (
        resultado.aceptadas if importacion.estado == "COMPLETADA" else 0
    )
    importacion.filas_rechazadas = len(resultado.rechazos)
    importacion.rechazos = [r.como_dict() for r in resultado.rechazos[:10000]]
    importacion.duracion_s = time.monotonic() - inicio
    importacion.save()
    return importacion


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
