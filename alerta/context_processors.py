from django.http import HttpRequest

from . import scoping


def navegacion(request: HttpRequest) -> dict:
    # Lazy: evaluated only when a template asks, and then at most one query
    # (the user's roles, cached on the user for the rest of the request).
    return {"ve_importaciones": lambda: scoping.ve_todo(request.user)}
