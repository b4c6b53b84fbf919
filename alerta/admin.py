from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import (
    Asignacion,
    Dre,
    InstitucionEducativa,
    RegistroAcceso,
    Seccion,
    Ugel,
    Usuario,
)


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
    list_display = ("fecha", "usuario", "accion", "objeto")
    list_filter = ("accion",)
    raw_id_fields = ("usuario",)

    def has_change_permission(self, request, obj=None) -> bool:
        return False
