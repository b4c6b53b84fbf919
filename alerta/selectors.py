from django.db.models import Max

from .models import Seccion


def anio_vigente() -> int | None:
    """The latest school year with enrollment imported."""
    return Seccion.objects.aggregate(m=Max("anio"))["m"]
