from django.contrib import admin

from alerta.admin import SinAltaNiCambio

from .models import InformeResultados


@admin.register(InformeResultados)
class InformeResultadosAdmin(SinAltaNiCambio, admin.ModelAdmin):
    # Written by the task only: the admin reads the history of computations.
    list_display = (
        "anio",
        "ejecucion",
        "modelo",
        "estado",
        "con_resultado",
        "sin_resultado",
        "inicio",
        "fin",
    )
    list_filter = ("estado", "anio")
    readonly_fields = [f.name for f in InformeResultados._meta.fields]
