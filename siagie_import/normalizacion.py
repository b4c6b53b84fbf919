"""Parsing of single values from the extracts, as they really come.

Pure functions (the grades of each nivel come from the domain). Each parser
returns None when the value is not valid; the caller turns that into a rejected
row with a reason in Spanish.
None of them raises, whatever the text (the fuzz tests hold them to it).
"""

import datetime as dt
import re
import unicodedata
from functools import lru_cache
from types import MappingProxyType

from alerta.models import GRADOS_POR_NIVEL, Nivel

# Plain ASCII digits: str.isdigit() also accepts "²" or "٣", which int() refuses.
_ENTERO = re.compile(r"[+-]?[0-9]{1,18}(?:\.0*)?")
_CODIGO = re.compile(r"[0-9]+")
_NUMERO = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
_ESPACIOS = re.compile(r"\s+")
_ALFANUMERICO = re.compile(r"[0-9A-Z]+")

# Dates: day first (dd/mm/aaaa, d-m-aaaa) or ISO (aaaa-mm-dd, aaaa/mm/dd), either
# optionally followed by a time that is ignored; aaaammdd; Excel serial numbers.
_FECHA_DMA = re.compile(
    r"(?P<d>[0-9]{1,2})[/.-](?P<m>[0-9]{1,2})[/.-](?P<a>[0-9]{4})(?:[ T].*)?", re.S
)
_FECHA_AMD = re.compile(
    r"(?P<a>[0-9]{4})[/-](?P<m>[0-9]{1,2})[/-](?P<d>[0-9]{1,2})(?:[ T].*)?", re.S
)
_FECHA_COMPACTA = re.compile(
    r"(?P<a>(?:19|20|21)[0-9]{2})(?P<m>[0-9]{2})(?P<d>[0-9]{2})"
)
_SERIAL = re.compile(r"[0-9]{1,5}(?:\.[0-9]+)?")
ANIO_MINIMO, ANIO_MAXIMO = 1900, 2200  # a date outside this is no real date
SERIAL_MAXIMO_TEXTO = 80_000  # 2119-01-10: a bare number beyond it is no date

_EPOCA_1900 = dt.date(1899, 12, 30)
_EPOCA_1904 = dt.date(1904, 1, 1)
_SERIAL_MAXIMO = 2_958_465  # 9999-12-31, Excel's last day


def _colapsar(valor: str) -> str:
    return _ESPACIOS.sub(" ", valor).strip()


def _sin_tildes(valor: str) -> str:
    descompuesto = unicodedata.normalize("NFKD", valor)
    return "".join(c for c in descompuesto if not unicodedata.combining(c))


def codigo(valor: str, digitos: int) -> str | None:
    """A numeric code as text, zero-padded: ``"403691"`` -> ``"0403691"``.

    Takes what spreadsheets do to codes: a trailing ``.0`` (``"403691.0"``),
    spaces, and the apostrophe Excel uses to force text (``"'0403691"``).
    None if it is empty, not all digits, or longer than ``digitos``.
    """
    if type(valor) is str and len(valor) == digitos and _CODIGO.fullmatch(valor):
        return valor  # already as it should be: most cells of a clean extract
    texto = "".join(str(valor).split()).removeprefix("'")
    texto = re.sub(r"\.0+$", "", texto)
    if not texto or len(texto) > digitos or not _CODIGO.fullmatch(texto):
        return None
    return texto.zfill(digitos)


def entero(valor: str) -> int | None:
    """``"1"``, ``"1.0"``, ``" 3 "`` -> int; ``"1.5"``, ``"abc"``, ``""`` -> None."""
    texto = str(valor).strip()
    if not _ENTERO.fullmatch(texto):
        return None
    return int(texto.split(".")[0])


def fecha_excel(serial: float, *, sistema_1904: bool = False) -> dt.date | None:
    """The day of an Excel serial number (the time of day is dropped).

    The 1900 system keeps Lotus's phantom 29 February 1900 (serial 60): serials
    before it are one day later than a plain count from 1899-12-30 would give.
    """
    if serial != serial or not 0 <= serial <= _SERIAL_MAXIMO:  # NaN, range
        return None
    dias = int(serial)
    if sistema_1904:
        return _EPOCA_1904 + dt.timedelta(days=dias)
    if dias < 1 or dias == 60:
        return None
    if dias < 60:
        dias += 1
    return _EPOCA_1900 + dt.timedelta(days=dias)


def _dia(anio: str, mes: str, dia: str) -> dt.date | None:
    # Years after ANIO_MAXIMO are still read: a birth date in 2210 is a date in
    # the future (the caller says so), not an unreadable value.
    if int(anio) < ANIO_MINIMO:
        return None
    try:
        return dt.date(int(anio), int(mes), int(dia))
    except ValueError:
        return None


