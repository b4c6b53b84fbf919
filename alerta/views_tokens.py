"""The user's personal API tokens: list, create (the secret is shown once),
revoke. Each user sees and revokes only their own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .forms import TokenApiForm
from .models import TokenApi

# The ids of the last token forms sent in this session (see TokenApiForm.envio).
ENVIOS_EN_SESION = "tokens_envios"
ENVIOS_RECORDADOS = 20


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenApiForm(request.POST or None)
    nuevo, secreto = None, None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        envios = request.session.get(ENVIOS_EN_SESION, [])
        envio = str(d["envio"]) if d["envio"] else None
        if envio is not None and envio in envios:
            # The page reloaded after a token was made: say so, make no other.
            messages.warning(
                request,
                _(
                    "Ese formulario ya se envió y su token ya se creó; su secreto "
                    "se mostró una sola vez. Si no lo copió, revóquelo y cree otro."
                ),
            )
            return redirect("tokens")
        if envio is not None:
            request.session[ENVIOS_EN_SESION] = [*envios, envio][-ENVIOS_RECORDADOS:]
        nuevo, secreto = services.token_api_crear(
            usuario=request.user,
            nombre=d["nombre"],
            dias=d["dias"],
            solo_lectura=d["solo_lectura"],
        )
        # Shown in this answer, not after a redirect: the secret is never kept,
        # not even in the session, so it can only be shown now.
        form = TokenApiForm()
    ctx = {
        "tokens": TokenApi.objects.filter(usuario=request.user).order_by("-creado"),
        "form": form,
        "nuevo": nuevo,
        "secreto": secreto,
    }
    respuesta = render(request, "alerta/tokens.html", ctx)
    # alerta.cabeceras.SinCache does this for every page; a page with a secret
    # says it itself, should that ever change.
    add_never_cache_headers(respuesta)
    patch_cache_control(respuesta, no_store=True, private=True)
    return respuesta


@login_required
@require_POST
def token_revocar(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = services.token_api_revocar(usuario=request.user, token_id=token_id)
    except TokenApi.DoesNotExist:
        # Someone else's token reads as one that does not exist.
        raise Http404 from None
    messages.success(
        request, _("Se revocó el token «%(nombre)s».") % {"nombre": token.nombre}
    )
    return redirect("tokens")
