"""The user's own e-mail preferences (/cuenta/avisos/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .forms import PreferenciaAvisosForm


@login_required
@require_http_methods(["GET", "POST"])
def preferencias(request: HttpRequest) -> HttpResponse:
    # Bound on every POST: an unticked box sends nothing at all.
    form = PreferenciaAvisosForm(
        request.POST if request.method == "POST" else None,
        initial={"resumen_semanal": services.recibe_resumen_semanal(request.user)},
    )
    if request.method == "POST" and form.is_valid():
        activo = form.cleaned_data["resumen_semanal"]
        services.preferencia_avisos_guardar(
            usuario=request.user, resumen_semanal=activo
        )
        if activo:
            messages.success(request, _("Recibirá el resumen semanal por correo."))
        else:
            messages.success(request, _("Ya no recibirá el resumen semanal."))
        return redirect("avisos:preferencias")
    ctx = {"form": form, "tiene_correo": bool(request.user.email)}
    return render(request, "avisos/preferencias.html", ctx)
