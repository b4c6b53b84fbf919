"""Model artifacts on disk: saved with skops (never pickle), checked on load."""

import hashlib
from pathlib import Path

import skops.io as sio
from django.conf import settings

# Types a saved pipeline may contain. Anything else in a file refuses to load.
PREFIJOS_CONFIABLES = ("sklearn.", "numpy.", "builtins.", "scipy.")


class ArtefactoInvalido(Exception):
    pass


def carpeta() -> Path:
    ruta = Path(settings.MEDIA_ROOT) / "modelos"
    ruta.mkdir(parents=True, exist_ok=True)
    return ruta


def guardar(objeto, nombre: str) -> tuple[str, str]:
    """Save and return (path relative to MEDIA_ROOT, SHA-256)."""
    ruta = carpeta() / nombre
    sio.dump(objeto, ruta)
    return str(ruta.relative_to(settings.MEDIA_ROOT)), sha256(ruta)


def sha256(ruta: Path) -> str:
    return hashlib.sha256(ruta.read_bytes()).hexdigest()


def cargar(relativa: str, sha_esperado: str):
    ruta = Path(settings.MEDIA_ROOT) / relativa
    if sha256(ruta) != sha_esperado:
        raise ArtefactoInvalido(f"SHA-256 mismatch for {relativa}")
    desconocidos = sio.get_untrusted_types(file=ruta)
    fuera = [t for t in desconocidos if not t.startswith(PREFIJOS_CONFIABLES)]
    if fuera:
        raise ArtefactoInvalido(f"Untrusted types in {relativa}: {fuera}")
    return sio.load(ruta, trusted=desconocidos)
