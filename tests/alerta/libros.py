"""Reading downloaded workbooks back in the tests of the xlsx downloads."""

from io import BytesIO

from openpyxl import load_workbook


def libro(r):
    """The workbook of a successful xlsx download."""
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(b"".join(r.streaming_content)))


def tabla(ws, primera: str):
    """The header row (1-based), the header and the rows of the sheet's table,
    up to the first blank row."""
    filas = list(ws.iter_rows(values_only=True))
    inicio = next(i for i, f in enumerate(filas) if f and f[0] == primera)
    datos = []
    for f in filas[inicio + 1 :]:
        if not f or all(v is None for v in f):
            break
        datos.append(f)
    return inicio + 1, filas[inicio], datos


def bloque(ws) -> dict:
    """The front block: {label: value} down to the first blank row."""
    bloque = {}
    for etiqueta, valor, *_resto in ws.iter_rows(values_only=True):
        if etiqueta is None:
            break
        bloque[etiqueta] = valor
    return bloque
