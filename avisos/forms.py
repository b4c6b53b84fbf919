from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenciaAvisosForm(forms.Form):
    resumen_semanal = forms.BooleanField(
        label=_("Recibir el resumen semanal por correo"),
        help_text=_(
            "Cada lunes por la mañana: cuántos de sus estudiantes subieron de nivel "
            "de riesgo, cuántos en riesgo alto o medio siguen sin una acción y "
            "cuántos no tienen el registro mensual. Solo cifras, sin nombres."
        ),
        required=False,
        widget=forms.CheckboxInput(
            attrs={"aria-describedby": "id_resumen_semanal_ayuda"}
        ),
    )
