from django.urls import path

from . import views

app_name = "monitoreo"

urlpatterns = [
    path("ugel/<str:codigo>/", views.ugel, name="ugel"),
    path("ugel/<str:codigo>/docentes/", views.ugel_docentes, name="ugel_docentes"),
    path("ugel/<str:codigo>/uso.xlsx", views.ugel_libro, name="ugel_libro"),
    path("ie/<str:codigo>/", views.ie, name="ie"),
    path("docente/<int:pk>/", views.docente, name="docente"),
    path("dre/<int:pk>/", views.dre, name="dre"),
    path("nacional/", views.nacional, name="nacional"),
]
