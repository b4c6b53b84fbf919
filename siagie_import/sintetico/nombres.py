"""Peruvian names, upper case with accents and Ñ, as SIAGIE writes them.

Surnames come in pools (general Spanish, Quechua, Aimara, Amazonian) so that a
student's surnames fit the place and the mother tongue. Each list is sorted, so
that sorting by index sorts alphabetically (the nóminas are alphabetical).
"""

from __future__ import annotations

import unicodedata

import numpy as np

_GENERALES = """
ACOSTA AGUILAR ALARCÓN ALVARADO ARAUJO ARIAS BENAVIDES BRAVO CABRERA CÁCERES
CAMPOS CÁRDENAS CARRASCO CARRILLO CASAS CASTILLO CASTRO CHÁVEZ CHUMPITAZ CÓRDOVA
CORNEJO CRUZ CUEVA DELGADO DÍAZ ESCOBAR ESPINOZA FERNÁNDEZ FLORES GAMARRA GARCÍA
GONZÁLEZ GUERRERO GUTIÉRREZ HERNÁNDEZ HERRERA IBÁÑEZ JIMÉNEZ LEÓN LÓPEZ LOZANO
MARTÍNEZ MEDINA MENDOZA MEZA MIRANDA MONTES MORALES MUÑOZ NAVARRO NÚÑEZ OCHOA
OLIVERA ORTIZ PALACIOS PAREDES PAZ PEÑA PÉREZ RAMÍREZ RAMOS REYES RIVERA RODRÍGUEZ
ROJAS ROMERO ROSALES RUIZ SALAS SALAZAR SÁNCHEZ SILVA SOTO TORRES VALDIVIA VALENCIA
VARGAS VÁSQUEZ VEGA VERA VILLANUEVA ZAPATA ZEGARRA
"""

_QUECHUAS = """
ACHAHUI ALLCCA AUCCAPUMA CCAHUANA CCOPA CCORI CHALCO CHOQUEHUANCA CONDORI CURI CUSI
CUTIPA HUALLPA HUAMÁN HUAMANÍ HUARCAYA HUAYHUA HUAYTA HUILLCA LAYME MAMANI ÑAUPARI
PAUCAR PUMA QUILLAHUAMÁN QUISPE ROQUE SAIRE SONCCO SULLCA TAIPE TTITO YUPANQUI
"""

_AIMARAS = """
APAZA ARO CALLATA CCALLA CHAMBI CHAMBILLA CHOQUE CHURA COAQUIRA COLQUE CONDORI
CUTIMBO HUANCA LIMACHI LUPACA MAMANI PACOMPIA PARICAHUA QUISPE TICONA TITO YUCRA
"""

_AMAZONICOS = """
AHUANARI AMASIFUEN CACHIQUE CAHUAZA CURITIMA HUAYMACARI INUMA MANIHUARI MOZOMBITE
MURAYARI PANDURO PINEDO RÍOS SANGAMA SHAPIAMA SHUPINGAHUA TAMANI TANCHIVA
TAPULLIMA TUANAMA YAHUARCANI YUYARIMA
"""

# Surnames of the Amazonian peoples whose languages the generator writes.
_AWAJUN = "AMPAM DAGKIGNAI JEMPEKIT SANCHIUM TIWI TSAMAJAIN WAJAJAI YAMPIS"
_ASHANINKA = "CAMAITERI CHIMANGA CHIRICENTE MISHARI QUINCHORI SHIMPITE"
_SHIPIBO = "MAHUA SANANCINO SOPLÍN"

_HOMBRES_TRADICIONALES = """
ABEL ALBERTO ALEX ALFREDO ÁNGEL ANTONIO CARLOS CÉSAR CRISTHIAN DANIEL DAVID EDWIN
EDUARDO ELMER ERICK FÉLIX FERNANDO FREDY GUSTAVO HÉCTOR HUGO IVÁN JAVIER JESÚS
JORGE JOSÉ JUAN JULIO LUIS MARCO MARIO MIGUEL NILTON ÓSCAR PABLO PEDRO PERCY RAÚL
RICARDO ROBERTO ROLANDO RONAL RUBÉN TEODORO VÍCTOR WALTER WILBER WILFREDO YOEL
"""

