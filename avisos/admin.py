from django.contrib import admin

from .models import EnvioResumen, PreferenciaAvisos


@admin.register(PreferenciaAvisos)
class PreferenciaAvisosAdmin(admin.ModelAdmin):
    list_display = ("usuario", "resumen_semanal", "modificada")
    list_filter = ("resumen_semanal",)
    raw_id_fields = ("usuario",)


@admin.register(EnvioResumen)
class EnvioResumenAdmin(admin.ModelAdmin):
    list_display = ("usuario", "semana", "enviado")
    date_hierarchy = "semana"
    raw_id_fields = ("usuario",)
