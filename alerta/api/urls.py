from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from seguimiento.api_acciones import AccionViewSet
from seguimiento.api_registros import RegistroMensualViewSet

from . import docs, views
from .exportar import ugel_alto_medio_csv
from .yo import YoView

app_name = "api"

router = SimpleRouter()
router.register("estudiantes", views.EstudianteViewSet, basename="estudiante")
router.register("secciones", views.SeccionViewSet, basename="seccion")
router.register("ies", views.IeViewSet, basename="ie")
router.register("ugeles", views.UgelViewSet, basename="ugel")
router.register("dres", views.DreViewSet, basename="dre")
router.register("orientaciones", views.OrientacionViewSet, basename="orientacion")
router.register("modelos", views.ModeloViewSet, basename="modelo")
router.register("importaciones", views.ImportacionViewSet, basename="importacion")
router.register("acciones", AccionViewSet, basename="accion")
router.register(
    "registros-mensuales", RegistroMensualViewSet, basename="registro-mensual"
)

urlpatterns = [
    path(
        "ugeles/<str:codigo>/alto-medio.csv",
        ugel_alto_medio_csv,
        name="ugel-alto-medio-csv",
    ),
    *router.urls,
    path("nacional/", views.NacionalView.as_view(), name="nacional"),
    path("yo/", YoView.as_view(), name="yo"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.documentacion, name="docs"),
]
