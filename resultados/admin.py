from django.contrib import admin

from .models import InformeResultados


@admin.register(InformeResultados)
class InformeResultadosAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
