"""Every sign-in is recorded (monitoreo.Ingreso): distinct users a week is the
headline of the use monitoring, and Usuario.last_login keeps only the last."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .models import Ingreso


@receiver(user_logged_in, dispatch_uid="monitoreo_ingreso")
def _ingreso_registrar(sender, request, user, **kwargs) -> None:
    Ingreso.objects.create(usuario=user)
