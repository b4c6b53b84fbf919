"""Follow-up pages: /seguimiento/… (every one scoped through seguimiento.scoping)."""

from django.urls import path

from . import views_acciones, views_registro

app_name = "seguimiento"

urlpatterns: list = [
    # Actions (seguimiento/views_acciones.py)
    path(
        "estudiante/<uuid:uuid>/accion/nueva/",
        views_acciones.accion_nueva,
        name="accion_nueva",
    ),
    path(
        "accion/<uuid:uuid>/corregir/",
        views_acciones.accion_corregir,
        name="accion_corregir",
    ),
    path(
        "accion/<uuid:uuid>/historial/",
        views_acciones.accion_historial,
        name="accion_historial",
    ),
    # Monthly record (seguimiento/views_registro.py)
    path(
        "seccion/<uuid:uuid>/registro-mensual/",
        views_registro.registro_mensual,
        name="registro-mensual",
    ),
    # Offline (seguimiento/views_sin_conexion.py)
]
