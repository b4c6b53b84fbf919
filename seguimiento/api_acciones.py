"""The API of follow-up actions: /api/v1/acciones/.

Reading follows `scoping.acciones_visibles` (whoever may open the student's
page); a reserved note's text is null for whoever `scoping.lee_nota` leaves
out. Writing is for whoever may write follow-up for the student
(`scoping.seccion_de_registro`), through `services.accion_crear`; a POST
carries the action's id as the `Idempotency-Key` header (the offline outbox
replays it): the same id twice stores once, and the repeat is answered with
the action already stored. The author corrects with PATCH while
`scoping.puede_corregir` holds.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from alerta import scoping as alerta_scoping
from alerta.api.acceso import RegistraAcceso
from alerta.models import Accion
from orientaciones.models import Factor, Orientacion

from . import scoping, services
from .api_comun import (
    CLAVE,
    SinClave,
    autor_de,
    errores_en_castellano,
    escritura_de,
)
from .models import AccionSeguimiento, EstadoAccion, TipoAccion


class AccionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    estudiante = serializers.UUIDField(source="estudiante.uuid", read_only=True)
    seccion = serializers.UUIDField(source="seccion.uuid", read_only=True)
    tipo = serializers.CharField(source="tipo.codigo", read_only=True)
    tipo_nombre = serializers.CharField(source="tipo.nombre", read_only=True)
    nota = serializers.SerializerMethodField()
    factores = serializers.ListField(child=serializers.CharField(), read_only=True)
    orientacion = serializers.IntegerField(source="orientacion_id", read_only=True)
    autor = serializers.SerializerMethodField()
    corregible = serializers.SerializerMethodField()

    class Meta:
        model = AccionSeguimiento
        fields = [
            "id",
            "estudiante",
            "seccion",
            "tipo",
            "tipo_nombre",
            "fecha",
            "estado",
            "nota",
            "reservada",
            "factores",
            "orientacion",
            "autor",
            "creada",
            "modificada",
            "corregible",
        ]
        read_only_fields = fields

    def _usuario(self):
        return self.context["request"].user

    def get_nota(self, accion: AccionSeguimiento) -> str | None:
        return accion.nota if scoping.lee_nota(self._usuario(), accion) else None

    def get_autor(self, accion: AccionSeguimiento) -> str:
        return autor_de(accion)

    def get_corregible(self, accion: AccionSeguimiento) -> bool:
        return scoping.puede_corregir(self._usuario(), accion)


class AccionEntradaSerializer(serializers.Serializer):
    """What a POST sends (and a PATCH, partially, without id and estudiante)."""

    id = serializers.UUIDField(required=False)
    estudiante = serializers.UUIDField()
    tipo = serializers.SlugRelatedField(
        slug_field="codigo",
        queryset=TipoAccion.objects.all(),
        error_messages={"does_not_exist": _lazy("Tipo de acción desconocido.")},
    )
    fecha = serializers.DateField()
    estado = serializers.ChoiceField(
        choices=EstadoAccion.choices, default=EstadoAccion.REALIZADA
    )
    nota = serializers.CharField(required=False, allow_blank=True, default="")
    reservada = serializers.BooleanField(required=False, default=False)
    factores = serializers.ListField(
        child=serializers.ChoiceField(choices=Factor.choices),
        required=False,
        default=list,
    )
    orientacion = serializers.PrimaryKeyRelatedField(
        queryset=Orientacion.objects.publicadas(),
        required=False,
        allow_null=True,
        default=None,
        error_messages={"does_not_exist": _lazy("Orientación desconocida.")},
    )


class FiltroAcciones(filters.FilterSet):
    seccion = filters.UUIDFilter(
        method="por_seccion", label=_lazy("Sección (su identificador)")
    )
    estudiante = filters.UUIDFilter(
        method="por_estudiante", label=_lazy("Estudiante (su identificador)")
    )

    def por_seccion(self, qs: QuerySet, _nombre: str, valor) -> QuerySet:
        seccion = alerta_scoping.seccion_o_404(self.request.user, valor)
        return qs.filter(seccion_id=seccion.pk)

    def por_estudiante(self, qs: QuerySet, _nombre: str, valor) -> QuerySet:
        estudiante = alerta_scoping.estudiante_o_404(self.request.user, valor)
        return qs.filter(estudiante_id=estudiante.pk)


@extend_schema_view(
    list=extend_schema(
        summary="Acciones de seguimiento",
        description=(
            "Las acciones de los estudiantes que quien consulta puede ver, "
            "filtrables por sección y estudiante. Una nota reservada llega vacía "
            "(null) salvo para su autor y el director de su IE. Queda en el "
            "registro de accesos."
        ),
    ),
    retrieve=extend_schema(summary="Una acción de seguimiento"),
    create=extend_schema(
        summary="Registrar una acción",
        description=(
            "Crea la acción (201). Si su id ya existe, responde 200 con la acción "
            "ya guardada, sin cambiarla: un envío repetido se guarda una vez."
        ),
        parameters=[CLAVE],
        request=AccionEntradaSerializer,
        responses={200: AccionSerializer, 201: AccionSerializer},
    ),
    partial_update=extend_schema(
        summary="Corregir una acción",
        description=(
            "Solo su autor, durante los días que permite el portal "
            "(SEGUIMIENTO_DIAS_CORRECCION). Cada cambio queda en su historial."
        ),
        request=AccionEntradaSerializer,
        responses={200: AccionSerializer},
    ),
)
class AccionViewSet(
    RegistraAcceso,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = AccionSeguimiento.objects.none()  # the model, for the schema
    serializer_class = AccionSerializer
    filterset_class = FiltroAcciones
    lookup_field = "uuid"
    lookup_url_kwarg = "uuid"
    http_method_names = ["get", "post", "patch", "head", "options"]
    registro_acceso = {
        "list": (Accion.VER_LISTA, "acciones?{filtros}"),
        "retrieve": (Accion.VER_ESTUDIANTE, "accion:{uuid}"),
    }

    def get_queryset(self):
        return scoping.acciones_visibles(self.request.user).select_related(
            "estudiante", "seccion", "tipo", "autor"
        )

    def get_object(self) -> AccionSeguimiento:
        return scoping.accion_o_404(self.request.user, self.kwargs["uuid"])

    def _responder(self, accion: AccionSeguimiento, codigo: int) -> Response:
        contexto = self.get_serializer_context()
        return Response(AccionSerializer(accion, context=contexto).data, status=codigo)

    def create(self, request: Request, *args, **kwargs) -> Response:
        entrada = AccionEntradaSerializer(data=request.data)
        entrada.is_valid(raise_exception=True)
        datos = entrada.validated_data
        try:
            clave, estudiante, seccion = escritura_de(request, datos)
        except SinClave as sin_clave:
            return sin_clave.respuesta
        try:
            accion, creada = services.accion_crear(
                autor=request.user,
                estudiante=estudiante,
                seccion=seccion,
                tipo=datos["tipo"],
                fecha=datos["fecha"],
                estado=datos["estado"],
                nota=datos["nota"],
                reservada=datos["reservada"],
                factores=datos["factores"],
                orientacion=datos["orientacion"],
                uuid=clave,
            )
        except DjangoValidationError as exc:
            return errores_en_castellano(exc)
        if not creada and accion.estudiante_id != estudiante.pk:
            # An id already used for another student: not a repeat of this one.
            return Response(
                {"detail": _("Ese identificador ya es de otra acción.")},
                status=status.HTTP_409_CONFLICT,
            )
        return self._responder(
            accion, status.HTTP_201_CREATED if creada else status.HTTP_200_OK
        )

    def update(self, request: Request, *args, **kwargs) -> Response:
        if not kwargs.get("partial"):
            return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)
        accion = self.get_object()
        if not scoping.puede_corregir(request.user, accion):
            return Response(
                {
                    "detail": _(
                        "Solo su autor puede corregir esta acción, y solo durante "
                        "el plazo de corrección; ese plazo venció o la acción es "
                        "de otra persona."
                    )
                },
                status=status.HTTP_409_CONFLICT,
            )
        entrada = AccionEntradaSerializer(data=request.data, partial=True)
        entrada.is_valid(raise_exception=True)
        cambios = {
            campo: valor
            for campo, valor in entrada.validated_data.items()
            if campo in services.CAMPOS_CORREGIBLES
        }
        try:
            services.accion_corregir(accion, autor=request.user, **cambios)
        except DjangoValidationError as exc:
            return errores_en_castellano(exc)
        return self._responder(accion, status.HTTP_200_OK)
