from django.urls import path

from . import views

app_name = "importacion"

urlpatterns = [
    path("", views.lista, name="lista"),
    path("<int:pk>/", views.detalle, name="detalle"),
    path("<int:pk>/reintentar/", views.reintentar, name="reintentar"),
    path("<int:pk>/progreso/", views.progreso, name="progreso"),
    path("<int:pk>/rechazos.xlsx", views.rechazos_xlsx, name="rechazos_xlsx"),
]
