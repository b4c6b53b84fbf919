"""Test-only URLconf: the portal's addresses plus views that fail on purpose."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from alerta.urls import urlpatterns as portal


def falla(request):
    raise RuntimeError("a view that fails")


def negado(request):
    raise PermissionDenied


def sospechosa(request):
    raise SuspiciousOperation("malformed")


urlpatterns = [
    path("prueba/falla/", falla),
    path("prueba/negado/", negado),
    path("prueba/sospechosa/", sospechosa),
    *portal,
]
