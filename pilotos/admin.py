from django import forms
from django.contrib import admin

from alerta.admin import SoloLectura

from .models import Evaluacion, Recepcion, UnidadEvaluacion, validar_brazos


class EvaluacionAdminForm(forms.ModelForm):
    class Meta:
        model = Evaluacion
        fields = [
            "nombre",
            "unidad",
            "ugeles",
            "minimo_en_riesgo",
            "maximo_unidades",
            "area",
            "brazos",
            "cortes_tamano",
            "semilla",
            "creada_por",
            "ejecucion",
        ]

    def clean_brazos(self) -> list:
        # The same rule as the design form and the service.
        validar_brazos(self.cleaned_data["brazos"])
        return self.cleaned_data["brazos"]


class UnidadInline(admin.TabularInline):
    model = UnidadEvaluacion
    fields = ("codigo", "ugel", "estrato", "brazo", "tamano")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Evaluacion)
class EvaluacionAdmin(admin.ModelAdmin):
    form = EvaluacionAdminForm
    list_display = ("uuid", "nombre", "unidad", "estado", "creada", "publicada_en")
    list_filter = ("estado", "unidad")
    raw_id_fields = ("creada_por", "ejecucion")
    filter_horizontal = ("ugeles",)
    inlines = [UnidadInline]
    # What a redraw needs is never typed in by hand.
    readonly_fields = (
        "estado",
        "publicada_en",
        "actua_hasta",
        "sorteada_en",
        "version_numpy",
        "version_python",
        "hash_elegibles",
    )

    def has_change_permission(self, request, obj=None) -> bool:
        # Frozen once published: the draw cannot change under its analysis.
        if obj is not None and obj.publicada:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.publicada:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(UnidadEvaluacion)
class UnidadEvaluacionAdmin(SoloLectura, admin.ModelAdmin):
    # Units are written by the draw only.
    list_display = ("codigo", "evaluacion", "ugel", "estrato", "brazo")
    list_filter = ("brazo",)


@admin.register(Recepcion)
class RecepcionAdmin(SoloLectura, admin.ModelAdmin):
    # Written by the digest and the trainings only; read by the analysis.
    list_display = ("tipo", "entregada", "unidad", "referencia", "momento")
    list_filter = ("tipo", "entregada")
    raw_id_fields = ("unidad", "usuario")
