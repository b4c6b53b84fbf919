"""UGEL, DRE and Minedu users reach a student from their dashboard, down
through the IE's list (the audited drill-down), and download the IE's
workbook from there."""

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from alerta.models import Accion, RegistroAcceso

from .ayudas import expect, ingresar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("persona", ["ugel", "dre", "nacional"])
def test_a_specialist_drills_down_to_a_student_and_downloads_the_ie(
    pagina, escuela, tmp_path, persona
):
    m = escuela.mundo
    usuario = getattr(m, persona)
    ingresar(pagina, usuario)
    pagina.goto(reverse("ugel_detalle", args=[m.ugel_norte.codigo]))
    # The IE is linked from each ranking of the page; the first is the table.
    pagina.get_by_role("link", name=m.ie_uno.rotulo, exact=True).first.click()
    expect(pagina.get_by_role("heading", level=1)).to_have_text(m.ie_uno.rotulo)

    alumno = escuela.estudiante("a1")
    pagina.get_by_role("link", name=alumno.nombre_completo, exact=True).click()
    assert pagina.url.endswith(reverse("estudiante_detalle", args=[alumno.uuid]))
    expect(pagina.get_by_role("heading", level=1)).to_contain_text(
        alumno.nombre_completo
    )

    pagina.go_back()
    with pagina.expect_download() as info:
        pagina.get_by_role(
            "link", name="Descargar lista de la IE con nombres de estudiantes (Excel)"
        ).click()
    ruta = tmp_path / info.value.suggested_filename
    info.value.save_as(ruta)
    wb = load_workbook(ruta, read_only=True)
    celdas = {
        str(celda)
        for hoja in wb.worksheets
        for fila in hoja.iter_rows(values_only=True)
        for celda in fila
    }
    assert alumno.nombre_completo in celdas
    assert escuela.nombre("dos") not in celdas

    accesos = set(
        RegistroAcceso.objects.filter(usuario=usuario).values_list("accion", "objeto")
    )
    assert {
        (Accion.VER_LISTA, f"ie:{m.ie_uno.codigo}"),
        (Accion.VER_ESTUDIANTE, f"estudiante:{alumno.uuid}"),
        (Accion.DESCARGAR, f"ie:{m.ie_uno.codigo}"),
    } <= accesos
