"""The access log of the API (Ley 29733), as the pages write it
(alerta.auditoria): every successful answer that carries students' data
records who read what, by an opaque reference, never a name."""

from urllib.parse import urlencode

from django.http import HttpRequest
from rest_framework.response import Response

from ..auditoria import LARGO_OBJETO
from ..services import registro_acceso_crear


class RegistraAcceso:
    """A viewset mixin. `registro_acceso` maps an action ("list",
    "retrieve") to what it records: an `Accion` and a format of the URL's
    arguments and of `filtros`, the list's filters as a query string
    ("estudiantes?riesgo=alto&ugel=080001"). A 404, a 400 or a refusal
    records nothing.

    tests/alerta/test_auditoria.py reads `registro_acceso` off the URLconf.
    """

    registro_acceso: dict[str, tuple[str, str]] = {}

    def finalize_response(
        self, request: HttpRequest, response: Response, *args, **kwargs
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        registro = self.registro_acceso.get(getattr(self, "action", None) or "")
        if registro and response.status_code == 200:
            accion, objeto = registro
            texto = objeto.format(filtros=self._filtros_de_acceso(), **kwargs)
            registro_acceso_crear(
                usuario=request.user, accion=accion, objeto=texto[:LARGO_OBJETO]
            )
        return response

    def _filtros_de_acceso(self) -> str:
        # The declared filters only (they hold codes and uuids, never a name),
        # in a fixed order; not the cursor.
        filtro = getattr(self, "filterset_class", None)
        nombres = sorted(filtro.base_filters) if filtro else []
        parametros = self.request.query_params
        return urlencode([(n, parametros[n]) for n in nombres if n in parametros])
