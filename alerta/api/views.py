"""The API's viewsets: each queryset starts from `alerta.scoping`, each
object is fetched through its `*_o_404`, each count is the pages' own
(alerta.presentacion). Outside the scope: 404, never 403.
"""

from functools import cached_property

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from orientaciones import selectors as orientaciones_selectors
from orientaciones.models import Orientacion
from riesgo import selectors as riesgo_selectors
from riesgo.models import EjecucionPuntaje, ModeloRiesgo
from siagie_import.models import Importacion

from .. import scoping
from ..ficha import ficha_de
from ..models import Accion, Dre, InstitucionEducativa, Matricula, Seccion, Ugel
from ..presentacion import tableros
from ..presentacion.conteos import conteos_por, conteos_por_clave, mostrados
from . import filtros, serializers
from .acceso import RegistraAcceso

# Fields of a risk list's row: those of the pages' lists, and the IE's code.
CAMPOS_FILA = (
    *riesgo_selectors.CAMPOS_FILA,
    "seccion__ie__codigo_modular",
    "seccion__ie__anexo",
)


class _Vigente:
    """The current scoring run, read once per request."""

    @cached_property
    def ejecucion(self) -> EjecucionPuntaje | None:
        return riesgo_selectors.ejecucion_vigente()


class _ConConteos(_Vigente):
    """A list or a detail whose objects carry their counts, read for the
    page's objects only: one query, whatever the page size."""

    def conteos_de(self, objetos: list) -> dict:
        raise NotImplementedError

    def _con_conteos(self, objetos, **kwargs):
        contexto = {
            **self.get_serializer_context(),
            "conteos": self.conteos_de(objetos),
        }
        return self.get_serializer(objetos, context=contexto, **kwargs)

    def list(self, request: Request, *args, **kwargs) -> Response:
        pagina = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._con_conteos(pagina, many=True).data)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return Response(self._con_conteos([self.get_object()], many=True).data[0])


class _SoloMinedu:
    """Endpoints of Minedu's business (national counts, models, imports):
    every other persona gets 404, lists included."""

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        if not scoping.ve_todo(request.user):
            raise Http404


def _parametro(nombre: str, tipo, descripcion: str) -> OpenApiParameter:
    return OpenApiParameter(
        nombre, tipo, OpenApiParameter.PATH, description=descripcion
    )


UUID_ESTUDIANTE = _parametro(
    "uuid", OpenApiTypes.UUID, "Identificador opaco del estudiante."
)
UUID_SECCION = _parametro("uuid", OpenApiTypes.UUID, "Identificador de la sección.")
CODIGO_IE = _parametro(
    "codigo", OpenApiTypes.STR, "Código modular y anexo de la IE (0123456-0)."
)
CODIGO_UGEL = _parametro("codigo", OpenApiTypes.STR, "Código de la UGEL.")


@extend_schema_view(
    list=extend_schema(
        summary="Estudiantes del año escolar vigente, con su nivel de riesgo",
        description=(
            "Las matrículas vigentes del año escolar que se muestra, dentro del "
            "alcance de quien consulta, con el puntaje de la ejecución vigente. "
            "Un filtro de sección, IE o UGEL fuera del alcance responde 404. "
            "Cada respuesta queda en el registro de accesos."
        ),
    ),
    retrieve=extend_schema(
        summary="Ficha de un estudiante",
        description=(
            "Nivel de riesgo actual, su probabilidad, lo que significa, los "
            "factores (código y palabras) y el historial de niveles. Queda en "
            "el registro de accesos."
        ),
        parameters=[UUID_ESTUDIANTE],
        responses=serializers.FichaSerializer,
    ),
)
class EstudianteViewSet(RegistraAcceso, _Vigente, viewsets.ReadOnlyModelViewSet):
    queryset = Matricula.objects.none()  # the model, for the schema
    serializer_class = serializers.EstudianteFilaSerializer
    filterset_class = filtros.FiltroEstudiantes
    lookup_field = "uuid"
    lookup_value_regex = "[0-9a-fA-F-]{36}"
    registro_acceso = {
        "list": (Accion.VER_LISTA, "estudiantes?{filtros}"),
        "retrieve": (Accion.VER_ESTUDIANTE, "estudiante:{uuid}"),
    }

    def get_queryset(self):
        user = self.request.user
        matriculas = (
            scoping.matriculas_visibles(user)
            .vigentes()
            .filter(seccion__anio=scoping.anio_mostrado(user))
            .select_related("estudiante", "seccion__ie")
            .only(*CAMPOS_FILA)
        )
        return riesgo_selectors.con_puntaje(matriculas, self.ejecucion)

    def retrieve(self, request: Request, uuid=None) -> Response:
        estudiante = scoping.estudiante_o_404(request.user, uuid)
        ficha = ficha_de(estudiante, self.ejecucion)
        return Response(serializers.FichaSerializer(ficha).data)


