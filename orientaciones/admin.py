from django.contrib import admin

from .models import Orientacion


@admin.register(Orientacion)
class OrientacionAdmin(admin.ModelAdmin):
    list_display = ["titulo", "audiencia", "nivel", "factor", "orden", "publicada"]
    list_editable = ["orden", "publicada"]
    list_filter = ["audiencia", "nivel", "factor", "publicada"]
    search_fields = ["titulo", "resumen", "texto"]
    prepopulated_fields = {"slug": ["titulo"]}
    fieldsets = [
        (None, {"fields": ["titulo", "slug", "resumen", "texto"]}),
        (None, {"fields": ["audiencia", "nivel", "factor", "orden", "publicada"]}),
    ]
