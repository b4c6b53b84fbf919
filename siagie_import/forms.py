from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import TipoArchivo
from .services import EXTENSIONES

# The shared stylesheet sizes text inputs only; this class (static/css/alerta.css)
# keeps a file input and a select inside a 360 px phone screen. A class, not a
# style attribute: the Content-Security-Policy allows no inline style.
CLASE_CAMPO = "campo-ajustado"


class ImportacionForm(forms.Form):
    archivo = forms.FileField(
        label=_("Archivo"),
        widget=forms.FileInput(
            attrs={"accept": ",".join(sorted(EXTENSIONES)), "class": CLASE_CAMPO}
        ),
        help_text=_(
            "CSV, TXT o XLSX exportado de SIAGIE o del padrón de IIEE. "
            "Si el nombre es el habitual (por ejemplo, nomina_2026.csv), "
            "el tipo y el año se reconocen solos."
        ),
        error_messages={
            "required": _("Elija el archivo que desea importar."),
            "empty": _("El archivo está vacío."),
            "invalid": _("No se recibió un archivo. Vuelva a elegirlo."),
        },
    )
    tipo = forms.ChoiceField(
        label=_("Tipo de archivo"),
        choices=[("", _("Detectar por el nombre"))] + TipoArchivo.choices,
        widget=forms.Select(attrs={"class": CLASE_CAMPO}),
        required=False,
        error_messages={"invalid_choice": _("Elija un tipo de archivo de la lista.")},
    )
    anio = forms.IntegerField(
        label=_("Año escolar"),
        help_text=_("Opcional: si se deja vacío, se toma del nombre del archivo."),
        required=False,
        widget=forms.NumberInput(attrs={"class": CLASE_CAMPO}),
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": _("Escriba el año con cuatro cifras, por ejemplo 2026."),
            "min_value": _("El año debe ser 2000 o posterior."),
            "max_value": _("El año debe ser 2100 o anterior."),
        },
    )

    def clean_archivo(self):
        archivo = self.cleaned_data["archivo"]
        if Path(archivo.name).suffix.lower() not in EXTENSIONES:
            raise forms.ValidationError(
                _("Solo se aceptan archivos CSV, TXT o XLSX."), code="extension"
            )
        limite = settings.IMPORTACION_LIMITE_BYTES
        if archivo.size > limite:
            raise forms.ValidationError(
                _("El archivo pesa %(tamano)s; el máximo permitido es %(limite)s.")
                % {
                    "tamano": filesizeformat(archivo.size),
                    "limite": filesizeformat(limite),
                },
                code="tamano",
            )
        return archivo

    def clean_tipo(self) -> str | None:
        return self.cleaned_data["tipo"] or None