_HOMBRES_RECIENTES = """
ADRIÁN AGUSTÍN ALDAIR ALEXANDER ALONSO ÁLVARO ANDRÉS ANTHONY ARNOLD BENJAMÍN BRAYAN
DIEGO DYLAN ELÍAS EMERSON EMILIANO FABRICIO FRANCO GABRIEL GAEL ISAAC JHAIR
JHONATAN JOAQUÍN JOSUÉ KEVIN LEONARDO LIAM MARTÍN MATEO MATÍAS NICOLÁS PIERO RENATO
RODRIGO SAMUEL SANTIAGO SEBASTIÁN THIAGO TOMÁS YERSON
"""

_MUJERES_TRADICIONALES = """
ANA ANGÉLICA CARMEN CLAUDIA DIANA ELIZABETH ESTHER EVELYN FLOR GLADYS GRACIELA
HILDA INÉS IRMA JUANA JULIA KARINA LOURDES LUZ MARGARITA MARÍA MARLENI MILAGROS
NANCY NILDA NOEMÍ OLGA PATRICIA PILAR ROCÍO ROSA RUTH SILVIA SOLEDAD SONIA TANIA
TERESA VERÓNICA VILMA YANET YESENIA YOLANDA ZOILA
"""

_MUJERES_RECIENTES = """
ABIGAIL ALESSANDRA ANDREA ANGIE ANTONELLA ARIANA BELÉN BRIGITTE CAMILA DAMARIS
DANIELA DAYANA EMMA ESTRELLA FERNANDA FIORELLA GIANELLA HEIDY ISABELLA JAZMÍN
JIMENA KATHERINE KIARA LIZBETH LUCIANA MARICIELO MÍA NAYELI PAMELA RENATA ROSMERY
SHIRLEY SOFÍA VALENTINA VALERIA XIMENA YOMIRA YULIANA
"""


def _lista(texto: str) -> list[str]:
    return texto.split()


def _clave(nombre: str) -> str:
    sin = unicodedata.normalize("NFD", nombre.replace("Ñ", "N~"))
    return "".join(c for c in sin if not unicodedata.combining(c))


# One sorted list of every surname; pools are arrays of indexes into it.
APELLIDOS: list[str] = sorted(
    set(
        _lista(_GENERALES)
        + _lista(_QUECHUAS)
        + _lista(_AIMARAS)
        + _lista(_AMAZONICOS)
        + _lista(_AWAJUN)
        + _lista(_ASHANINKA)
        + _lista(_SHIPIBO)
    ),
    key=_clave,
)
_INDICE = {a: i for i, a in enumerate(APELLIDOS)}


def _pool(texto: str) -> np.ndarray:
    return np.array([_INDICE[a] for a in _lista(texto)], dtype=np.int32)


POOL_GENERAL = _pool(_GENERALES)
POOL_QUECHUA = _pool(_QUECHUAS)
POOL_AIMARA = _pool(_AIMARAS)
POOL_AMAZONICO = _pool(_AMAZONICOS)
POOLS_PUEBLO = {
    "AWAJUN": _pool(_AWAJUN),
    "ASHANINKA": _pool(_ASHANINKA),
    "SHIPIBO-KONIBO": _pool(_SHIPIBO),
}

NOMBRES: list[str] = sorted(
    set(
        _lista(_HOMBRES_TRADICIONALES)
        + _lista(_HOMBRES_RECIENTES)
        + _lista(_MUJERES_TRADICIONALES)
        + _lista(_MUJERES_RECIENTES)
    ),
    key=_clave,
)
_INDICE_NOMBRE = {n: i for i, n in enumerate(NOMBRES)}


def _pool_nombres(texto: str) -> np.ndarray:
    return np.array([_INDICE_NOMBRE[n] for n in _lista(texto)], dtype=np.int32)


NOMBRES_TRADICIONALES = (
    _pool_nombres(_HOMBRES_TRADICIONALES),
    _pool_nombres(_MUJERES_TRADICIONALES),
)
NOMBRES_RECIENTES = (
    _pool_nombres(_HOMBRES_RECIENTES),
    _pool_nombres(_MUJERES_RECIENTES),
)

APELLIDOS_ARRAY = np.array(APELLIDOS, dtype=object)
NOMBRES_ARRAY = np.array(NOMBRES, dtype=object)


_PESOS: dict[bytes, np.ndarray] = {}


