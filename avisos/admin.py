from django.contrib import admin

from alerta.admin import SinAltaNiCambio

from .models import EnvioResumen, PreferenciaAvisos


@admin.register(PreferenciaAvisos)
class PreferenciaAvisosAdmin(admin.ModelAdmin):
    list_display = ("usuario", "resumen_semanal", "modificada")
    list_filter = ("resumen_semanal",)
    raw_id_fields = ("usuario",)


@admin.register(EnvioResumen)
class EnvioResumenAdmin(SinAltaNiCambio, admin.ModelAdmin):
    # Claims are written by the task only; deleting one lets that week's
    # digest go again on the next run.
    list_display = ("usuario", "semana", "enviado")
    date_hierarchy = "semana"
