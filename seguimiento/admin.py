from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AccionSeguimiento, RegistroMensual, TipoAccion


@admin.register(TipoAccion)
class TipoAccionAdmin(admin.ModelAdmin):
    list_display = ("nombre", "codigo", "orden", "retirado_en")
    readonly_fields = ("codigo",)

    # A kind is retired (retirado_en), never deleted: actions keep it.
    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AccionSeguimiento)
class AccionSeguimientoAdmin(SimpleHistoryAdmin):
    # Identifiers only: notes may be reserved, and names stay out of lists.
    list_display = ("uuid", "tipo", "fecha", "estado", "reservada", "creada")
    list_filter = ("estado", "tipo", "reservada")
    raw_id_fields = ("estudiante", "seccion", "autor", "orientacion")
    exclude = ("nota",)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RegistroMensual)
class RegistroMensualAdmin(admin.ModelAdmin):
    list_display = ("uuid", "mes", "contactado", "medio", "sigue_clases")
    list_filter = ("mes", "contactado", "sigue_clases")
    raw_id_fields = ("estudiante", "seccion", "autor")
