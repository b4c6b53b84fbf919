"""The balance table in plain Spanish, for the page and the workbook."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .balance import COVARIABLES, UMBRAL_DIFERENCIA, UMBRAL_P, FilaBrazo


def lectura_de_balance(filas: list[FilaBrazo]) -> str:
    tratamientos = [f for f in filas if f.diferencias]
    if not tratamientos:
        return _("Aún no hay unidades sorteadas para comparar.")
    partes = []
    for f in tratamientos:
        grandes = [
            str(COVARIABLES[c])
            for c, d in f.diferencias.items()
            if d is not None and abs(d) > UMBRAL_DIFERENCIA
        ]
        if f.p is None:
            prueba = _("no hay unidades suficientes para la prueba conjunta")
        elif f.p < UMBRAL_P:
            prueba = _(
                "la prueba conjunta (valor p %(p)s) indica que difiere del "
                "control más de lo que el azar suele producir"
            ) % {"p": number_format(f.p, 3)}
        else:
            prueba = _(
                "la prueba conjunta (valor p %(p)s) es compatible con un sorteo "
                "equilibrado"
            ) % {"p": number_format(f.p, 3)}
        if grandes:
            dif = _("difiere del control en más de 0,25 desviaciones en: %(c)s") % {
                "c": ", ".join(grandes)
            }
        else:
            dif = _("ninguna diferencia normalizada supera 0,25 desviaciones")
        partes.append(
            _("Brazo %(b)s: %(dif)s; %(prueba)s.")
            % {"b": f.brazo, "dif": dif, "prueba": prueba}
        )
    return " ".join(partes)
