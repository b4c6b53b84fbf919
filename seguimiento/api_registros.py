"""The API of monthly contact records: /api/v1/registros-mensuales/.

Reading follows `scoping.registros_visibles`; writing is for whoever may
write follow-up for the student (`scoping.seccion_de_registro`), through
`services.registro_mensual_guardar`. A POST carries its record's id as the
`Idempotency-Key` header (the offline outbox replays it): the same id twice
stores once, and a second one updates the values it sent.
"""

from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from alerta import scoping as alerta_scoping
from alerta.api.acceso import RegistraAcceso
from alerta.models import Accion

from . import scoping, services
from .api_comun import (
    CLAVE,
    SinClave,
    autor_de,
    errores_en_castellano,
    escritura_de,
)
from .models import MedioContacto, RegistroMensual, SigueClases

FORMATO_MES = "%Y-%m"


def mes_de_texto(valor: str) -> date:
    """ "2026-05" -> date(2026, 5, 1); ValueError otherwise."""
    from datetime import datetime

    return datetime.strptime(valor, FORMATO_MES).date()  # noqa: DTZ007


@extend_schema_field({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"})
class CampoMes(serializers.Field):
    default_error_messages = {
        "invalido": _lazy("Indique el mes como AAAA-MM (por ejemplo, 2026-05).")
    }

    def to_representation(self, valor: date) -> str:
        return valor.strftime(FORMATO_MES)

    def to_internal_value(self, dato) -> date:
        try:
            return mes_de_texto(str(dato))
        except ValueError:
            self.fail("invalido")


class RegistroMensualSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    estudiante = serializers.UUIDField(source="estudiante.uuid", read_only=True)
    seccion = serializers.UUIDField(source="seccion.uuid", read_only=True)
    mes = CampoMes(read_only=True)
    autor = serializers.SerializerMethodField()

    class Meta:
        model = RegistroMensual
        fields = [
            "id",
            "estudiante",
            "seccion",
            "mes",
            "contactado",
            "medio",
            "sigue_clases",
            "autor",
            "modificado",
        ]
        read_only_fields = fields

    def get_autor(self, registro: RegistroMensual) -> str:
        return autor_de(registro)


class RegistroMensualEntradaSerializer(serializers.Serializer):
    id = serializers.UUIDField(required=False)
    estudiante = serializers.UUIDField()
    mes = CampoMes()
    contactado = serializers.BooleanField()
    medio = serializers.ChoiceField(
        choices=MedioContacto.choices, required=False, allow_blank=True, default=""
    )
    sigue_clases = serializers.ChoiceField(
        choices=SigueClases.choices, required=False, allow_blank=True, default=""
    )


class FiltroRegistros(filters.FilterSet):
    seccion = filters.UUIDFilter(
        method="por_seccion", label=_lazy("Sección (su identificador)")
    )
    estudiante = filters.UUIDFilter(
        method="por_estudiante", label=_lazy("Estudiante (su identificador)")
    )
    mes = filters.CharFilter(method="por_mes", label=_lazy("Mes (AAAA-MM)"))

    def por_seccion(self, qs: QuerySet, _nombre: str, valor) -> QuerySet:
        seccion = alerta_scoping.seccion_o_404(self.request.user, valor)
        return qs.filter(seccion_id=seccion.pk)

    def por_estudiante(self, qs: QuerySet, _nombre: str, valor) -> QuerySet:
        estudiante = alerta_scoping.estudiante_o_404(self.request.user, valor)
        return qs.filter(estudiante_id=estudiante.pk)

    def por_mes(self, qs: QuerySet, _nombre: str, valor: str) -> QuerySet:
        try:
            return qs.filter(mes=mes_de_texto(valor))
        except ValueError:
            from rest_framework.exceptions import ValidationError

            raise ValidationError(
                {"mes": [_("Indique el mes como AAAA-MM (por ejemplo, 2026-05).")]}
            ) from None


@extend_schema_view(
    list=extend_schema(
        summary="Registros mensuales de contacto",
        description=(
            "Los registros mensuales de los estudiantes que quien consulta puede "
            "ver, filtrables por sección, estudiante y mes (AAAA-MM). Queda en "
            "el registro de accesos."
        ),
    ),
    create=extend_schema(
        summary="Guardar el registro mensual de un estudiante",
        description=(
            "Crea el registro del mes (201) o, si su id ya existe, lo actualiza "
            "con los valores enviados (200). Si el mes ya tiene un registro con "
            "otro id, responde 409 con el registro existente."
        ),
        parameters=[CLAVE],
        request=RegistroMensualEntradaSerializer,
        responses={
            200: RegistroMensualSerializer,
            201: RegistroMensualSerializer,
        },
    ),
)
class RegistroMensualViewSet(
    RegistraAcceso,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = RegistroMensual.objects.none()  # the model, for the schema
    serializer_class = RegistroMensualSerializer
    filterset_class = FiltroRegistros
    registro_acceso = {
        "list": (Accion.VER_LISTA, "registros-mensuales?{filtros}"),
    }

    def get_queryset(self):
        return scoping.registros_visibles(self.request.user).select_related(
            "estudiante", "seccion", "autor"
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        entrada = RegistroMensualEntradaSerializer(data=request.data)
        entrada.is_valid(raise_exception=True)
        datos = entrada.validated_data
        try:
            clave_uuid, estudiante, seccion = escritura_de(request, datos)
        except SinClave as sin_clave:
            return sin_clave.respuesta
        try:
            registro, creado = services.registro_mensual_guardar(
                autor=request.user,
                estudiante=estudiante,
                seccion=seccion,
                mes=datos["mes"],
                contactado=datos["contactado"],
                medio=datos["medio"],
                sigue_clases=datos["sigue_clases"],
                uuid=clave_uuid,
            )
        except services.Conflicto as conflicto:
            existente = conflicto.existente
            return Response(
                {
                    "detail": _(
                        "Este estudiante ya tiene registro de ese mes, hecho por "
                        "%(autor)s."
                    )
                    % {"autor": autor_de(existente)},
                    "existente": RegistroMensualSerializer(existente).data,
                },
                status=status.HTTP_409_CONFLICT,
            )
        except DjangoValidationError as exc:
            return errores_en_castellano(exc)
        return Response(
            RegistroMensualSerializer(registro).data,
            status=status.HTTP_201_CREATED if creado else status.HTTP_200_OK,
        )
