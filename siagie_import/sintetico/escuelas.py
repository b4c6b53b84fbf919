"""The schools (IIEE): one per código modular and nivel, grouped in locales.

Each distrito's students (year one) are split into urban and rural, then by
nivel, and filled with schools whose sizes follow log-normal laws: urban schools
are big and some are private, rural schools are small and many. Some secundarias
and inicial schools share the local (CODLOCAL) of a primaria, and private
"colegios" often hold the three niveles in one local.

At demo scale only a few UGELs of the region are kept (the capital's first,
then others in an order drawn from the seed), and within them a random share of
the locales, so that the year-one enrollment is close to the number asked for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .geografia import Geografia, Ugel

ESTUDIANTES_NACIONAL = 6_000_000

INICIAL, PRIMARIA, SECUNDARIA = 0, 1, 2
NOMBRE_NIVEL = ("INICIAL", "PRIMARIA", "SECUNDARIA")
GRADOS = ((3, 4, 5), (1, 2, 3, 4, 5, 6), (1, 2, 3, 4, 5))
# A "paso" is the position in the 14 grades of EBR: inicial 3, 4, 5 años are
# 0-2, primaria 1-6 are 3-8, secundaria 1-5 are 9-13. Normal age = paso + 3.
PASO_NIVEL = np.array([0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2], dtype=np.int8)
PASO_GRADO = np.array([3, 4, 5, 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5], dtype=np.int8)
PRIMER_PASO = (0, 3, 9)
ULTIMO_PASO = 13

# Year-one enrollment by grade, relative to an age cohort.
COBERTURA = (
    (0.75, 0.9, 0.95),
    (1.03, 1.03, 1.03, 1.03, 1.03, 1.03),
    (1.0, 0.95, 0.9, 0.85, 0.8),
)
PARTE_NIVEL = tuple(sum(c) / sum(sum(x) for x in COBERTURA) for c in COBERTURA)

# Mean size and log spread of schools, by area and nivel.
TAMANO = {
    ("urbana", "publica"): ((110, 0.5), (380, 0.6), (450, 0.6)),
    ("urbana", "privada"): ((70, 0.6), (170, 0.7), (160, 0.7)),
    ("rural", "publica"): ((28, 0.5), (50, 0.6), (100, 0.5)),
}
PARTE_PRIVADA = (0.30, 0.25, 0.22)

PATRONOS = (
    "SAN JUAN BAUTISTA", "SANTA ROSA DE LIMA", "VIRGEN DEL CARMEN",
    "SAN MARTIN DE PORRES", "JOSE CARLOS MARIATEGUI", "INCA GARCILASO DE LA VEGA",
    "MIGUEL GRAU", "TUPAC AMARU", "CESAR VALLEJO", "JOSE MARIA ARGUEDAS",
    "FRANCISCO BOLOGNESI", "ANDRES AVELINO CACERES", "MICAELA BASTIDAS", "JOSE OLAYA",
    "RICARDO PALMA", "SIMON BOLIVAR", "JOSE DE SAN MARTIN", "NUESTRA SEÑORA DE FATIMA",
    "SAGRADO CORAZON DE JESUS", "MARIA AUXILIADORA", "NIÑO JESUS", "LOS ANGELES",
    "SANTA ANA", "SAN FRANCISCO DE ASIS", "MARISCAL CASTILLA", "HEROES DEL CENEPA",
    "JORGE BASADRE", "CIRO ALEGRIA", "ABRAHAM VALDELOMAR", "DANIEL ALCIDES CARRION",
    "MANUEL GONZALEZ PRADA", "TERESA GONZALEZ DE FANNING",
)  # fmt: skip
PRIVADOS = (
    "SANTA MARIA", "SAN AGUSTIN", "LOS PINOS", "NUEVO AMANECER", "MI MUNDO FELIZ",
    "SAN JOSE", "SANTO DOMINGO", "SAN IGNACIO DE LOYOLA", "CRISTO REY",
    "EL BUEN PASTOR", "LA CASA DEL SABER", "LOS EDUCADORES", "PITAGORAS",
    "SAN LUIS GONZAGA", "SANTA TERESITA",
)  # fmt: skip


@dataclass
class Escuelas:
    """Column arrays, one entry per school (código modular)."""

    cod_mod: np.ndarray  # object, 7-digit strings
    codlocal: np.ndarray  # object, 6-digit strings
    local: np.ndarray  # int, local index
    nombre: np.ndarray  # object
    nivel: np.ndarray  # int8
    niv_mod: np.ndarray  # object: A2, A3, B0, F0
    gestion: np.ndarray  # int8: 1, 2, 3
    ubigeo: np.ndarray  # object
    rural: np.ndarray  # bool
    ugel: np.ndarray  # int, index into Universo.ugels
    tamano: np.ndarray  # int, year-one students
    grados: np.ndarray  # int (n, 6): year-one students by grade
    lat: np.ndarray
    lon: np.ndarray
    efecto: np.ndarray  # float: school random effect on dropout (logit)
    calidad: np.ndarray  # float: effect on grades

    def __len__(self) -> int:
        return len(self.cod_mod)

    def tomar(self, indices: np.ndarray) -> Escuelas:
        return Escuelas(**{k: v[indices] for k, v in self.__dict__.items()})


@dataclass
class Universo:
    ugels: list[Ugel]
    escuelas: Escuelas
    efecto_distrito: dict[str, float]
    estudiantes_region: int  # year-one students of the whole region, full scale


def _tamanos(
    rng: np.random.Generator, total: float, media: float, sd: float
) -> list[int]:
    """School sizes adding up to about ``total``."""
    if total < 1:
        return []
    n = max(1, int(total / media * 1.3) + 3)
    mu = math.log(media) - sd * sd / 2
    tam = np.maximum(np.rint(rng.lognormal(mu, sd, n)), 5).astype(int)
    while tam.sum() < total:
        mas = np.maximum(np.rint(rng.lognormal(mu, sd, n)), 5).astype(int)
        tam = np.concatenate([tam, mas])
    acumulado = np.cumsum(tam)
    corte = int(np.searchsorted(acumulado, total)) + 1
    tam = tam[:corte]
    if len(tam) > 1 and acumulado[corte - 1] - total > tam[-1] / 2:
        tam = tam[:-1]
    elif len(tam) == 1:
        tam[0] = max(int(round(total)), 5)
    return tam.tolist()


def construir_universo(
    geo: Geografia, ugels: list[Ugel], estudiantes: int, rng: np.random.Generator
) -> Universo:
    """Schools of the given UGELs, sampled down to about ``estudiantes``."""
    filas: list[tuple] = []  # (ugel, ubigeo, rural, nivel, privada, tamano)
    for iu, ugel in enumerate(ugels):
        for ubigeo in ugel.distritos:
            d = geo.distritos[ubigeo]
            total = d.peso * ESTUDIANTES_NACIONAL
            privada = 0.35 if d.zona == "lima" else 1.0
            for nivel in (INICIAL, PRIMARIA, SECUNDARIA):
                por_nivel = total * PARTE_NIVEL[nivel]
                urbana = por_nivel * (1 - d.rural)
                parte_priv = PARTE_PRIVADA[nivel] * (1.4 if d.zona == "lima" else 1.0)
                parte_priv = parte_priv if privada else 0
                for area, gestion, cuanto in (
                    ("urbana", "publica", urbana * (1 - parte_priv)),
                    ("urbana", "privada", urbana * parte_priv),
                    ("rural", "publica", por_nivel * d.rural),
                ):
                    media, sd = TAMANO[(area, gestion)][nivel]
                    for tam in _tamanos(rng, cuanto, media, sd):
                        filas.append(
                            (
                                iu,
                                ubigeo,
                                area == "rural",
                                nivel,
                                gestion == "privada",
                                tam,
                            )
                        )
    n = len(filas)
    iu = np.array([f[0] for f in filas], dtype=np.int32)
    ubigeo = np.array([f[1] for f in filas], dtype=object)
    rural = np.array([f[2] for f in filas], dtype=bool)
    nivel = np.array([f[3] for f in filas], dtype=np.int8)
    privada = np.array([f[4] for f in filas], dtype=bool)
    tamano = np.array([f[5] for f in filas], dtype=np.int64)
    estudiantes_region = int(tamano.sum())

    # Locales: every school starts in its own; some share a primaria's local.
    local = np.arange(n)
    grupos: dict[tuple, list[int]] = {}
    for i in np.flatnonzero(nivel == PRIMARIA):
        grupos.setdefault((ubigeo[i], rural[i], privada[i]), []).append(int(i))
    for nivel_otro, p_publica, p_privada in (
        (SECUNDARIA, 0.4, 0.6),
        (INICIAL, 0.2, 0.6),
    ):
        libres = {k: list(v) for k, v in grupos.items()}
        for i in np.flatnonzero(nivel == nivel_otro):
            clave = (ubigeo[i], rural[i], privada[i])
            candidatas = libres.get(clave)
            p = p_privada if privada[i] else p_publica
            if candidatas and rng.random() < p:
                j = candidatas.pop(int(rng.integers(len(candidatas))))
                local[i] = local[j]

    # Sample down to the size asked for, by whole UGELs then by locales.
    elegidas = np.ones(n, dtype=bool)
    if estudiantes < estudiantes_region * 0.97:
        tam_ugel = np.bincount(iu, weights=tamano, minlength=len(ugels))
        # Within one departamento, the capital's UGEL comes first.
        capital = [k for k, u in enumerate(ugels) if u.codooii[2:4] == "01"]
        un_dpto = len({u.departamento for u in ugels}) == 1
        primero = capital[:1] if capital and un_dpto else []
        resto = [k for k in rng.permutation(len(ugels)).tolist() if k not in primero]
        orden = primero + resto
        k = max(1, min(len(ugels), round(estudiantes / 1700)))
        while k < len(ugels) and tam_ugel[orden[:k]].sum() < estudiantes * 1.05:
            k += 1
        tomadas = orden[:k]
        fraccion = min(1.0, estudiantes / tam_ugel[tomadas].sum())
        elegidas = np.zeros(n, dtype=bool)
        # Locales are taken in a random order while each nivel they hold still
        # has room (per UGEL and area), so that the sample keeps the mix of
        # niveles of the UGEL even with big urban schools.
        tam_local = np.zeros((n, 3))
        np.add.at(tam_local, (local, nivel), tamano)
        for u in tomadas:
            en_ugel = np.flatnonzero(iu == u)
            tomados: set[int] = set()
            for area in (True, False):
                locales = np.unique(local[en_ugel[rural[en_ugel] == area]])
                if len(locales) == 0:
                    continue
                # A little under the share: the last locales overshoot it.
                espacio = 0.96 * fraccion * tam_local[locales].sum(axis=0)
                for k in locales[rng.permutation(len(locales))].tolist():
                    tam = tam_local[k]
                    if np.all(espacio[tam > 0] >= tam[tam > 0] / 2):
                        tomados.add(k)
                        espacio -= tam
            # Every nivel must be there, or students could not move on.
            for niv in (INICIAL, PRIMARIA, SECUNDARIA):
                de_nivel = en_ugel[nivel[en_ugel] == niv]
                if len(de_nivel) and not any(local[i] in tomados for i in de_nivel):
                    tomados.add(int(local[de_nivel[np.argmin(tamano[de_nivel])]]))
            elegidas[en_ugel[np.isin(local[en_ugel], list(tomados))]] = True
        usadas = sorted(set(iu[elegidas].tolist()))
        ugels = [ugels[k] for k in usadas]
        reindex = {old: new for new, old in enumerate(usadas)}
        iu = np.array([reindex.get(int(x), -1) for x in iu], dtype=np.int32)

    idx = np.flatnonzero(elegidas)
    # Keep schools ordered by UGEL, distrito, local, nivel: stable files.
    idx = idx[np.lexsort((nivel[idx], local[idx], ubigeo[idx].astype(str), iu[idx]))]
    n = len(idx)
    iu, ubigeo, rural = iu[idx], ubigeo[idx], rural[idx]
    nivel, privada, tamano, local = nivel[idx], privada[idx], tamano[idx], local[idx]
    _, local = np.unique(local, return_inverse=True)
    n_locales = int(local.max()) + 1 if n else 0

    gestion = np.where(privada, 3, np.where(rng.random(n) < 0.04, 2, 1)).astype(np.int8)
    # A local keeps one gestión.
    primera = np.zeros(n_locales, dtype=np.int64)
    primera[local[::-1]] = np.arange(n)[::-1]
    gestion = gestion[primera[local]]

    cod_mod = rng.choice(1_600_000, size=n, replace=False) + 200_000
    cod_mod = np.array([f"{c:07d}" for c in cod_mod], dtype=object)
    codlocal_num = rng.choice(900_000, size=n_locales, replace=False) + 100_000
    codlocal = np.array([f"{codlocal_num[x]:06d}" for x in local], dtype=object)

    niv_mod = np.array(["A2", "B0", "F0"], dtype=object)[nivel]
    cuna = (nivel == INICIAL) & ~rural & (rng.random(n) < 0.15)
    niv_mod[cuna] = "A3"

    # Names: a local keeps one name (an integrated IE); public ones carry a number.
    nombres_local = []
    numeros = rng.choice(np.arange(100, 99999), size=n_locales, replace=False)
    patrono = rng.integers(len(PATRONOS), size=n_locales)
    privado = rng.integers(len(PRIVADOS), size=n_locales)
    con_patrono = rng.random(n_locales)
    nivel_local = np.full(n_locales, 9)
    np.minimum.at(nivel_local, local, np.where(nivel == INICIAL, 5, nivel))
    gestion_local = np.zeros(n_locales, dtype=np.int8)
    gestion_local[local] = gestion
    for k in range(n_locales):
        if gestion_local[k] == 3:
            nombres_local.append(PRIVADOS[privado[k]])
        elif nivel_local[k] == SECUNDARIA and con_patrono[k] < 0.8:
            nombres_local.append(PATRONOS[patrono[k]])
        elif con_patrono[k] < 0.3:
            nombres_local.append(f"{numeros[k]} {PATRONOS[patrono[k]]}")
        else:
            nombres_local.append(str(numeros[k]))
    nombre = np.array(nombres_local, dtype=object)[local]

    geo_lat = np.array([geo.distritos[u].lat for u in ubigeo], dtype=float)
    geo_lon = np.array([geo.distritos[u].lon for u in ubigeo], dtype=float)
    dispersion = np.where(rural, 0.05, 0.012)
    lat_local = rng.normal(0, 1, n_locales)
    lon_local = rng.normal(0, 1, n_locales)
    lat = np.round(geo_lat + dispersion * lat_local[local], 6)
    lon = np.round(geo_lon + dispersion * lon_local[local], 6)

    grados = np.zeros((n, 6), dtype=np.int64)
    for niv in (INICIAL, PRIMARIA, SECUNDARIA):
        sel = np.flatnonzero(nivel == niv)
        partes = np.array(COBERTURA[niv]) / sum(COBERTURA[niv])
        for i in sel:
            grados[i, : len(partes)] = rng.multinomial(tamano[i], partes)

    efecto = rng.normal(0.0, 0.30, n)
    calidad = -0.5 * efecto + rng.normal(0.0, 0.25, n)
    distritos = sorted(set(ubigeo.tolist()))
    efecto_distrito = dict(
        zip(distritos, rng.normal(0.0, 0.25, len(distritos)).tolist(), strict=True)
    )
    escuelas = Escuelas(
        cod_mod=cod_mod,
        codlocal=codlocal,
        local=local,
        nombre=nombre,
        nivel=nivel,
        niv_mod=niv_mod,
        gestion=gestion,
        ubigeo=ubigeo,
        rural=rural,
        ugel=iu,
        tamano=tamano,
        grados=grados,
        lat=lat,
        lon=lon,
        efecto=efecto,
        calidad=calidad,
    )
    return Universo(ugels, escuelas, efecto_distrito, estudiantes_region)
