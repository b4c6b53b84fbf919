"""How long a rendered table of counts stays valid (decision 0017).

The counts of a sección, an IE or a UGEL change only when a scoring run ends
or an import completes: a table of them is rendered once for both and kept in
the cache under a key that says so.
"""

import hashlib
from collections.abc import Iterable
from datetime import datetime

from django.db.models import Max
from django.utils.translation import get_language

from siagie_import.models import EstadoImportacion, Importacion


def ultima_carga() -> datetime | None:
    """When the last completed import ended: what the enrollment says (who is
    where, who left) holds until the next one."""
    return Importacion.objects.filter(estado=EstadoImportacion.COMPLETADA).aggregate(
        m=Max("terminada")
    )["m"]


def clave_de_conteos(
    *, ambito: str, ejecucion_id: int | None, ids: Iterable[int]
) -> str:
    """The cache key of a table of counts (decision 0017): the counts of `ids`
    (secciones, IEs) under `ambito` change only with a scoring run or an
    import, and the key holds both, the language, and every id the table shows,
    so that two users who may see different rows never share a table."""
    marca = hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()
    carga = ultima_carga()
    return "|".join(
        [
            ambito,
            str(ejecucion_id or 0),
            carga.isoformat() if carga else "-",
            get_language() or "-",
            marca,
        ]
    )
