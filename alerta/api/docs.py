"""The API's documentation page: Swagger UI from the sidecar package's static
files (no CDN), started by static/js/api_docs.js (no inline code: the CSP
refuses it)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_required
@require_GET
def documentacion(request: HttpRequest) -> HttpResponse:
    return render(request, "api/docs.html", {})