def fecha(valor: str) -> dt.date | None:
    """A date written any way the extracts write it.

    ``dd/mm/aaaa``, ``d/m/aaaa``, ``dd-mm-aaaa``, ``aaaa-mm-dd`` (with or without
    a time after it), ``aaaammdd`` and Excel serial numbers (1900 system, between
    1 and 80000, with or without a fraction). Day first, as in Peru: ``03/04/2020``
    is 3 April. Years before 1900 are refused; years after ANIO_MAXIMO are read
    (the caller decides whether a far future date is in the future or garbage).
    """
    texto = str(valor).strip()
    for patron in (_FECHA_AMD, _FECHA_DMA, _FECHA_COMPACTA):
        if m := patron.fullmatch(texto):
            return _dia(m["a"], m["m"], m["d"])
    if _SERIAL.fullmatch(texto):
        serial = float(texto)
        if 1 <= serial <= SERIAL_MAXIMO_TEXTO:
            return fecha_excel(serial)
    return None


def nombre(valor: str) -> str:
    """A person's or school's name: ``"josé  ñuñez "`` -> ``"JOSÉ ÑUÑEZ"``.

    Accents and Ñ are kept (composed, so that a decomposed "é" from a Mac
    compares equal); control and invisible characters go.
    """
    valor = str(valor)
    if valor.isascii() and valor.isprintable():
        # Most cells: nothing to compose or strip (and ~10x cheaper).
        return " ".join(valor.split()).upper()
    return _nombre_unicode(valor)


@lru_cache(maxsize=65536)
def _nombre_unicode(valor: str) -> str:
    # Names repeat a lot across a national file: the cache pays for itself.
    texto = unicodedata.normalize("NFC", valor)
    texto = "".join(
        c for c in texto if c.isspace() or unicodedata.category(c) not in ("Cc", "Cf")
    )
    return _colapsar(texto).upper()


def clave(valor: str) -> str:
    """An enumeration value to compare: ``"Requiere  recuperación "`` ->
    ``"REQUIERE RECUPERACION"`` (upper case, no accents, spaces collapsed)."""
    valor = str(valor)
    if valor.isascii():
        return " ".join(valor.split()).upper()
    return _clave_unicode(valor)


@lru_cache(maxsize=8192)
def _clave_unicode(valor: str) -> str:
    return _colapsar(_sin_tildes(valor)).upper()


def fecha_mostrada(valor: str) -> str:
    """A date cell as a rejection report shows it: an Excel serial number gets
    the date it stands for next to it (``"53948"`` -> ``"53948 (13/09/2047)"``);
    any other text is shown as it came."""
    texto = str(valor).strip()
    if _SERIAL.fullmatch(texto) and (dia := fecha(texto)) is not None:
        return f"{texto} ({dia:%d/%m/%Y})"
    return str(valor)


def codificado(valor: str) -> str:
    """The comparison key of a coded value, however the extract spelled it.

    Upper case, no accents, spaces collapsed (as ``clave``), and an integer
    written as a float or with leading zeros becomes the integer:
    ``" 1.0 "`` -> ``"1"``, ``"2.00"`` -> ``"2"``, ``"05"`` -> ``"5"``,
    ``" Única "`` -> ``"UNICA"``. Codes whose leading zeros matter (COD_MOD,
    CODGEO...) go through ``codigo`` instead.
    """
    texto = clave(valor)
    if _ENTERO.fullmatch(texto):
        return str(int(texto.split(".")[0]))
    return texto


CEROS_PERDIBLES = 4  # 5 leading zeros in a random 14-digit code: 1 in 100,000


def codigo_alfanumerico(valor: str, largo: int) -> str | None:
    """A code of exactly ``largo`` letters or digits (the SIAGIE student code).

    Case and spaces do not matter; an all-digit code that a spreadsheet turned
    into a number (a trailing ``".0"``, up to CEROS_PERDIBLES leading zeros
    lost) is padded back: a code shorter than that is a wrong code, not a
    spreadsheet's doing. None when it cannot be such a code.
    """
    if type(valor) is str and len(valor) == largo and _ALFANUMERICO.fullmatch(valor):
        return valor  # already as it should be: most cells of a clean extract
    texto = "".join(clave(valor).split()).removeprefix("'")
    numero = re.sub(r"\.0+$", "", texto)
    if _CODIGO.fullmatch(numero) and len(numero) >= largo - CEROS_PERDIBLES:
        texto = codigo(numero, largo) or ""
    if len(texto) != largo or not _ALFANUMERICO.fullmatch(texto):
        return None
    return texto


