"""The fixed catalogue of kinds of action. Kinds are retired, never deleted:
a later change of the catalogue adds a kind or sets `retirado_en`."""

from django.db import migrations

CATALOGO = [
    ("llamada_visita", "Llamada o visita a la familia"),
    ("tutoria_individual", "Tutoría individual"),
    ("tutoria_grupal", "Tutoría grupal"),
    ("reforzamiento", "Reforzamiento"),
    ("becas_apoyos", "Información sobre becas o apoyos"),
    ("derivacion", "Derivación a DEMUNA, centro de salud u otra institución"),
    ("flexibilidad_horario", "Flexibilidad de horario"),
    ("otra", "Otra"),
]


def sembrar(apps, schema_editor):
    TipoAccion = apps.get_model("seguimiento", "TipoAccion")
    for orden, (codigo, nombre) in enumerate(CATALOGO, start=1):
        TipoAccion.objects.update_or_create(
            codigo=codigo, defaults={"nombre": nombre, "orden": orden}
        )


class Migration(migrations.Migration):
    dependencies = [("seguimiento", "0001_initial")]

    operations = [migrations.RunPython(sembrar, migrations.RunPython.noop)]
