"""Follow-up pages: /seguimiento/… (every one scoped through seguimiento.scoping)."""

from django.urls import path  # noqa: F401

from . import views_registro

app_name = "seguimiento"

urlpatterns: list = [
    # Actions (seguimiento/views_acciones.py)
    # Monthly record (seguimiento/views_registro.py)
    path(
        "seccion/<uuid:uuid>/registro-mensual/",
        views_registro.registro_mensual,
        name="registro-mensual",
    ),
    # Offline (seguimiento/views_sin_conexion.py)
]