def documento(valor: str) -> str:
    """A document number that is not (or not known to be) a DNI: upper case,
    without spaces or the float's ``.0`` a spreadsheet adds to digits."""
    texto = "".join(clave(valor).split()).removeprefix("'")
    if _ENTERO.fullmatch(texto) and "." in texto:
        return texto.split(".")[0]
    return texto


_ORDINALES = {
    "PRIMERO": 1, "PRIMER": 1, "PRIMERA": 1,
    "SEGUNDO": 2, "SEGUNDA": 2,
    "TERCERO": 3, "TERCER": 3, "TERCERA": 3,
    "CUARTO": 4, "CUARTA": 4,
    "QUINTO": 5, "QUINTA": 5,
    "SEXTO": 6, "SEXTA": 6,
}  # fmt: skip
_EDADES = {"TRES": 3, "CUATRO": 4, "CINCO": 5}
# After clave() and without the degree signs: "3", "3.0", "3RO", "3ER", "3 ANOS".
_GRADO = re.compile(r"(?:(?P<n>[0-9]{1,2})(?:\.0+)?|(?P<p>[A-Z]+))\s*(?P<s>[A-Z]*)\.?")
_SUFIJOS_ORDINAL = {"", "RO", "ERO", "ER", "DO", "TO", "VO", "MO", "O", "A"}
_SUFIJOS_EDAD = {"", "ANOS", "ANO"}


def grado(valor: str, nivel: str) -> int | None:
    """The grade as a number, if it exists for the nivel.

    Primaria and secundaria: ``"3"``, ``"3°"``, ``"3º"``, ``"3ro"``, ``"TERCERO"``,
    ``"3er grado"``. Inicial counts years of age: ``"3"``, ``"3 AÑOS"``,
    ``"TRES AÑOS"``; ordinals (``"TERCERO"``, ``"3ro"``) are not inicial grades
    and ages are not primaria ones.
    """
    nivel = clave(nivel)
    validos = GRADOS_POR_NIVEL.get(nivel)
    if validos is None:
        return None
    texto = str(valor).replace("°", " ").replace("º", " ").replace("ª", " ")
    texto = _colapsar(re.sub(r"\bGRADO\b", " ", clave(texto)))
    m = _GRADO.fullmatch(texto)
    if m is None:
        return None
    if nivel == Nivel.INICIAL:
        numero = _EDADES.get(m["p"]) if m["p"] else int(m["n"])
        sufijos = _SUFIJOS_EDAD
    else:
        numero = _ORDINALES.get(m["p"]) if m["p"] else int(m["n"])
        sufijos = {""} if m["p"] else _SUFIJOS_ORDINAL
    if numero is None or m["s"] not in sufijos:
        return None
    return numero if numero in validos else None


_SEXOS = {
    "HOMBRE": "HOMBRE", "H": "HOMBRE", "MASCULINO": "HOMBRE", "MASC": "HOMBRE",
    "VARON": "HOMBRE",
    # FORMATOS: H / M mean HOMBRE / MUJER, so M is MUJER here, never "masculino".
    "MUJER": "MUJER", "M": "MUJER", "FEMENINO": "MUJER", "FEM": "MUJER", "F": "MUJER",
}  # fmt: skip
SEXOS_ESCRITOS = MappingProxyType(_SEXOS)


def sexo(valor: str) -> str | None:
    """``"HOMBRE"`` or ``"MUJER"`` from the ways extracts write it (M is MUJER)."""
    return _SEXOS.get(clave(valor).rstrip("."))


_SI_NO = {
    "SI": True, "S": True, "1": True, "TRUE": True, "VERDADERO": True,
    "NO": False, "N": False, "0": False, "FALSE": False, "FALSO": False,
}  # fmt: skip


def si_no(valor: str) -> bool | None:
    """SI / SÍ / S / 1 -> True; NO / N / 0 -> False (also TRUE / FALSE, which is
    what the reader gives for an XLSX boolean cell); anything else None."""
    texto = clave(valor)
    if texto in ("1.0", "0.0"):
        texto = texto[0]
    return _SI_NO.get(texto)


def es_formula(valor: str) -> bool:
    """Whether a spreadsheet would take the text as a formula (CSV injection).

    Starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return and goes
    on with something that is not a plain number: ``"=1+1"``, ``"@SUM(A1)"`` and
    ``"+51 984"`` are; ``"-5"``, ``"+3.5"`` and a lone ``"-"`` are not.
    """
    texto = str(valor)
    if len(texto) < 2 or texto[0] not in "=+-@\t\r":
        return False
    return not _NUMERO.fullmatch(texto.strip())
