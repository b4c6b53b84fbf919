from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.inicio, name="inicio"),
    path("ingresar/", auth_views.LoginView.as_view(), name="login"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("ie/<str:codigo>/", views.ie_detalle, name="ie_detalle"),
    path("ugel/<str:codigo>/", views.ugel_detalle, name="ugel_detalle"),
    path("seccion/<uuid:uuid>/", views.seccion_detalle, name="seccion_detalle"),
    path("seccion/<uuid:uuid>/excel/", views.seccion_excel, name="seccion_excel"),
    path("orientaciones/", include("orientaciones.urls")),
    path("salud/", views.salud, name="salud"),
    path("admin/", admin.site.urls),
]
