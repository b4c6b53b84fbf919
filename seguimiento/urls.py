"""Follow-up pages: /seguimiento/… (every one scoped through seguimiento.scoping)."""

from django.urls import path  # noqa: F401

app_name = "seguimiento"

urlpatterns: list = [
    # Actions (seguimiento/views_acciones.py)
    # Monthly record (seguimiento/views_registro.py)
    # Offline (seguimiento/views_sin_conexion.py)
]
