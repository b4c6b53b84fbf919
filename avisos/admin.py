from django.contrib import admin

from .models import EnvioResumen, PreferenciaAvisos


@admin.register(PreferenciaAvisos)
class PreferenciaAvisosAdmin(admin.ModelAdmin):
    list_display = ("usuario", "resumen_semanal", "modificada")
    list_filter = ("resumen_semanal",)
    raw_id_fields = ("usuario",)


@admin.register(EnvioResumen)
class EnvioResumenAdmin(admin.ModelAdmin):
    # Claims are written by the task only; deleting one lets that week's
    # digest go again on the next run.
    list_display = ("usuario", "semana", "enviado")
    date_hierarchy = "semana"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
