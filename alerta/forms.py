import uuid

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from . import cuentas
from .models import Seccion, Usuario

# The three ways in (alerta.auth.usuario_por_identificador): teachers and
# directors know their DNI and their e-mail; specialists and Minedu staff get a
# username. The label names all three and so does the refusal.
FORMAS_DE_INGRESO = _("DNI, correo electrónico o usuario")
_NO_INGRESA = _(
    "Usuario o contraseña incorrectos. Revise su DNI, correo electrónico o "
    "usuario y su contraseña, e inténtelo de nuevo."
)


class FormularioIngreso(AuthenticationForm):
    username = forms.CharField(
        label=FORMAS_DE_INGRESO,
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        # One message for every refusal (unknown account, wrong password,
        # deactivated account): the page tells nothing about which it was.
        "invalid_login": _NO_INGRESA,
        "inactive": _NO_INGRESA,
    }


class FormularioClaveOlvidada(PasswordResetForm):
    email = forms.EmailField(
        label=_("Correo electrónico"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def save(self, **kwargs) -> None:
        # PasswordResetView passes its mail options; links and texts are ours,
        # and the lookup happens in a task (cuentas.clave_olvidada_solicitar).
        cuentas.clave_olvidada_solicitar(email=self.cleaned_data["email"])


class SeccionField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Seccion) -> str:
        return str(obj)


class DocenteField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Usuario) -> str:
        return nombre_docente(obj)


def nombre_docente(usuario: Usuario) -> str:
    nombre = ", ".join(p for p in (usuario.last_name, usuario.first_name) if p)
    return nombre or _("(sin nombre)")


_ELIJA_SECCION = _("Elija una sección de la lista.")


class AsignarTutorForm(forms.Form):
    seccion = SeccionField(
        queryset=Seccion.objects.none(),
        to_field_name="uuid",
        label=_("Sección"),
        error_messages={"invalid_choice": _ELIJA_SECCION},
    )
    tutor = DocenteField(
        queryset=Usuario.objects.none(),
        label=_("Docente tutor"),
        error_messages={"invalid_choice": _("Elija un docente de la lista.")},
    )

    def __init__(
        self, *args, secciones: QuerySet[Seccion], docentes: QuerySet[Usuario], **kw
    ):
        super().__init__(*args, **kw)
        self.fields["seccion"].queryset = secciones
        self.fields["tutor"].queryset = docentes


class DocenteNuevoForm(forms.Form):
    seccion = SeccionField(
        queryset=Seccion.objects.none(),
        to_field_name="uuid",
        label=_("Sección"),
        error_messages={"invalid_choice": _ELIJA_SECCION},
    )
    numero_documento = forms.CharField(
        label=_("DNI"),
        max_length=8,
        validators=[RegexValidator(r"^[0-9]{8}\Z", _("El DNI debe tener 8 dígitos."))],
        error_messages={"max_length": _("El DNI debe tener 8 dígitos.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    nombres = forms.CharField(label=_("Nombres"), max_length=150)
    apellidos = forms.CharField(label=_("Apellidos"), max_length=150)
    email = forms.EmailField(
        label=_("Correo electrónico"),
        max_length=254,
        help_text=_("Ahí recibirá el enlace para elegir su contraseña."),
    )

    def __init__(self, *args, secciones: QuerySet[Seccion], **kw):
        super().__init__(*args, **kw)
        self.fields["seccion"].queryset = secciones

    def clean(self) -> dict:
        datos = super().clean()
        dni, email = datos.get("numero_documento"), datos.get("email")
        if dni and email and cuentas.correo_en_uso(email, salvo_documento=dni):
            self.add_error(
                "email",
                _(
                    "Ese correo electrónico ya lo usa otra cuenta. Use otro, o "
                    "elija a esa persona en la lista de docentes."
                ),
            )
        return datos


class TokenApiForm(forms.Form):
    nombre = forms.CharField(
        label=_("Para qué es"),
        max_length=80,
        help_text=_("Por ejemplo: «Reporte semanal de la UGEL»."),
    )
    dias = forms.IntegerField(label=_("Días de vigencia"))
    solo_lectura = forms.BooleanField(
        label=_("Solo lectura: el token solo podrá consultar, nunca cambiar nada"),
        required=False,
        initial=True,
    )
    # One id per form shown: a page reloaded after creating a token sends the
    # same id again, and no second token is made (alerta/views_tokens.py).
    envio = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["envio"].initial = uuid.uuid4()
        # Read now, not at import: the limits are settings.
        maximo = settings.TOKEN_API_DIAS_MAXIMO
        dias = self.fields["dias"]
        dias.initial = settings.TOKEN_API_DIAS_POR_DEFECTO
        dias.min_value, dias.max_value = 1, maximo
        dias.validators = [MinValueValidator(1), MaxValueValidator(maximo)]
        dias.widget.attrs.update(min=1, max=maximo)
        dias.help_text = _("Entre 1 y %(maximo)s días.") % {"maximo": maximo}
        dias.error_messages.update(
            min_value=_("Un token dura al menos 1 día."),
            max_value=_("Un token dura como máximo %(limit_value)s días."),
        )
