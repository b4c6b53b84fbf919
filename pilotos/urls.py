"""Pilots: /pilotos/… (scoped through pilotos.scoping)."""

from django.urls import path

from . import views

app_name = "pilotos"

urlpatterns = [
    path("", views.lista, name="lista"),
    path("nueva/", views.nueva, name="nueva"),
    path("<uuid:uuid>/", views.detalle, name="detalle"),
    path("<uuid:uuid>/sortear/", views.sortear, name="sortear"),
    path("<uuid:uuid>/publicar/", views.publicar, name="publicar"),
    path("<uuid:uuid>/resultados/", views.resultados, name="resultados"),
    path("<uuid:uuid>/evaluacion.xlsx", views.exportar_xlsx, name="xlsx"),
    path("<uuid:uuid>/evaluacion.csv", views.exportar_csv, name="csv"),
]
