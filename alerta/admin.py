from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import (
    Accion,
    Asignacion,
    Dre,
    InstitucionEducativa,
    RegistroAcceso,
    Seccion,
    Ugel,
    Usuario,
)
from .services import registro_acceso_crear


class AsignacionInline(admin.TabularInline):
    model = Asignacion
    extra = 0
    raw_id_fields = ("seccion", "ie", "ugel", "dre")


@admin.register(Usuario)
class UsuarioAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + ((None, {"fields": ("numero_documento",)}),)
    list_display = ("username", "first_name", "last_name", "email", "is_active")
    search_fields = ("username", "first_name", "last_name", "email", "numero_documento")
    inlines = [AsignacionInline]

    # Teachers' names, DNIs and e-mail addresses: reading them is an access.
    def changelist_view(self, request, extra_context=None):
        respuesta = super().changelist_view(request, extra_context)
        if respuesta.status_code == 200:
            registro_acceso_crear(
                usuario=request.user, accion=Accion.VER_DOCENTES, objeto="usuarios"
            )
        return respuesta

    def change_view(self, request, object_id, form_url="", extra_context=None):
        respuesta = super().change_view(request, object_id, form_url, extra_context)
        if respuesta.status_code == 200:
            registro_acceso_crear(
                usuario=request.user,
                accion=Accion.VER_DOCENTES,
                objeto=f"usuario:{object_id}"[:80],
            )
        return respuesta


@admin.register(Dre)
class DreAdmin(admin.ModelAdmin):
    search_fields = ("nombre",)


@admin.register(Ugel)
class UgelAdmin(admin.ModelAdmin):
    list_display = ("codigo", "nombre", "dre")
    search_fields = ("codigo", "nombre")


@admin.register(InstitucionEducativa)
class InstitucionEducativaAdmin(admin.ModelAdmin):
    list_display = ("codigo_modular", "anexo", "nombre", "nivel_modalidad", "ugel")
    list_filter = ("area", "gestion")
    search_fields = ("codigo_modular", "nombre")
    raw_id_fields = ("distrito", "ugel")


@admin.register(Seccion)
class SeccionAdmin(admin.ModelAdmin):
    list_display = ("ie", "anio", "nivel", "grado", "letra")
    list_filter = ("anio", "nivel")
    raw_id_fields = ("ie",)


@admin.register(RegistroAcceso)
class RegistroAccesoAdmin(admin.ModelAdmin):
    """Read only, even for a superuser: a log that can be edited proves nothing.
    Rows leave only through the retention purge (alerta.auditoria)."""

    list_display = ("fecha", "usuario", "accion", "objeto")
    list_filter = ("accion",)
    raw_id_fields = ("usuario",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
