from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    Accion,
    Asignacion,
    Dre,
    InstitucionEducativa,
    RegistroAcceso,
    Seccion,
    TokenApi,
    Ugel,
    Usuario,
)
from .services import registro_acceso_crear


class SinAltaNiCambio:
    """An admin of rows only the code writes: it reads them, and may delete
    them where the model admin allows it."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class SoloLectura(SinAltaNiCambio):
    """An admin that only reads: no row is added, changed or deleted."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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
class RegistroAccesoAdmin(SoloLectura, admin.ModelAdmin):
    """Read only, even for a superuser: a log that can be edited proves nothing.
    Rows leave only through the retention purge (alerta.auditoria)."""

    list_display = ("fecha", "usuario", "accion", "objeto")
    list_filter = ("accion",)
    raw_id_fields = ("usuario",)


@admin.register(TokenApi)
class TokenApiAdmin(admin.ModelAdmin):
    """Seen and revoked, never created or edited here: a token is its owner's
    (created in the portal, where its secret is shown once). The hash is not
    shown either: it is of no use to anyone reading this page."""

    list_display = (
        "nombre",
        "usuario",
        "prefijo",
        "creado",
        "expira",
        "ultimo_uso",
        "solo_lectura",
        "revocado",
    )
    list_filter = ("solo_lectura", ("revocado", admin.EmptyFieldListFilter))
    search_fields = ("prefijo", "nombre", "usuario__username")
    list_select_related = ("usuario",)
    fields = (
        "usuario",
        "nombre",
        "prefijo",
        "creado",
        "expira",
        "solo_lectura",
        "revocado",
        "ultimo_uso",
    )
    readonly_fields = fields
    actions = ["revocar"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # The change page shows the row read-only; only the action changes it.
        return obj is None and super().has_change_permission(request)

    @admin.action(description=_("Revocar los tokens seleccionados"))
    def revocar(self, request: HttpRequest, queryset: QuerySet[TokenApi]) -> None:
        n = queryset.filter(revocado__isnull=True).update(revocado=timezone.now())
        self.message_user(request, _("Tokens revocados: %(n)s.") % {"n": n})
