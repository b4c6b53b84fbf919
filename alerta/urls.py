from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from . import views

urlpatterns = [
    path("", views.inicio, name="inicio"),
    path("ingresar/", auth_views.LoginView.as_view(), name="login"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "primer-ingreso/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/primer_ingreso.html",
            success_url=reverse_lazy("primer_ingreso_hecho"),
        ),
        name="primer_ingreso",
    ),
    path(
        "primer-ingreso/hecho/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/primer_ingreso_hecho.html"
        ),
        name="primer_ingreso_hecho",
    ),
    path("ie/<str:codigo>/", views.ie_detalle, name="ie_detalle"),
    path("ugel/<str:codigo>/", views.ugel_detalle, name="ugel_detalle"),
    path("seccion/<uuid:uuid>/", views.seccion_detalle, name="seccion_detalle"),
    path("seccion/<uuid:uuid>/excel/", views.seccion_excel, name="seccion_excel"),
    path("orientaciones/", include("orientaciones.urls")),
    path("importaciones/", include("siagie_import.urls")),
    path("salud/", views.salud, name="salud"),
    path("admin/", admin.site.urls),
]
