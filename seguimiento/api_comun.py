"""What the follow-up endpoints share: the idempotency key of a POST (the
record's id, made on the device) and Spanish errors from the services."""

import uuid as uuid_lib

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from alerta.models import Estudiante, Seccion

from . import scoping

CLAVE = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.UUID,
    OpenApiParameter.HEADER,
    required=True,
    description=(
        "El identificador del registro, hecho en el dispositivo. Igual al "
        "campo id del cuerpo si se envían los dos."
    ),
)


class SinClave(Exception):
    """The POST's idempotency key is missing or does not match its body."""

    def __init__(self, respuesta: Response):
        self.respuesta = respuesta


def clave_de(request: Request, id_del_cuerpo: uuid_lib.UUID | None) -> uuid_lib.UUID:
    """The record's id from the `Idempotency-Key` header; raises SinClave
    (with its 400 answer) when it is missing, malformed or not the body's id."""
    try:
        clave = uuid_lib.UUID(request.headers.get("Idempotency-Key", ""))
    except ValueError:
        raise SinClave(
            Response(
                {
                    "detail": _(
                        "Falta la cabecera Idempotency-Key con el identificador "
                        "del registro."
                    )
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        ) from None
    if id_del_cuerpo is not None and id_del_cuerpo != clave:
        raise SinClave(
            Response(
                {
                    "detail": _(
                        "La cabecera Idempotency-Key y el campo id deben ser iguales."
                    )
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        )
    return clave


def escritura_de(
    request: Request, datos: dict
) -> tuple[uuid_lib.UUID, Estudiante, Seccion]:
    """A POST's record id (its idempotency key), its student, and the sección
    the user writes follow-up for them in; Http404 when the user may not write
    for that student (or it does not exist), SinClave on a bad key."""
    clave = clave_de(request, datos.get("id"))
    estudiante = Estudiante.objects.filter(uuid=datos["estudiante"]).first()
    seccion = (
        scoping.seccion_de_registro(request.user, estudiante) if estudiante else None
    )
    if seccion is None:
        raise Http404
    return clave, estudiante, seccion


def errores_en_castellano(exc: DjangoValidationError) -> Response:
    if hasattr(exc, "error_dict"):
        datos = {campo: [str(m) for m in mensajes] for campo, mensajes in exc}
    else:
        datos = {"detail": " ".join(str(m) for m in exc.messages)}
    return Response(datos, status=status.HTTP_400_BAD_REQUEST)


def autor_de(registro) -> str:
    return registro.autor.get_full_name() or registro.autor.get_username()
