from django.urls import path

from . import views_modelos as views

app_name = "modelos"

urlpatterns = [
    path("", views.lista, name="lista"),
    path("entrenar/", views.entrenar, name="entrenar"),
    path("restaurar/", views.restaurar, name="restaurar"),
    path("<int:version>/", views.detalle, name="detalle"),
    path("<int:version>/publicar/", views.publicar, name="publicar"),
    path("<int:version>/retirar/", views.retirar, name="retirar"),
]
