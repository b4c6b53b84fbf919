from django.urls import path

from . import views

app_name = "resultados"

urlpatterns = [
    path("nacional/", views.nacional, name="nacional"),
    path("nacional/resultados.xlsx", views.nacional_libro, name="nacional_libro"),
    path("calcular/", views.calcular, name="calcular"),
    path("dre/<int:pk>/", views.dre, name="dre"),
    path("dre/<int:pk>/resultados.xlsx", views.dre_libro, name="dre_libro"),
    path("ugel/<str:codigo>/", views.ugel, name="ugel"),
    path("ugel/<str:codigo>/resultados.xlsx", views.ugel_libro, name="ugel_libro"),
]
