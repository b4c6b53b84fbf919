"""The form of a follow-up action (new and corrected).

The field names are a contract with the offline outbox (static/js): `id` is
the idempotency key made when the form is rendered, `estudiante` the
student's uuid, `tipo` a kind's `codigo`, `orientacion` a guidance id."""

import uuid as uuid_lib

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orientaciones.models import Factor

from .models import LARGO_NOTA, EstadoAccion, TipoAccion


class AccionForm(forms.Form):
    id = forms.UUIDField(widget=forms.HiddenInput)
    estudiante = forms.UUIDField(widget=forms.HiddenInput)
    tipo = forms.ChoiceField(label=_("Tipo de acción"))
    fecha = forms.DateField(
        label=_("Fecha"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    estado = forms.ChoiceField(
        label=_("Estado"),
        choices=EstadoAccion.choices,
        initial=EstadoAccion.REALIZADA,
    )
    nota = forms.CharField(
        label=_("Nota breve"),
        required=False,
        max_length=LARGO_NOTA,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Escriba solo lo necesario: qué se hizo y qué se acordó. No anote "
            "detalles de salud ni de la familia más allá de lo indispensable."
        ),
    )
    reservada = forms.BooleanField(
        label=_("Nota reservada"),
        required=False,
        help_text=_(
            "Márquela si la nota trata de violencia familiar o de salud: solo "
            "usted y el director o directora de la IE leerán su texto. Los demás "
            "verán que existe una nota reservada, de quién y de qué fecha."
        ),
    )
    factores = forms.MultipleChoiceField(
        label=_("Factores que atiende"),
        required=False,
        choices=Factor.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    orientacion = forms.TypedChoiceField(
        label=_("Orientación usada"),
        required=False,
        coerce=int,
        empty_value=None,
    )

    def __init__(self, *args, orientaciones=None, tipo_actual=None, **kwargs):
        """`orientaciones`: the guidance the user may read; `tipo_actual`: the
        kind of the action being corrected, offered even when retired."""
        super().__init__(*args, **kwargs)
        tipos = list(TipoAccion.objects.vigentes())
        if tipo_actual is not None and tipo_actual not in tipos:
            tipos.append(tipo_actual)
        self.tipos = {t.codigo: t for t in tipos}
        self.fields["tipo"].choices = [("", "---------")] + [
            (t.codigo, t.nombre) for t in tipos
        ]
        self.orientaciones = {
            o.pk: o for o in (orientaciones if orientaciones is not None else [])
        }
        self.fields["orientacion"].choices = [("", _("Ninguna"))] + [
            (o.pk, o.titulo) for o in self.orientaciones.values()
        ]
        self.fields["fecha"].initial = timezone.localdate
        self.fields["id"].initial = uuid_lib.uuid4

    def clean_tipo(self) -> TipoAccion:
        return self.tipos[self.cleaned_data["tipo"]]

    def clean_orientacion(self):
        pk = self.cleaned_data.get("orientacion")
        if pk is None:
            return None
        if pk not in self.orientaciones:
            raise forms.ValidationError(_("Elija una orientación de la lista."))
        return self.orientaciones[pk]

    def datos_de_accion(self) -> dict:
        """The cleaned values as the service's keyword arguments."""
        d = self.cleaned_data
        return {
            "tipo": d["tipo"],
            "fecha": d["fecha"],
            "estado": d["estado"],
            "nota": d["nota"],
            "reservada": d["reservada"],
            "factores": list(d["factores"]),
            "orientacion": d["orientacion"],
        }
