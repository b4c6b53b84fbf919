"""Offline use for tutors and directors: the service worker and the manifest.

/sw.js is served from the site's root (a worker controls only the pages under
its own address) from the text of static/js/sw.js, with the offline page's
HTML put before it as the constant SIN_CONEXION. /manifest.webmanifest makes
the portal installable. Neither shows personal data: the worker is the same
text for everyone (the user's pk, which names its cache, travels in its
address, set by the page that registers it), and it is registered only for a
signed-in tutor or director (templates/base.html, static/js/bandeja.js).

The logout view adds `Clear-Site-Data`, so that a shared computer keeps
nothing of the user who signed out (the page's script empties the same when
it can, and warns first about records not yet sent).
"""

import json
from functools import cache

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

RUTA_SW = "js/sw.js"
ICONOS = [("img/icono-192.png", "192x192"), ("img/icono-512.png", "512x512")]


@cache
def _texto_sw() -> str:
    ruta = finders.find(RUTA_SW)
    if ruta is None:  # collected only (production without the source tree)
        ruta = str(settings.STATIC_ROOT / RUTA_SW)
    with open(ruta, encoding="utf-8") as f:
        return f.read()


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    pagina = render_to_string("seguimiento/sin_conexion.html")
    texto = f"var SIN_CONEXION = {json.dumps(pagina)};\n" + _texto_sw()
    respuesta = HttpResponse(texto, content_type="application/javascript")
    respuesta["Service-Worker-Allowed"] = "/"
    return respuesta


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    datos = {
        "name": "Alerta Escuela",
        "short_name": "Alerta Escuela",
        "description": _("Alerta temprana de abandono escolar"),
        "lang": "es-PE",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f4e79",
        "icons": [
            {"src": static(ruta), "sizes": tamanio, "type": "image/png"}
            for ruta, tamanio in ICONOS
        ],
    }
    return JsonResponse(
        datos,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


class Salir(auth_views.LogoutView):
    """Django's logout, and the browser told to empty caches and storage."""

    def post(self, request, *args, **kwargs):
        respuesta = super().post(request, *args, **kwargs)
        respuesta["Clear-Site-Data"] = '"cache", "storage"'
        return respuesta
