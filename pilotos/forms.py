import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alerta.models import Ugel
from capacitaciones.models import Modalidad

from .models import AreaElegible, Evaluacion, Unidad, validar_brazos

BRAZOS_INICIALES = (
    "C; Control; 0.25; no; ninguna\n"
    "T1; Capacitación individual; 0.25; sí; individual\n"
    "T2; Capacitación en grupo pequeño; 0.25; sí; grupo pequeño\n"
    "T3; Capacitación en grupo grande; 0.25; sí; grupo grande"
)

_SI = {"sí", "si", "s"}
_NO = {"no", "n"}
_NINGUNA = {"", "ninguna", "ninguno", "no", "-"}


def _sin_tildes(texto: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFD", texto) if not unicodedata.combining(c)
    )


def _modalidad(texto: str) -> str | None:
    """The modality a line names (its label or its code, with or without
    accents); "" for none; None when it names nothing known."""
    clave = _sin_tildes(texto.strip().lower())
    if clave in _NINGUNA:
        return ""
    for valor, etiqueta in Modalidad.choices:
        if clave in (valor.lower(), _sin_tildes(str(etiqueta).lower())):
            return valor
    return None


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
            "Un brazo por línea: código; nombre; proporción; resumen semanal (sí "
            "o no); capacitación (individual, grupo pequeño, grupo grande o "
            "ninguna). La primera línea es el control. Las proporciones deben "
            "sumar 1. Mientras los brazos actúan, los docentes de cada unidad "
            "reciben el resumen semanal solo si su brazo dice «sí», y solo "
            "pueden ser invitados a capacitaciones de la modalidad de su brazo. "
            "Sin las dos últimas partes: el control no recibe ninguno de los "
            "dos; un tratamiento, el resumen y ninguna capacitación. El acceso "
            "al portal no cambia para nadie."
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
            if not 3 <= len(partes) <= 5:
                raise ValidationError(
                    _(
                        "La línea «%(linea)s» debe tener tres partes separadas por "
                        "punto y coma (código; nombre; proporción) y, si quiere, "
                        "dos más: resumen semanal (sí o no) y capacitación."
                    )
                    % {"linea": linea.strip()}
                )
            codigo, nombre, proporcion = partes[:3]
            brazo = {
                "codigo": codigo,
                "nombre": nombre,
                "proporcion": proporcion.replace(",", "."),
                "control": not brazos,
            }
            if len(partes) > 3 and partes[3]:
                resumen = partes[3].lower()
                if resumen not in _SI | _NO:
                    raise ValidationError(
                        _(
                            "En la línea «%(linea)s», el resumen semanal se indica "
                            "con «sí» o «no»."
                        )
                        % {"linea": linea.strip()}
                    )
                brazo["resumen"] = resumen in _SI
            if len(partes) > 4:
                modalidad = _modalidad(partes[4])
                if modalidad is None:
                    raise ValidationError(
                        _(
                            "En la línea «%(linea)s», la capacitación debe ser "
                            "individual, grupo pequeño, grupo grande o ninguna."
                        )
                        % {"linea": linea.strip()}
                    )
                brazo["capacitacion"] = modalidad
            brazos.append(brazo)
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


class PublicarForm(forms.Form):
    actua_hasta = forms.DateField(
        label=_("Los brazos actúan hasta"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Desde hoy hasta ese día inclusive, el resumen semanal y las "
            "invitaciones a capacitaciones siguen lo que dice cada brazo. "
            "Vacío: el último día del año escolar de la evaluación."
        ),
    )
