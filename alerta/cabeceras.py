"""Response headers and error pages that every request shares.

SinCache: no page of the portal may be kept by the browser or a proxy. Nearly
every page and every workbook carries minors' or teachers' personal data, and
the ones that do not (login, forms) carry a CSRF token; telling them apart
view by view would fail open the day a new view forgets. So every response
gets ``Cache-Control: no-store, private`` (added to what the view set)
except static files, which carry no personal data and are what makes a
second visit fast on a slow connection
(WhiteNoise serves them before this middleware in production; the prefix
check covers the development server too). Responses are dynamic anyway: the
cost is nil.

Pagina404EnDesarrollo: with DEBUG on (the embedded setup and the demo), Django
answers a 404 with its English technical page, which lists every URL pattern
of the portal. A 404 is what scoping answers outside a user's reach
(docs/decisions/0001), so it must read the same with DEBUG on or off: the
Spanish 404.html (docs/decisions/0015).
"""

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound
from django.template import loader
from django.utils.cache import patch_cache_control

CACHE_CONTROL = "no-store, private"


class SinCache:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            # Added to what a view set (never_cache's no-cache, max-age=0
            # stay); no-store wins over any max-age a view might give.
            patch_cache_control(response, no_store=True, private=True)
            # Only HTTP/1.0 caches read this; harmless for the others.
            response["Pragma"] = "no-cache"
        return response


def pagina_404(request: HttpRequest) -> HttpResponseNotFound:
    """The Spanish 404 page, with no detail of what was asked for."""
    return HttpResponseNotFound(loader.render_to_string("404.html", request=request))


class Pagina404EnDesarrollo:
    """With DEBUG on, every 404 gets the Spanish page instead of the technical one.

    With DEBUG off Django already renders 404.html (handler404): this does
    nothing then. Views' Http404 is caught in process_exception; an address
    that matches no URL pattern never reaches a view, so its technical
    response is replaced on the way out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and getattr(request, "resolver_match", None) is None
            and not getattr(response, "streaming", False)
        ):
            return pagina_404(request)
        return response

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, Http404):
            return pagina_404(request)
        return None
