"""Secciones imported before accents were kept store UNICA: they become ÚNICA,
the spelling every import now stores, so that a new import of the same nómina
upserts into them instead of creating a second sección beside each."""

from django.db import migrations
from django.db.models import Exists, OuterRef

# The spellings the old importer could store for ÚNICA (upper case, no accents).
ANTIGUAS = ["UNICA"]
CANONICA = "ÚNICA"


def con_tilde(apps, schema_editor):
    Seccion = apps.get_model("alerta", "Seccion")
    ya_existe = Seccion.objects.filter(
        ie=OuterRef("ie"),
        anio=OuterRef("anio"),
        nivel=OuterRef("nivel"),
        grado=OuterRef("grado"),
        letra=CANONICA,
    )
    # A sección that already has its ÚNICA twin is left alone rather than
    # merged: its enrollments are the data's, not the migration's, to move.
    Seccion.objects.filter(letra__in=ANTIGUAS).exclude(Exists(ya_existe)).update(
        letra=CANONICA
    )


class Migration(migrations.Migration):
    dependencies = [
        ("alerta", "0003_indices_de_importacion"),
    ]

    operations = [
        migrations.RunPython(con_tilde, migrations.RunPython.noop, elidable=True),
    ]
