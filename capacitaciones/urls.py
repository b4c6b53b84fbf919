"""Trainings: /capacitaciones/… (scoped through capacitaciones.scoping)."""

from django.urls import path

from . import views

app_name = "capacitaciones"

urlpatterns = [
    path("ugel/<str:codigo>/", views.ugel, name="ugel"),
    path("ugel/<str:codigo>/nueva/", views.nueva, name="nueva"),
    path("ugel/<str:codigo>/comparacion/", views.comparacion, name="comparacion"),
    path("<uuid:uuid>/", views.detalle, name="detalle"),
    path("<uuid:uuid>/invitar/", views.invitar, name="invitar"),
    path("<uuid:uuid>/asistencia/", views.asistencia, name="asistencia"),
    path("<uuid:uuid>/editar/", views.editar, name="editar"),
    path("<uuid:uuid>/cancelar/", views.cancelar, name="cancelar"),
]
