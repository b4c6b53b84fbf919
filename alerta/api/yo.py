from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alerta import scoping
from alerta.models import Rol, TokenApi


class YoView(APIView):
    """Who is asking: the user, their roles of the school year shown, and the
    credential (a token's expiry and whether it only reads)."""

    @extend_schema(
        summary="Quién consulta: usuario, roles del año escolar y credencial",
        responses=inline_serializer(
            "Yo",
            {
                "usuario": serializers.CharField(),
                "nombre": serializers.CharField(),
                "anio_escolar": serializers.IntegerField(allow_null=True),
                "roles": inline_serializer(
                    "RolDeYo",
                    {"rol": serializers.CharField(), "nombre": serializers.CharField()},
                    many=True,
                ),
                "credencial": serializers.ChoiceField(["token", "sesion"]),
                "token": inline_serializer(
                    "TokenDeYo",
                    {
                        "nombre": serializers.CharField(),
                        "prefijo": serializers.CharField(),
                        "solo_lectura": serializers.BooleanField(),
                        "expira": serializers.DateTimeField(),
                    },
                    allow_null=True,
                ),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        user = request.user
        token = request.auth if isinstance(request.auth, TokenApi) else None
        roles = sorted(scoping.roles_de(user))
        return Response(
            {
                "usuario": user.get_username(),
                "nombre": user.get_full_name(),
                "anio_escolar": scoping.anio_mostrado(user),
                "roles": [{"rol": r, "nombre": str(Rol(r).label)} for r in roles],
                "credencial": "token" if token else "sesion",
                "token": None
                if token is None
                else {
                    "nombre": token.nombre,
                    "prefijo": token.prefijo,
                    "solo_lectura": token.solo_lectura,
                    "expira": token.expira,
                },
            }
        )
