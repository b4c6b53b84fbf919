from django.contrib import admin

from .models import Capacitacion, Invitacion


class InvitacionInline(admin.TabularInline):
    model = Invitacion
    raw_id_fields = ("usuario", "ie")
    extra = 0


@admin.register(Capacitacion)
class CapacitacionAdmin(admin.ModelAdmin):
    # Identifiers only in the list: invitees are shown inside a session.
    list_display = ("uuid", "ugel", "modalidad", "fecha", "hora", "creada")
    list_filter = ("modalidad", "fecha")
    raw_id_fields = ("ugel", "creada_por")
    inlines = [InvitacionInline]


@admin.register(Invitacion)
class InvitacionAdmin(admin.ModelAdmin):
    list_display = ("pk", "capacitacion", "ie", "invitada", "asistio")
    list_filter = ("asistio",)
    raw_id_fields = ("capacitacion", "usuario", "ie")
