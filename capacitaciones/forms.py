from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alerta.forms import nombre_docente
from alerta.models import InstitucionEducativa, Rol, Usuario

from .models import Capacitacion, Modalidad, validar_cantidad_de_docentes


class IEField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: InstitucionEducativa) -> str:
        return f"{obj.rotulo} ({obj.codigo})"


class ElegirIEsForm(forms.Form):
    """The IEs whose teachers a new session may invite (from the UGEL's)."""

    ies = IEField(
        queryset=InstitucionEducativa.objects.none(),
        label=_("Instituciones educativas"),
        error_messages={
            "invalid_choice": _("Elija instituciones de la lista de la UGEL."),
            "required": _("Elija al menos una institución educativa."),
        },
    )

    def __init__(self, *args, ies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ies"].queryset = ies


class DocentesField(forms.ModelMultipleChoiceField):
    """Teachers with their role and IE in the label."""

    def __init__(self, *args, etiquetas: dict[int, str] | None = None, **kwargs):
        self.etiquetas = etiquetas or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Usuario) -> str:
        return self.etiquetas.get(obj.pk) or nombre_docente(obj)


_FECHA = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_HORA = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class CapacitacionForm(forms.ModelForm):
    enlace = forms.URLField(
        label=_("Enlace de la sesión virtual"),
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text=_("Para una sesión virtual (https://…)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radio buttons: one per modality, no blank one.
        self.fields["modalidad"].choices = Modalidad.choices

    class Meta:
        model = Capacitacion
        fields = ["modalidad", "fecha", "hora", "lugar", "enlace", "tema", "notas"]
        widgets = {
            "modalidad": forms.RadioSelect,
            "fecha": _FECHA,
            "hora": _HORA,
            "notas": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "lugar": _("Para una sesión presencial."),
        }


def etiqueta_docente(asignacion) -> str:
    ie = asignacion.ie if asignacion.rol == Rol.DIRECTOR else asignacion.seccion.ie
    rol = (
        _("Director(a)")
        if asignacion.rol == Rol.DIRECTOR
        else _("Tutor(a) de %(seccion)s") % {"seccion": asignacion.seccion}
    )
    return f"{nombre_docente(asignacion.usuario)} · {rol} · {ie.rotulo}"


class CapacitacionNuevaForm(CapacitacionForm):
    """A new session: its data and the teachers of the IEs chosen."""

    docentes = DocentesField(
        queryset=Usuario.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Docentes invitados"),
        error_messages={
            "required": _("Elija al menos un docente para invitar."),
            "invalid_choice": _("Elija docentes de las IE elegidas."),
        },
    )

    class Meta(CapacitacionForm.Meta):
        pass

    def __init__(self, *args, asignaciones, **kwargs):
        super().__init__(*args, **kwargs)
        etiquetas: dict[int, str] = {}
        for a in asignaciones:
            texto = etiqueta_docente(a)
            if a.usuario_id in etiquetas:
                etiquetas[a.usuario_id] += f"; {texto.split(' · ', 1)[1]}"
            else:
                etiquetas[a.usuario_id] = texto
        campo = self.fields["docentes"]
        campo.etiquetas = etiquetas
        campo.queryset = Usuario.objects.filter(pk__in=etiquetas).order_by(
            "last_name", "first_name", "pk"
        )

    def clean(self) -> dict:
        datos = super().clean()
        modalidad, docentes = datos.get("modalidad"), datos.get("docentes")
        if modalidad and docentes is not None:
            try:
                validar_cantidad_de_docentes(modalidad, len(docentes))
            except ValidationError as exc:
                self.add_error("docentes", exc)
        return datos


class AsistenciaForm(forms.Form):
    asistieron = forms.MultipleChoiceField(
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Asistieron"),
    )

    def __init__(self, *args, invitaciones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asistieron"].choices = [
            (str(i.usuario_id), nombre_docente(i.usuario)) for i in invitaciones
        ]
        self.fields["asistieron"].initial = [
            str(i.usuario_id) for i in invitaciones if i.asistio
        ]