def _zipf(rng: np.random.Generator, pool: np.ndarray, n: int) -> np.ndarray:
    """Draw from a pool with a mild Zipf-like skew (some surnames are common)."""
    if n == 0:
        return np.zeros(0, dtype=np.int32)
    clave = pool.tobytes()
    pesos = _PESOS.get(clave)
    if pesos is None:
        pesos = 1.0 / np.sqrt(np.arange(1, len(pool) + 1))
        # The pool is alphabetical: shuffle the weights in a fixed way so that
        # the "A" surnames are not the most frequent.
        pesos = pesos[np.random.default_rng(len(pool)).permutation(len(pool))]
        pesos = np.cumsum(pesos / pesos.sum())
        _PESOS[clave] = pesos
    indice = np.minimum(np.searchsorted(pesos, rng.random(n)), len(pool) - 1)
    return pool[indice]


def sortear_apellidos(
    rng: np.random.Generator, origen: np.ndarray, lengua: np.ndarray
) -> np.ndarray:
    """One surname per row.

    ``origen`` (rows x 3) holds the shares of Quechua, Aimara and Amazonian
    surnames among the Spanish speakers of the place; ``lengua`` the mother
    tongue of each row, so that an Aimara speaker mostly gets Aimara surnames.
    """
    n = len(lengua)
    salida = _zipf(rng, POOL_GENERAL, n)
    u = rng.random(n)
    for etiqueta, pool, parte in (
        ("QUECHUA", POOL_QUECHUA, 0.7),
        ("AIMARA", POOL_AIMARA, 0.7),
        ("ASHANINKA", POOLS_PUEBLO["ASHANINKA"], 0.6),
        ("AWAJUN", POOLS_PUEBLO["AWAJUN"], 0.7),
        ("SHIPIBO-KONIBO", POOLS_PUEBLO["SHIPIBO-KONIBO"], 0.5),
        ("OTRA LENGUA ORIGINARIA", POOL_AMAZONICO, 0.6),
    ):
        elegidos = (lengua == etiqueta) & (u < parte)
        salida[elegidos] = _zipf(rng, pool, int(elegidos.sum()))
    # Spanish speakers still carry the surnames of the place.
    castellano = lengua == "CASTELLANO"
    limite = np.zeros(n)
    for columna, pool in enumerate((POOL_QUECHUA, POOL_AIMARA, POOL_AMAZONICO)):
        elegidos = castellano & (u >= limite) & (u < limite + origen[:, columna])
        limite = limite + origen[:, columna]
        salida[elegidos] = _zipf(rng, pool, int(elegidos.sum()))
    return salida


def sortear_nombres(
    rng: np.random.Generator, mujer: np.ndarray, reciente: float
) -> tuple[np.ndarray, np.ndarray]:
    """First name and optional second name (-1 when absent), by sex.

    ``reciente`` is the share of names in fashion among today's children.
    """
    n = len(mujer)
    primero = np.empty(n, dtype=np.int32)
    segundo = np.full(n, -1, dtype=np.int32)
    usa_reciente = rng.random(n) < reciente
    for sexo in (0, 1):
        for moda, pools in ((True, NOMBRES_RECIENTES), (False, NOMBRES_TRADICIONALES)):
            elegidos = (mujer == sexo) & (usa_reciente == moda)
            primero[elegidos] = _zipf(rng, pools[sexo], int(elegidos.sum()))
        dos = (mujer == sexo) & (rng.random(n) < 0.35)
        segundo[dos] = _zipf(rng, NOMBRES_TRADICIONALES[sexo], int(dos.sum()))
    segundo[segundo == primero] = -1
    return primero, segundo


def texto_nombres(primero: np.ndarray, segundo: np.ndarray) -> list[str]:
    uno = NOMBRES_ARRAY[primero]
    dos = NOMBRES_ARRAY[np.maximum(segundo, 0)]
    return [
        a if s < 0 else f"{a} {b}" for a, b, s in zip(uno, dos, segundo, strict=True)
    ]


def correo(nombre: str, apellido: str, numero: int) -> str:
    """An address under example.com, so that no real person gets our e-mail."""

    def ascii_(texto: str) -> str:
        sin = unicodedata.normalize("NFD", texto.split()[0].lower())
        return "".join(c for c in sin if c.isascii() and c.isalpha())

    return f"{ascii_(nombre)}.{ascii_(apellido)}{numero}@example.com"
