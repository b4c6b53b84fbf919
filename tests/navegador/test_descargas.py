"""The spreadsheets download from their buttons, and read back with openpyxl."""

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from .ayudas import ingresar

pytestmark = [pytest.mark.navegador, pytest.mark.django_db(transaction=True)]


def _descargar(pagina, boton: str, carpeta):
    """Click the download button named `boton`; open the saved workbook."""
    with pagina.expect_download() as info:
        pagina.get_by_role("link", name=boton).click()
    descarga = info.value
    assert descarga.failure() is None
    ruta = carpeta / descarga.suggested_filename
    descarga.save_as(ruta)
    return descarga.suggested_filename, load_workbook(ruta, read_only=True)


def _tabla(ws, primera: str) -> dict[str, list]:
    """Rows under the header row whose first cell is `primera`, each as
    {header: value}, until the first empty row."""
    filas = ws.iter_rows(values_only=True)
    for encabezado in filas:
        if encabezado and encabezado[0] == primera:
            break
    else:
        raise AssertionError(f"no header {primera!r} in sheet {ws.title!r}")
    tabla = []
    for fila in filas:
        if not fila or fila[0] is None:
            break
        tabla.append(dict(zip(encabezado, fila, strict=False)))
    return tabla


def _nombres_en(wb) -> set[str]:
    return {
        str(celda)
        for ws in wb.worksheets
        for fila in ws.iter_rows(values_only=True)
        for celda in fila
        if celda is not None
    }


def test_tutor_downloads_her_seccion_with_each_students_level(
    pagina, escuela, tmp_path
):
    m = escuela.mundo
    ingresar(pagina, m.tutora)
    pagina.goto(reverse("seccion_detalle", args=[m.seccion_a.uuid]))
    nombre, wb = _descargar(
        pagina, "Descargar lista con nombres de estudiantes (Excel)", tmp_path
    )

    assert nombre.endswith(".xlsx")
    for clave in ("a0", "a1", "a2"):
        estudiante = escuela.estudiante(clave)
        assert estudiante.apellido_paterno.lower() not in nombre.lower()
        assert estudiante.numero_documento not in nombre
    filas = _tabla(wb.worksheets[0], "N.º")
    niveles = {f["Apellidos y nombres"]: f["Nivel de riesgo"] for f in filas}
    assert niveles == {
        escuela.nombre("a1"): "Alto",
        escuela.nombre("a2"): "Medio",
        escuela.nombre("a0"): "Bajo",
    }
    # What raises the risk: for alto and medio, never for bajo.
    for f in filas:
        factores = f["Qué eleva su riesgo"] or ""
        en_riesgo = f["Nivel de riesgo"] != "Bajo"
        assert ("Falta a clases con frecuencia" in factores) == en_riesgo


def test_director_downloads_the_ie_workbook_with_counts_per_seccion(
    pagina, escuela, tmp_path
):
    m = escuela.mundo
    ingresar(pagina, m.director)
    pagina.goto(reverse("ie_detalle", args=[m.ie_uno.codigo]))
    _nombre, wb = _descargar(
        pagina, "Descargar lista de la IE con nombres de estudiantes (Excel)", tmp_path
    )

    resumen = _tabla(wb.worksheets[0], "Nivel")
    conteos = {
        f["Sección"]: (f["Estudiantes"], f["Alto"], f["Medio"], f["Bajo"])
        for f in resumen
    }
    assert conteos == {"A": (3, 1, 1, 1), "B": (1, 1, 0, 0)}
    nombres = _nombres_en(wb)
    for clave in ("a0", "a1", "a2", "b"):
        assert escuela.nombre(clave) in nombres
    assert escuela.nombre("dos") not in nombres


def test_ugel_specialist_downloads_the_ugel_report_with_its_ies_and_students_at_risk(
    pagina, escuela, tmp_path
):
    m = escuela.mundo
    ingresar(pagina, m.ugel)
    pagina.goto(reverse("ugel_detalle", args=[m.ugel_norte.codigo]))
    _nombre, wb = _descargar(
        pagina,
        "Descargar reporte de la UGEL con nombres de estudiantes (Excel)",
        tmp_path,
    )

    resumen = _tabla(wb.worksheets[0], "Código modular")
    conteos = {
        f["Institución educativa"]: (f["Estudiantes"], f["Alto"], f["Medio"])
        for f in resumen
    }
    assert conteos == {m.ie_uno.rotulo: (4, 2, 1), m.ie_dos.rotulo: (1, 0, 0)}
    nominal = _tabla(wb["Nominal"], "Código modular")
    assert {f["Apellidos y nombres"] for f in nominal} == {
        escuela.nombre("a1"),
        escuela.nombre("a2"),
        escuela.nombre("b"),
    }
    assert escuela.nombre("sur") not in _nombres_en(wb)
