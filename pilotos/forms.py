from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alerta.models import Ugel

from .models import AreaElegible, Evaluacion, Unidad, validar_brazos

BRAZOS_INICIALES = (
    "C; Control; 0.25\n"
    "T1; Capacitación individual; 0.25\n"
    "T2; Capacitación en grupo pequeño; 0.25\n"
    "T3; Capacitación en grupo grande; 0.25"
)


class EvaluacionForm(forms.ModelForm):
    ugeles = forms.ModelMultipleChoiceField(
        queryset=Ugel.objects.order_by("codigo"),
        label=_("UGEL elegibles"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Elija al menos una UGEL.")},
    )
    brazos_texto = forms.CharField(
        label=_("Brazos"),
        widget=forms.Textarea(attrs={"rows": 5}),
        initial=BRAZOS_INICIALES,
        help_text=_(
            "Un brazo por línea: código; nombre; proporción. La primera línea "
            "es el control. Las proporciones deben sumar 1."
        ),
    )
    cortes_texto = forms.CharField(
        label=_("Cortes de tamaño (estudiantes)"),
        required=False,
        initial="100, 300",
        help_text=_(
            "Separados por comas, de menor a mayor: «100, 300» forma las bandas "
            "menos de 100, de 100 a 299 y 300 o más. Los estratos son UGEL × banda."
        ),
    )

    class Meta:
        model = Evaluacion
        fields = [
            "nombre",
            "unidad",
            "minimo_en_riesgo",
            "maximo_unidades",
            "area",
            "semilla",
        ]
        help_texts = {
            "maximo_unidades": _(
                "Las N unidades con más estudiantes en riesgo medio o alto. "
                "Vacío: todas las que cumplen el mínimo."
            ),
            "area": _(
                "El padrón no registra la conectividad de las escuelas: se usa "
                "el área (urbana o rural) como condición más cercana."
            ),
            "semilla": _(
                "Un número entero que fija el sorteo: con la misma semilla y la "
                "misma lista, el sorteo se repite exactamente."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unidad"].choices = Unidad.choices
        self.fields["area"].choices = AreaElegible.choices

    def clean_brazos_texto(self) -> list[dict]:
        brazos = []
        for linea in self.cleaned_data["brazos_texto"].splitlines():
            if not linea.strip():
                continue
            partes = [p.strip() for p in linea.split(";")]
            if len(partes) != 3:
                raise ValidationError(
                    _(
                        "La línea «%(linea)s» debe tener tres partes separadas por "
                        "punto y coma: código; nombre; proporción."
                    )
                    % {"linea": linea.strip()}
                )
            codigo, nombre, proporcion = partes
            brazos.append(
                {
                    "codigo": codigo,
                    "nombre": nombre,
                    "proporcion": proporcion.replace(",", "."),
                    "control": not brazos,
                }
            )
        validar_brazos(brazos)
        return brazos

    def clean_cortes_texto(self) -> list[int]:
        texto = self.cleaned_data["cortes_texto"].strip()
        if not texto:
            return []
        try:
            cortes = [int(p) for p in texto.replace(";", ",").split(",") if p.strip()]
        except ValueError as e:
            raise ValidationError(
                _("Escriba los cortes como números enteros separados por comas.")
            ) from e
        if any(c <= 0 for c in cortes) or cortes != sorted(set(cortes)):
            raise ValidationError(
                _(
                    "Los cortes deben ser mayores que cero y de menor a mayor, "
                    "sin repetir."
                )
            )
        return cortes
