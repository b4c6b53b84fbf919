from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from seguimiento import views_sin_conexion

from . import (
    views,
    views_cuentas,
    views_estudiantes,
    views_excel,
    views_tableros,
    views_tokens,
)
from .forms import FormularioClaveOlvidada, FormularioIngreso
from .tokens import token_clave_olvidada, token_primer_ingreso

urlpatterns = [
    path("", views.inicio, name="inicio"),
    path(
        "ingresar/",
        auth_views.LoginView.as_view(authentication_form=FormularioIngreso),
        name="login",
    ),
    path("salir/", views_sin_conexion.Salir.as_view(), name="logout"),
    # Offline use: at the root, so that the worker controls every page.
    path("sw.js", views_sin_conexion.service_worker, name="service_worker"),
    path("manifest.webmanifest", views_sin_conexion.manifest, name="manifest"),
    path(
        "primer-ingreso/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            token_generator=token_primer_ingreso,
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
    path(
        "clave/olvidada/",
        auth_views.PasswordResetView.as_view(
            form_class=FormularioClaveOlvidada,
            template_name="registration/clave_olvidada.html",
            success_url=reverse_lazy("clave_olvidada_enviada"),
        ),
        name="clave_olvidada",
    ),
    path(
        "clave/olvidada/enviada/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/clave_olvidada_enviada.html"
        ),
        name="clave_olvidada_enviada",
    ),
    path(
        "clave/restablecer/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            token_generator=token_clave_olvidada,
            template_name="registration/clave_restablecer.html",
            success_url=reverse_lazy("clave_restablecida"),
        ),
        name="clave_restablecer",
    ),
    path(
        "clave/restablecida/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/clave_restablecida.html"
        ),
        name="clave_restablecida",
    ),
    path(
        "clave/cambiar/",
        auth_views.PasswordChangeView.as_view(
            template_name="registration/clave_cambiar.html",
            success_url=reverse_lazy("clave_cambiada"),
        ),
        name="clave_cambiar",
    ),
    path(
        "clave/cambiada/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/clave_cambiada.html"
        ),
        name="clave_cambiada",
    ),
    path("cuenta/tokens/", views_tokens.tokens, name="tokens"),
    path(
        "cuenta/tokens/<int:token_id>/revocar/",
        views_tokens.token_revocar,
        name="token_revocar",
    ),
    path("cuenta/avisos/", include("avisos.urls")),
    path("ie/<str:codigo>/", views.ie_detalle, name="ie_detalle"),
    path("ie/<str:codigo>/excel/", views_excel.ie_excel, name="ie_excel"),
    path("ie/<str:codigo>/tutores/", views_cuentas.ie_tutores, name="ie_tutores"),
    path(
        "ie/<str:codigo>/tutores/nuevo/",
        views_cuentas.ie_tutor_nuevo,
        name="ie_tutor_nuevo",
    ),
    path("ugel/<str:codigo>/", views_tableros.ugel_detalle, name="ugel_detalle"),
    path("ugel/<str:codigo>/excel/", views_excel.ugel_excel, name="ugel_excel"),
    path(
        "ugel/<str:codigo>/capacitaciones.xlsx",
        views_tableros.ugel_capacitaciones,
        name="ugel_capacitaciones",
    ),
    path("dre/<int:pk>/", views_tableros.dre_detalle, name="dre_detalle"),
    path("nacional/", views_tableros.nacional, name="nacional"),
    path("seccion/<uuid:uuid>/", views.seccion_detalle, name="seccion_detalle"),
    path("seccion/<uuid:uuid>/excel/", views.seccion_excel, name="seccion_excel"),
    path(
        "estudiante/<uuid:uuid>/",
        views_estudiantes.estudiante_detalle,
        name="estudiante_detalle",
    ),
    path("orientaciones/", include("orientaciones.urls")),
    path("seguimiento/", include("seguimiento.urls")),
    path("monitoreo/", include("monitoreo.urls")),
    path("resultados/", include("resultados.urls")),
    path("capacitaciones/", include("capacitaciones.urls")),
    path("pilotos/", include("pilotos.urls")),
    path("importaciones/", include("siagie_import.urls")),
    path("modelos/", include("alerta.urls_modelos")),
    path("api/v1/", include("alerta.api.urls")),
    path("salud/", views.salud, name="salud"),
    path("admin/", admin.site.urls),
]