@extend_schema_view(
    list=extend_schema(summary="Secciones del año escolar vigente, con sus conteos"),
    retrieve=extend_schema(summary="Una sección", parameters=[UUID_SECCION]),
)
class SeccionViewSet(_ConConteos, viewsets.ReadOnlyModelViewSet):
    queryset = Seccion.objects.none()
    serializer_class = serializers.SeccionSerializer
    filterset_class = filtros.FiltroSecciones
    lookup_field = "uuid"
    lookup_value_regex = "[0-9a-fA-F-]{36}"

    def get_queryset(self):
        user = self.request.user
        return (
            scoping.secciones_visibles(user)
            .filter(anio=scoping.anio_mostrado(user))
            .select_related("ie")
        )

    def get_object(self):
        return scoping.seccion_o_404(self.request.user, self.kwargs["uuid"])

    def conteos_de(self, objetos: list) -> dict:
        secciones = scoping.secciones_visibles(self.request.user).filter(
            pk__in=[s.pk for s in objetos]
        )
        return mostrados(
            conteos_por("seccion_id", secciones, self.ejecucion), self.ejecucion
        )


@extend_schema_view(
    list=extend_schema(summary="Instituciones educativas, con sus conteos"),
    retrieve=extend_schema(summary="Una institución educativa", parameters=[CODIGO_IE]),
)
class IeViewSet(_ConConteos, viewsets.ReadOnlyModelViewSet):
    queryset = InstitucionEducativa.objects.none()
    serializer_class = serializers.IeSerializer
    filterset_class = filtros.FiltroIes
    lookup_field = "codigo"
    lookup_value_regex = "[0-9]{7}-[0-9]+"

    def get_queryset(self):
        return scoping.ies_visibles(self.request.user).select_related("ugel")

    def get_object(self):
        return scoping.ie_o_404(self.request.user, self.kwargs["codigo"])

    def conteos_de(self, objetos: list) -> dict:
        ies = scoping.ies_visibles(self.request.user).filter(
            pk__in=[ie.pk for ie in objetos]
        )
        return conteos_por_clave(self.ejecucion, ies)


class _Tablero(_ConConteos):
    """A UGEL or a DRE: its totals in the list; by grado as well in its detail."""

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        alcance = self.get_object()
        datos = self._con_conteos([alcance], many=True).data[0]
        grados = tableros.por_grado(self.ejecucion, alcance)
        datos["grados"] = serializers.GradoSerializer(grados, many=True).data
        return Response(datos)

    def conteos_de(self, objetos: list) -> dict:
        hijos = self.get_queryset().filter(pk__in=[o.pk for o in objetos])
        return conteos_por_clave(self.ejecucion, hijos)


