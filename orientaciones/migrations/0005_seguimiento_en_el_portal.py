"""The guidance points to the portal's follow-up now that it exists.

Items of 0004 asked tutors to note contacts and agreements in their tutoring
notebook, and directors to keep the monthly contact record in a spreadsheet
column: the portal now records both (an action on the student's page, the
sección's "Registro mensual"). Each sentence is replaced only where the item
still holds it word for word (an item edited in the admin is left alone);
reversing puts the old sentence back.
"""

from django.db import migrations

# (slug, sentence of 0004, sentence now)
CAMBIOS = [
    (
        "contacto-con-la-familia",
        "Acompañe mes a mes: anote en su cuaderno de tutoría la fecha, con quién "
        "habló y qué acordaron, y revise si la asistencia mejora.",
        "Acompañe mes a mes: registre cada llamada o visita como una acción en la "
        "página del estudiante (la fecha, qué se hizo y qué acordaron) y revise si "
        "la asistencia mejora.",
    ),
    (
        "tutoria-individual",
        "Vuelva a reunirse periódicamente para revisar esas metas y anote lo "
        "acordado en su cuaderno de tutoría.",
        "Vuelva a reunirse periódicamente para revisar esas metas y registre la "
        "tutoría como una acción en la página del estudiante.",
    ),
    (
        "volver-a-la-escuela",
        "Converse con él con frecuencia, anote en su cuaderno de tutoría cómo va y "
        "avise a la dirección si vuelve a faltar.",
        "Converse con él con frecuencia, registre en su página cómo va y avise a la "
        "dirección si vuelve a faltar.",
    ),
    (
        "registro-mensual-de-contacto",
        "Acuerde con los tutores una fecha fija de cada mes y una forma sencilla "
        "de anotarlo: una columna en la hoja de cálculo de su aula o una página "
        "de su cuaderno de tutoría.",
        "Acuerde con los tutores una fecha fija de cada mes para llenar el "
        "registro mensual de su sección en Alerta Escuela: toma uno o dos minutos "
        "desde el celular, también sin conexión.",
    ),
    (
        "registro-mensual-de-contacto",
        "Revise esas anotaciones en la reunión mensual con los tutores.",
        "Revise el avance de cada sección en la página de su institución educativa "
        "y en la reunión mensual con los tutores.",
    ),
]


def _aplicar(apps, de: int, a: int) -> None:
    Orientacion = apps.get_model("orientaciones", "Orientacion")
    for cambio in CAMBIOS:
        slug, antes, despues = cambio[0], cambio[de], cambio[a]
        for orientacion in Orientacion.objects.filter(slug=slug):
            if antes in orientacion.texto:
                orientacion.texto = orientacion.texto.replace(antes, despues)
                orientacion.save(update_fields=["texto"])


def adelante(apps, schema_editor):
    _aplicar(apps, 1, 2)


def atras(apps, schema_editor):
    _aplicar(apps, 2, 1)


class Migration(migrations.Migration):
    dependencies = [("orientaciones", "0004_orientaciones_por_factor")]

    operations = [migrations.RunPython(adelante, atras)]