@extend_schema_view(
    list=extend_schema(summary="UGEL, con sus conteos"),
    retrieve=extend_schema(
        summary="Una UGEL: sus conteos, en total y por grado",
        parameters=[CODIGO_UGEL],
        responses=serializers.UgelDetalleSerializer,
    ),
)
class UgelViewSet(_Tablero, viewsets.ReadOnlyModelViewSet):
    queryset = Ugel.objects.none()
    serializer_class = serializers.UgelSerializer
    filterset_class = filtros.FiltroUgeles
    lookup_field = "codigo"
    lookup_value_regex = "[0-9]{6}"

    def get_queryset(self):
        return scoping.ugeles_visibles(self.request.user)

    def get_object(self):
        return scoping.ugel_o_404(self.request.user, self.kwargs["codigo"])


@extend_schema_view(
    list=extend_schema(summary="DRE, con sus conteos"),
    retrieve=extend_schema(
        summary="Una DRE: sus conteos, en total y por grado",
        parameters=[_parametro("id", OpenApiTypes.INT, "Número de la DRE.")],
        responses=serializers.DreDetalleSerializer,
    ),
)
class DreViewSet(_Tablero, viewsets.ReadOnlyModelViewSet):
    queryset = Dre.objects.none()
    serializer_class = serializers.DreSerializer
    lookup_field = "id"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return scoping.dres_visibles(self.request.user)

    def get_object(self):
        return scoping.dre_o_404(self.request.user, self.kwargs["id"])


class NacionalView(_SoloMinedu, _Vigente, APIView):
    @extend_schema(
        summary="Conteos del país, en total y por grado (Minedu)",
        responses=serializers.TableroSerializer,
    )
    def get(self, request: Request) -> Response:
        grados = tableros.por_grado(self.ejecucion, None)
        datos = {
            "anio": self.ejecucion.anio if self.ejecucion else None,
            "totales": tableros.totales(grados),
            "grados": grados,
        }
        return Response(serializers.TableroSerializer(datos).data)


@extend_schema_view(
    list=extend_schema(summary="Orientaciones para quien consulta"),
    retrieve=extend_schema(
        summary="Una orientación",
        parameters=[_parametro("slug", OpenApiTypes.STR, "Identificador.")],
    ),
)
class OrientacionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Orientacion.objects.none()
    filterset_class = filtros.FiltroOrientaciones
    lookup_field = "slug"

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.OrientacionDetalleSerializer
        return serializers.OrientacionSerializer

    def get_queryset(self):
        return orientaciones_selectors.orientaciones_para(self.request.user).only(
            "pk", "slug", "titulo", "resumen", "audiencia", "nivel", "factor"
        )

    def get_object(self):
        return orientaciones_selectors.orientacion_o_404(
            self.request.user, self.kwargs["slug"]
        )


@extend_schema_view(
    list=extend_schema(summary="Versiones del modelo de riesgo (Minedu)"),
    retrieve=extend_schema(
        summary="Una versión del modelo (Minedu)",
        parameters=[_parametro("version", OpenApiTypes.INT, "Versión.")],
    ),
)
class ModeloViewSet(_SoloMinedu, viewsets.ReadOnlyModelViewSet):
    queryset = ModeloRiesgo.objects.none()
    serializer_class = serializers.ModeloSerializer
    lookup_field = "version"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return scoping.modelos_visibles(self.request.user)

    def get_object(self):
        return scoping.modelo_o_404(self.request.user, self.kwargs["version"])


@extend_schema_view(
    list=extend_schema(summary="Importaciones de archivos (Minedu)"),
    retrieve=extend_schema(
        summary="Una importación (Minedu)",
        parameters=[_parametro("id", OpenApiTypes.INT, "Número de la importación.")],
    ),
)
class ImportacionViewSet(_SoloMinedu, viewsets.ReadOnlyModelViewSet):
    queryset = Importacion.objects.none()
    serializer_class = serializers.ImportacionSerializer
    lookup_field = "id"
    lookup_value_regex = "[0-9]+"

    def get_queryset(self):
        return scoping.importaciones_visibles(self.request.user)

    def get_object(self):
        return scoping.importacion_o_404(self.request.user, self.kwargs["id"])
