"""The documented dropout process of the synthetic data.

One UGEL is simulated at a time (students move only between the IEs of their
UGEL), for the consecutive years asked for. Every student carries a state from
year to year: IE, grade, date of birth, latent ability, household (CSE, Juntos,
guardian's education and relation), a propensity to work, mother tongue,
disability, repeated grades, past interruptions and school changes.

Year one
    Every IE is filled grade by grade. Each student gets a past: repeated grades
    and interruptions drawn from a yearly hazard that grows with poverty,
    rurality and disability and falls with ability; extraedad (age over the
    normal age for the grade: 6 years on 31 March in 1.º de primaria) follows
    from that past and from late entry.

Each year t
    1. Work: TRABAJA and its weekly hours grow with age, rurality, poverty and
       being a boy (plus a persistent personal propensity).
    2. Attendance: per period 1-4, DIAS_LECTIVOS of about 45-50 and unexcused
       absences binomial with a rate that grows with poverty, rurality, work
       and its hours, disability, extraedad, low ability and the unobserved
       term, plus a school-year effect; excused absences are rare.
    3. Grades (primaria and secundaria; MATEMATICA and COMUNICACION, periods
       1-4 and FINAL on the AD/A/B/C scale) from ability, the school's quality,
       attendance and noise. SITUACION_FINAL: DESAPROBADO with both areas at C
       or more than 30 % unexcused absences, REQUIERE RECUPERACION with one
       area at C (resolved in the summer: 80 % pass), APROBADO otherwise;
       1.º de primaria and inicial are always promoted. In 5.º de secundaria
       the file shows the result after recuperación (so that a graduate is
       always an APROBADO of 5.º). A third of the secundaria schools (by
       código modular) write the grade on the vigesimal scale instead, as some
       SIAGIE records do: C as 5-10, B 11-13, A 14-17, AD 18-20, spread over
       the band by position, not drawn (the random streams stay as they were).
    4. The propensity to leave, q = logistic(lp), with lp = BASE[grade]
       + 0.35 extraedad (0-5) + 0.25 per repeated grade + 0.35 if REPITE now
       + 0.7 if ever interrupted + 0.25 per further interruption
       + 0.1 per school change + 5.0 (share of unexcused absences - 0.05)
       - 0.45 (mean final grade, C=1 ... AD=4, minus 2.5)
       + 0.45 if DESAPROBADO, + 0.2 if REQUIERE RECUPERACION
       + 0.3 if TRABAJA + 0.02 per weekly hour over 10
       + 0.2 POBRE, + 0.35 POBRE EXTREMO, - 0.3 with Juntos
       + guardian's education (SIN NIVEL +0.4 ... SUPERIOR -0.25)
       + 0.2 if the guardian is not a parent + 0.05 rural IE
       + 0.2 indigenous mother tongue + 0.35 foreign document (CE, pasaporte)
       + 0.45 disability + in secundaria 0.35 for girls of 15 or more and 0.15
       for boys - 0.4 private IE
       + school effect (sd 0.30) + district effect (sd 0.25)
       + unobserved student term (sd 0.30, fixed for the student).
       BASE is low in primaria, higher in 6.º de primaria (the transition to
       secundaria) and rises through secundaria.
    5. Mid-year events: a share RETIRO (0.3) of q leaves during the year
       (RETIRADO, rows stop at the period of leaving); a few die (FALLECIDO,
       0.03 %); about 2 % urban / 1 % rural move to another IE of the same nivel
       in the UGEL (a TRASLADADO row at the old IE and a second row the same
       year at the new one, grades split between them).
    6. The oracle: the probability that the student is not enrolled anywhere
       in t+1. A student who left during the year comes back with probability
       VUELVE_RETIRADO (0.15), so p = 0.85; for the others p = q (1 - RETIRO)
       / (1 - q RETIRO), which makes the mean of p over everyone equal to the
       rate of absence. The absence in t+1 is drawn with exactly this p for
       everyone but those who die or finish 5.º de secundaria. The oracle
       file, like the dropout label, leaves out those who die and every 5.º
       de secundaria student (passed or not).

Between years
    Promoted students move up (inicial 5 años to 1.º de primaria, usually to
    the primaria of the same local or distrito; 6.º de primaria to 1.º de
    secundaria, usually changing código modular); DESAPROBADO repeat (REPITE);
    2-4 % change IE within the nivel. A new cohort enters inicial 3 años, and
    INGRESANTE also arrive in inicial 4-5 and 1.º de primaria (more in rural
    areas) and, rarely, in any grade (late entrants and migrants). A dropout
    comes back a year later with probability 0.14 or two years later with 0.06
    (less for older students, never from 19) as REENTRANTE, at the grade after
    the last one passed.

Calibration (seed 42, 2022-2026): the whole country gives yearly dropout of
about 0.9 % in inicial, 1.1 % in primaria (0.7 % urban, 1.9 % rural) and 4.4 %
in secundaria (3 % urban, 7 % rural); the Cusco demo 1-1.5 % and 4-6 %. A
gradient-boosting model on the files' own features reaches a ROC-AUC of about
0.88 where the oracle has 0.90.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import nombres as nom
from .codigos import codigos_estudiante, dni, mezclar
from .escritura import Salidas
from .escuelas import (
    GRADOS,
    INICIAL,
    NOMBRE_NIVEL,
    PASO_GRADO,
    PASO_NIVEL,
    PRIMARIA,
    PRIMER_PASO,
    SECUNDARIA,
    ULTIMO_PASO,
    Escuelas,
)
from .geografia import Geografia
from .personal import Personal

BASE = np.array(
    [-5.0, -5.2, -4.9]  # inicial 3, 4, 5 años
    + [-5.65, -5.65, -5.55, -5.45, -5.25, -4.4]  # primaria 1-6
    + [-4.75, -4.55, -4.25, -3.95, -5.3]  # secundaria 1-5
)
EDUCACION_APODERADO = np.array([0.4, 0.3, 0.2, 0.1, 0.0, -0.25])
SD_ESTUDIANTE = 0.30
RETIRO = 0.3
VUELVE_RETIRADO = 0.15
P_MUERTE = 0.0003
REINGRESO = (0.14, 0.06)

ACTIVO, FUERA, EGRESADO, MUERTO = 0, 1, 2, 3
INGRESANTE, PROMOVIDO, REPITE, REENTRANTE = 0, 1, 2, 3
APROBADO, DESAPROBADO, RECUPERACION, RETIRADO, TRASLADADO, FALLECIDO = range(6)

SITUACION_MATRICULA = np.array(
    ["INGRESANTE", "PROMOVIDO", "REPITE", "REENTRANTE"], dtype=object
)
SITUACION_FINAL = np.array(
    [
        "APROBADO",
        "DESAPROBADO",
        "REQUIERE RECUPERACION",
        "RETIRADO",
        "TRASLADADO",
        "FALLECIDO",
    ],
    dtype=object,
)
LENGUAS = (
    "CASTELLANO", "QUECHUA", "AIMARA", "ASHANINKA", "AWAJUN", "SHIPIBO-KONIBO",
    "OTRA LENGUA ORIGINARIA", "LENGUA EXTRANJERA",
)  # fmt: skip
LENGUAS_ARRAY = np.array(LENGUAS, dtype=object)
DISCAPACIDADES = np.array(
    ["NINGUNA", "INTELECTUAL", "FISICA", "VISUAL", "AUDITIVA",
     "TRASTORNO DEL ESPECTRO AUTISTA"],
    dtype=object,
)  # fmt: skip
CSE = np.array(["NO POBRE", "POBRE", "POBRE EXTREMO"], dtype=object)
EDUCACION = np.array(
    ["SIN NIVEL", "PRIMARIA INCOMPLETA", "PRIMARIA COMPLETA", "SECUNDARIA INCOMPLETA",
     "SECUNDARIA COMPLETA", "SUPERIOR"],
    dtype=object,
)  # fmt: skip
PARENTESCOS = np.array(
    ["MADRE", "PADRE", "ABUELO(A)", "TIO(A)", "HERMANO(A)", "OTRO"], dtype=object
)
DOCUMENTOS = np.array(["DNI", "CE", "PASAPORTE", "SIN DOCUMENTO"], dtype=object)
SEXOS = np.array(["HOMBRE", "MUJER"], dtype=object)
SI_NO = np.array(["NO", "SI"], dtype=object)
LETRAS = np.array(["C", "B", "A", "AD"], dtype=object)
# The vigesimal band of each letter (C, B, A, AD): first grade and width.
VIGESIMAL_DESDE = np.array([5, 11, 14, 18])
VIGESIMAL_ANCHO = np.array([6, 3, 4, 3])
AREAS = np.array(["MATEMATICA", "COMUNICACION"], dtype=object)
PERIODOS = np.array(["1", "2", "3", "4", "FINAL"], dtype=object)
NIVELES = np.array(NOMBRE_NIVEL, dtype=object)
# Period starts (month, day) for transfer dates, and school days per period.
INICIO_PERIODO = ((3, 11), (5, 20), (8, 5), (10, 14))
DIAS_BASE = np.array([48, 47, 49, 46])
UMBRAL_PERIODO = np.array([-1.75, -0.45, 0.9])
UMBRAL_FINAL = {
    PRIMARIA: np.array([-2.0, -0.5, 0.8]),
    SECUNDARIA: np.array([-1.85, -0.45, 0.9]),
}

# Mother tongue by profile of the distrito: (rural, urban) shares.
PERFIL_LENGUA = {
    "QUECHUA_FUERTE": ({"QUECHUA": 0.62}, {"QUECHUA": 0.16}),
    "AIMARA": ({"AIMARA": 0.55, "QUECHUA": 0.1}, {"AIMARA": 0.15, "QUECHUA": 0.05}),
    "QUECHUA_MEDIO": ({"QUECHUA": 0.3}, {"QUECHUA": 0.05}),
    "QUECHUA_DEBIL": ({"QUECHUA": 0.03}, {"QUECHUA": 0.01}),
    "COSTA": (
        {"QUECHUA": 0.04},
        {"QUECHUA": 0.02, "AIMARA": 0.003, "LENGUA EXTRANJERA": 0.002},
    ),
}
for _pueblo in ("ASHANINKA", "AWAJUN", "SHIPIBO-KONIBO", "OTRA LENGUA ORIGINARIA"):
    PERFIL_LENGUA[_pueblo] = ({_pueblo: 0.3, "QUECHUA": 0.02}, {_pueblo: 0.04})
# Shares of Quechua, Aimara and Amazonian surnames among Spanish speakers.
ORIGEN_APELLIDOS = {
    "lima": (0.18, 0.03, 0.01),
    "costa": (0.12, 0.03, 0.0),
    "sierra": (0.35, 0.0, 0.0),
    "selva": (0.08, 0.0, 0.3),
}
# (extremo, pobre) by zona, rural / urban.
POBREZA = {
    ("lima", True): (0.08, 0.35), ("lima", False): (0.02, 0.18),
    ("costa", True): (0.12, 0.40), ("costa", False): (0.04, 0.22),
    ("sierra", True): (0.30, 0.45), ("sierra", False): (0.07, 0.30),
    ("selva", True): (0.28, 0.47), ("selva", False): (0.08, 0.32),
}  # fmt: skip


# Serial numbers must stay below these for codes and DNIs to be distinct.
def sigmoide(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _fechas(dias: np.ndarray) -> list[str]:
    return np.datetime_as_string(dias.astype("datetime64[D]"), unit="D").tolist()


def _dia(anio, mes, dia) -> np.ndarray:
    """Days since 1970-01-01 of the given dates (scalars or arrays)."""
    meses = (np.asarray(anio) - 1970) * 12 + (np.asarray(mes) - 1)
    primero = meses.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    return primero + (np.asarray(dia) - 1)


def _categorica(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    u = rng.random(len(probs))[:, None]
    return np.minimum((probs.cumsum(axis=1) < u).sum(axis=1), probs.shape[1] - 1)


_CAMPOS = {
    "serial": np.int64, "mujer": np.int8, "nac": np.int64, "tipo_doc": np.int8,
    "ap_pat": np.int32, "ap_mat": np.int32, "nom1": np.int32, "nom2": np.int32,
    "lengua": np.int8, "disc": np.int8, "hab": np.float64, "u": np.float64,
    "pobreza": np.int8, "juntos": bool, "educ": np.int8, "parent": np.int8,
    "w_trab": np.float64, "ie": np.int64, "paso": np.int8, "repet": np.int16,
    "interrup": np.int16, "cambios": np.int16, "estado": np.int8,
    "anio_ultimo": np.int16, "aprobado": bool, "volvio": bool, "clave": np.float64,
    "sm": np.int8, "fmat": np.int64, "corte": np.int64,
}  # fmt: skip


@dataclass
class _Filas:
    """The nómina rows of a year: students (index in the year) and where."""

    est: np.ndarray
    ie: np.ndarray
    seccion: np.ndarray
    etiqueta: np.ndarray
    fmat: np.ndarray
    final: np.ndarray


class Poblacion:
    """Column arrays of every student the UGEL ever had."""

    def __init__(self) -> None:
        for campo, tipo in _CAMPOS.items():
            setattr(self, campo, np.zeros(0, dtype=tipo))

    def __len__(self) -> int:
        return len(self.serial)

    def agregar(self, **valores: np.ndarray) -> None:
        for campo, tipo in _CAMPOS.items():
            setattr(
                self,
                campo,
                np.concatenate([getattr(self, campo), valores[campo].astype(tipo)]),
            )


@dataclass(frozen=True)
class Piloto:
    """A simulated pilot's planted effect: in school year `anio`, each
    student of school `cod_mod` sees their chance of not coming back the next
    year cut by the share `recorte[cod_mod]` (0 to 1; schools absent, or at
    0, keep it). A cut, not a subtraction: no chance goes below zero, so the
    planted effect is exactly what ``piloto_<anio>.csv`` reports. The same
    random draws decide who leaves, so without a cut every file is the one
    written without a pilot."""

    anio: int
    recorte: dict[str, float]


@dataclass
class Conteos:
    """What a UGEL run leaves for the summary and the padrón."""

    talumno: np.ndarray  # students per IE in the year before the last
    estudiantes: int  # students ever
    personas: int  # staff ever


class SimulacionUgel:
    """Simulate one UGEL over the years and append its rows to the files."""

    def __init__(
        self,
        *,
        escuelas: Escuelas,
        geo: Geografia,
        efecto_distrito: dict[str, float],
        anios: list[int],
        rng: np.random.Generator,
        semilla: int,
        base_estudiante: int,
        base_personal: int,
        salidas: Salidas,
        piloto: Piloto | None = None,
    ) -> None:
        self.esc = escuelas
        self.piloto = piloto
        self.recorte_ie = np.array(
            [piloto.recorte.get(c, 0.0) if piloto else 0.0 for c in escuelas.cod_mod],
            dtype=float,
        )
        self.anios = anios
        self.rng = rng
        self.semilla = semilla
        self.salidas = salidas
        self.base_estudiante = base_estudiante
        self.base_personal = base_personal
        self.pob = Poblacion()
        n_ie = len(escuelas)
        distritos = [geo.distritos[u] for u in escuelas.ubigeo]
        self.zona_ie = np.array([d.zona for d in distritos], dtype=object)
        self.rural_ie = escuelas.rural
        self.priv_ie = escuelas.gestion == 3
        self.vigesimal_ie = (escuelas.nivel == SECUNDARIA) & np.array(
            [int(c) % 3 == 0 for c in escuelas.cod_mod.tolist()], dtype=bool
        )
        self.nivel_ie = escuelas.nivel
        self.efecto_ie = escuelas.efecto + np.array(
            [efecto_distrito[u] for u in escuelas.ubigeo]
        )
        _, self.dist_ie = np.unique(escuelas.ubigeo.astype(str), return_inverse=True)
        _, self.local_ie = np.unique(escuelas.local, return_inverse=True)
        n_loc = int(self.local_ie.max()) + 1
        self.local_nivel = np.full((n_loc, 3), -1, dtype=np.int64)
        self.local_nivel[self.local_ie, self.nivel_ie] = np.arange(n_ie)
        self.peso_ie = np.maximum(escuelas.tamano, 5).astype(float)

        # Per-IE distributions for new students.
        self.p_lengua = np.zeros((n_ie, len(LENGUAS)))
        self.p_pobreza = np.zeros((n_ie, 3))
        self.origen = np.zeros((n_ie, 3))
        for i, d in enumerate(distritos):
            rural = bool(escuelas.rural[i])
            tabla = PERFIL_LENGUA[d.perfil_lengua][0 if rural else 1]
            factor = 0.3 if self.priv_ie[i] else 1.0
            for lengua, parte in tabla.items():
                self.p_lengua[i, LENGUAS.index(lengua)] = parte * factor
            self.p_lengua[i, 0] = 1.0 - self.p_lengua[i, 1:].sum()
            extremo, pobre = POBREZA[(d.zona, rural)]
            if self.priv_ie[i]:
                extremo, pobre = 0.005, 0.08
            self.p_pobreza[i] = (1 - extremo - pobre, pobre, extremo)
            origen = ORIGEN_APELLIDOS[d.zona]
            if d.perfil_lengua == "AIMARA":
                origen = (0.1, 0.35, 0.0)
            elif d.perfil_lengua == "QUECHUA_DEBIL":
                origen = (0.12, 0.0, 0.0)
            self.origen[i] = origen

        self.personal = Personal(
            escuelas=escuelas,
            local_ie=self.local_ie,
            origen=self.origen,
            rng=rng,
            semilla=semilla,
            base_personal=base_personal,
            salidas=salidas,
        )
        self.talumno = np.zeros(n_ie, dtype=np.int64)

    # ----------------------------------------------------------------- helpers

    def _edad(self, nac: np.ndarray, anio: int) -> np.ndarray:
        """Age in completed years on 31 March of ``anio``."""
        dias = nac.astype("datetime64[D]")
        anio_nac = dias.astype("datetime64[Y]").astype(np.int64) + 1970
        mes = dias.astype("datetime64[M]").astype(np.int64) % 12
        return anio - anio_nac - (mes >= 3)

    def _nacimiento(self, edad: np.ndarray, anio: int) -> np.ndarray:
        """A date of birth giving ``edad`` on 31 March of ``anio``."""
        inicio = _dia(anio - edad - 1, 4, 1)
        return inicio + self.rng.integers(0, 365, len(edad))

    def _elegir(
        self,
        nivel: np.ndarray | int,
        origen: np.ndarray,
        p_local: float = 0.0,
        excluir: np.ndarray | None = None,
    ) -> np.ndarray:
        """An IE of ``nivel`` for students coming from the IEs ``origen``.

        The IE of that nivel in the same local first (with ``p_local``), then
        one of the same distrito, weighted by size and keeping to private or
        public schools, then any IE of the UGEL, same area preferred. Where no
        other IE exists, the IE in ``excluir`` comes back.
        """
        rng = self.rng
        n = len(origen)
        nivel = np.broadcast_to(np.asarray(nivel, dtype=np.int8), (n,))
        salida = np.full(n, -1, dtype=np.int64)
        if n == 0:
            return salida
        privado = self.priv_ie[origen]
        quiere_priv = np.where(privado, rng.random(n) < 0.75, rng.random(n) < 0.04)
        if p_local > 0:
            en_local = self.local_nivel[self.local_ie[origen], nivel]
            usa = (en_local >= 0) & (rng.random(n) < p_local)
            if excluir is not None:
                usa &= en_local != excluir
            salida[usa] = en_local[usa]
        pendientes = np.flatnonzero(salida < 0)
        grupo = (
            self.dist_ie[origen[pendientes]] * 6
            + nivel[pendientes] * 2
            + quiere_priv[pendientes]
        )
        for g in np.unique(grupo):
            sel = pendientes[grupo == g]
            d, resto = divmod(int(g), 6)
            niv, priv = divmod(resto, 2)
            candidatas = np.flatnonzero((self.dist_ie == d) & (self.nivel_ie == niv))
            if len(candidatas) == 0:
                continue
            peso = self.peso_ie[candidatas] * np.where(
                self.priv_ie[candidatas] == bool(priv), 1.0, 0.02
            )
            salida[sel] = rng.choice(candidatas, size=len(sel), p=peso / peso.sum())
        for _ in range(3):
            malos = salida < 0
            if excluir is not None:
                malos |= salida == excluir
            malos = np.flatnonzero(malos)
            if len(malos) == 0:
                break
            grupo = (
                nivel[malos] * 4 + self.rural_ie[origen[malos]] * 2 + quiere_priv[malos]
            )
            for g in np.unique(grupo):
                sel = malos[grupo == g]
                niv, resto = divmod(int(g), 4)
                rural, priv = divmod(resto, 2)
                candidatas = np.flatnonzero(self.nivel_ie == niv)
                if len(candidatas) == 0:
                    continue
                peso = (
                    self.peso_ie[candidatas]
                    * np.where(self.rural_ie[candidatas] == bool(rural), 3.0, 1.0)
                    * np.where(self.priv_ie[candidatas] == bool(priv), 1.0, 0.05)
                )
                salida[sel] = rng.choice(candidatas, size=len(sel), p=peso / peso.sum())
        if excluir is not None:
            salida[salida < 0] = excluir[salida < 0]
        if (salida < 0).any():
            # Every UGEL has every nivel (escuelas.construir_universo sees to it).
            raise RuntimeError("No IE of the nivel needed in this UGEL.")
        return salida

    # -------------------------------------------------------- creating students

    def _crear(
        self,
        ie: np.ndarray,
        paso: np.ndarray,
        anio: int,
        *,
        historia: bool,
        tardio: np.ndarray | None = None,
    ) -> None:
        """Add new students at IEs ``ie`` and grades ``paso``, enrolled in ``anio``.

        ``historia``: year-one students, who get a past. ``tardio``: students
        entering a grade that is not an entry grade (late entrants, migrants).
        """
        rng = self.rng
        n = len(ie)
        if n == 0:
            return
        rural = self.rural_ie[ie]
        privado = self.priv_ie[ie]
        zona = self.zona_ie[ie]
        mujer = (rng.random(n) < 0.49).astype(np.int8)
        lengua = _categorica(rng, self.p_lengua[ie])
        pobreza = _categorica(rng, self.p_pobreza[ie])
        p_juntos = np.select(
            [pobreza == 2, pobreza == 1],
            [np.where(rural, 0.75, 0.4), np.where(rural, 0.45, 0.12)],
            0.0,
        )
        juntos = rng.random(n) < p_juntos
        latente = (
            rng.normal(0, 1, n) - 0.6 * pobreza - 0.5 * rural + 0.8 * privado + 0.3
        )
        educ = np.digitize(latente, [-1.9, -1.1, -0.5, 0.1, 0.9]).astype(np.int8)
        parent = _categorica(rng, np.tile([0.70, 0.16, 0.07, 0.03, 0.02, 0.02], (n, 1)))
        disc = np.where(
            rng.random(n) < 0.012,
            1 + _categorica(rng, np.tile([0.35, 0.2, 0.2, 0.1, 0.15], (n, 1))),
            0,
        )
        hab = (
            0.9 * rng.normal(0, 1, n)
            - 0.2 * pobreza
            - 0.15 * rural
            + 0.12 * (educ - 2.5)
            - 0.3 * (disc > 0)
        )
        u = rng.normal(0, SD_ESTUDIANTE, n)
        w_trab = rng.normal(0, 1, n)
        costa = (zona == "lima") | (zona == "costa")
        extranjero = (lengua == 7) | (
            (tardio if tardio is not None else np.zeros(n, bool))
            & costa
            & ~rural
            & (rng.random(n) < 0.5)
        )
        p_sin_doc = np.where((zona == "selva") & rural, 0.05, 0.015)
        tipo_doc = np.where(rng.random(n) < p_sin_doc, 3, 0)
        tipo_doc = np.where(extranjero, np.where(rng.random(n) < 0.85, 1, 2), tipo_doc)
        tipo_doc = np.where(
            ~extranjero & costa & ~rural & (rng.random(n) < 0.008), 1, tipo_doc
        )

        apellidos_lengua = LENGUAS_ARRAY[lengua]
        ap_pat = nom.sortear_apellidos(rng, self.origen[ie], apellidos_lengua)
        ap_mat = nom.sortear_apellidos(rng, self.origen[ie], apellidos_lengua)
        nom1, nom2 = nom.sortear_nombres(rng, mujer, reciente=0.7)

        # The past, and the age it gives.
        anios_escuela = np.maximum(paso.astype(int) - 3, 0)
        extra = np.zeros(n, dtype=np.int64)
        repet = np.zeros(n, dtype=np.int64)
        interrup = np.zeros(n, dtype=np.int64)
        cambios = np.zeros(n, dtype=np.int64)
        sm = np.full(n, INGRESANTE, dtype=np.int8)
        if historia:
            riesgo = sigmoide(
                -4.6 + 0.45 * pobreza + 0.35 * rural - 0.9 * hab + 0.5 * (disc > 0)
            )
            repet = rng.binomial(anios_escuela, riesgo)
            interrup = rng.binomial(anios_escuela, riesgo * 0.12)
            tarde = (paso >= 3) & (rng.random(n) < np.where(rural, 0.05, 0.02))
            extra = repet + interrup + tarde
            cambios = rng.poisson(0.03 * anios_escuela)
            entrada = np.select(
                [paso == 0, paso == 1, paso == 2, paso == 3],
                [1.0, 0.17, 0.06, np.where(rural, 0.15, 0.06)],
                0.0,
            )
            ingresa = rng.random(n) < entrada
            sm = np.where(ingresa, INGRESANTE, PROMOVIDO)
            sm = np.where(~ingresa & (repet > 0) & (rng.random(n) < 0.2), REPITE, sm)
            sm = np.where(
                ~ingresa & (sm == PROMOVIDO) & (interrup > 0) & (rng.random(n) < 0.15),
                REENTRANTE,
                sm,
            )
        else:
            if tardio is not None:
                extra = np.where(tardio, rng.binomial(2, 0.3, n), 0)
            primero = paso == 3
            extra = np.where(
                primero & (rng.random(n) < np.where(rural, 0.15, 0.05)), 1, extra
            )
        extra = np.minimum(extra, 5)
        nac = self._nacimiento(paso.astype(np.int64) + 3 + extra, anio)
        ingresante = sm == INGRESANTE
        fmat = np.where(
            ingresante,
            _dia(anio - 1, 12, 1) + rng.integers(0, 110, n),
            _dia(anio, 1, 5) + rng.integers(0, 70, n),
        )
        if tardio is not None:
            fmat = np.where(tardio, _dia(anio, 3, 1) + rng.integers(0, 150, n), fmat)
        final = self.anios[-1]
        corte = _dia(final - 1, 1, 1) + rng.integers(0, 420, n)

        inicio = self.base_estudiante + len(self.pob)
        self.pob.agregar(
            serial=np.arange(inicio, inicio + n),
            mujer=mujer,
            nac=nac,
            tipo_doc=tipo_doc,
            ap_pat=ap_pat,
            ap_mat=ap_mat,
            nom1=nom1,
            nom2=nom2,
            lengua=lengua,
            disc=disc,
            hab=hab,
            u=u,
            pobreza=pobreza,
            juntos=juntos,
            educ=educ,
            parent=parent,
            w_trab=w_trab,
            ie=ie,
            paso=paso,
            repet=repet,
            interrup=interrup,
            cambios=cambios,
            estado=np.full(n, ACTIVO),
            anio_ultimo=np.full(n, anio),
            aprobado=np.zeros(n, bool),
            volvio=np.zeros(n, bool),
            clave=rng.random(n),
            sm=sm,
            fmat=fmat,
            corte=corte,
        )

    def _poblacion_inicial(self, anio: int) -> None:
        esc = self.esc
        ie, paso = [], []
        for niv in (INICIAL, PRIMARIA, SECUNDARIA):
            for j in range(len(GRADOS[niv])):
                cuantos = esc.grados[:, j] * (esc.nivel == niv)
                ie.append(np.repeat(np.arange(len(esc)), cuantos))
                paso.append(np.full(int(cuantos.sum()), PRIMER_PASO[niv] + j))
        self._crear(np.concatenate(ie), np.concatenate(paso), anio, historia=True)

    def _ingresantes(self, anio: int) -> None:
        """New students of a year after the first: cohorts and late entrants."""
        esc, rng = self.esc, self.rng
        ie, paso, tardio = [], [], []
        for niv in (INICIAL, PRIMARIA, SECUNDARIA):
            for j in range(len(GRADOS[niv])):
                p = PRIMER_PASO[niv] + j
                if p == 0:
                    fraccion = np.ones(len(esc))
                elif p == 1:
                    fraccion = np.full(len(esc), 0.17)
                elif p == 2:
                    fraccion = np.full(len(esc), 0.06)
                elif p == 3:
                    fraccion = np.where(esc.rural, 0.15, 0.06)
                else:
                    fraccion = np.full(len(esc), 0.004)
                media = esc.grados[:, j] * (esc.nivel == niv) * fraccion
                cuantos = rng.poisson(media)
                ie.append(np.repeat(np.arange(len(esc)), cuantos))
                paso.append(np.full(int(cuantos.sum()), p))
                tardio.append(np.full(int(cuantos.sum()), p > 3))
        self._crear(
            np.concatenate(ie),
            np.concatenate(paso),
            anio,
            historia=False,
            tardio=np.concatenate(tardio),
        )

    # --------------------------------------------------------- between years

    def _inicio_de_anio(self, anio: int) -> None:
        P, rng = self.pob, self.rng
        sigue = np.flatnonzero(P.estado == ACTIVO)
        volvio = P.volvio[sigue]
        sube = sigue[P.aprobado[sigue] & ~volvio]
        repite = sigue[~P.aprobado[sigue] & ~volvio]
        reentra = sigue[volvio]
        P.paso[sube] += 1
        P.sm[sube] = PROMOVIDO
        P.sm[repite] = REPITE
        P.repet[repite] += 1
        P.sm[reentra] = REENTRANTE
        P.interrup[reentra] += 1
        P.volvio[reentra] = False

        # Change of nivel: inicial -> primaria, primaria -> secundaria.
        cambia = sube[np.isin(P.paso[sube], (3, 9))]
        nivel = PASO_NIVEL[P.paso[cambia]]
        p_local = np.where(nivel == PRIMARIA, 0.6, 0.75)
        for valor in (0.6, 0.75):
            sel = cambia[p_local == valor]
            P.ie[sel] = self._elegir(PASO_NIVEL[P.paso[sel]], P.ie[sel], p_local=valor)
        # Change of IE within the nivel.
        quedan = np.setdiff1d(sigue, cambia)
        p_cambio = np.where(self.rural_ie[P.ie[quedan]], 0.02, 0.04)
        p_cambio = np.where(self.priv_ie[P.ie[quedan]], 0.06, p_cambio)
        mueve = quedan[rng.random(len(quedan)) < p_cambio]
        nueva = self._elegir(
            PASO_NIVEL[P.paso[mueve]], P.ie[mueve], excluir=P.ie[mueve]
        )
        P.cambios[mueve[nueva != P.ie[mueve]]] += 1
        P.ie[mueve] = nueva
        P.fmat[sigue] = _dia(anio, 1, 5) + rng.integers(0, 70, len(sigue))

        # Dropouts who come back.
        fuera = np.flatnonzero(P.estado == FUERA)
        anios_fuera = anio - P.anio_ultimo[fuera] - 1
        edad = self._edad(P.nac[fuera], anio)
        prob = np.select([anios_fuera == 1, anios_fuera == 2], list(REINGRESO), 0.0)
        prob = prob * np.select(
            [edad < 14, edad >= 19, edad >= 17], [1.3, 0.0, 0.6], 1.0
        )
        vuelve = fuera[rng.random(len(fuera)) < prob]
        edad = self._edad(P.nac[vuelve], anio)
        paso = P.paso[vuelve] + P.aprobado[vuelve]
        en_inicial = paso < 3
        paso = np.where(en_inicial, np.clip(edad - 3, paso, 3), paso)
        paso = np.minimum(paso, ULTIMO_PASO).astype(np.int8)
        mismo_nivel = PASO_NIVEL[paso] == self.nivel_ie[P.ie[vuelve]]
        otra = ~mismo_nivel | (rng.random(len(vuelve)) < 0.3)
        nuevas = self._elegir(PASO_NIVEL[paso[otra]], P.ie[vuelve[otra]], p_local=0.5)
        ie = P.ie[vuelve].copy()
        ie[otra] = nuevas
        P.ie[vuelve] = ie
        P.paso[vuelve] = paso
        P.estado[vuelve] = ACTIVO
        P.sm[vuelve] = REENTRANTE
        P.interrup[vuelve] += 1
        P.aprobado[vuelve] = False
        P.fmat[vuelve] = _dia(anio, 2, 15) + rng.integers(0, 60, len(vuelve))

        self._ingresantes(anio)

    # ---------------------------------------------------------------- a year

    def _secciones(
        self, ie: np.ndarray, paso: np.ndarray, clave: np.ndarray
    ) -> tuple[np.ndarray, dict[int, int]]:
        """Sección index of each student, and the number of secciones per group."""
        grupo = ie * 16 + paso
        orden = np.lexsort((clave, grupo))
        grupos, inicio, cuantos = np.unique(
            grupo[orden], return_index=True, return_counts=True
        )
        rango = np.empty(len(ie), dtype=np.int64)
        rango[orden] = np.arange(len(ie)) - np.repeat(inicio, cuantos)
        ie_g = grupos // 16
        tope = np.where(self.rural_ie[ie_g], 35, np.where(self.priv_ie[ie_g], 25, 30))
        n_sec = np.minimum(-(-cuantos // tope), 26)
        por_grupo = dict(zip(grupos.tolist(), n_sec.tolist(), strict=True))
        posicion = np.searchsorted(grupos, grupo)
        seccion = rango * n_sec[posicion] // cuantos[posicion]
        return seccion, por_grupo

    def _etiquetas(self, ie: np.ndarray, seccion: np.ndarray, n_sec: np.ndarray):
        letras = np.array([chr(65 + k) for k in range(26)], dtype=object)[seccion]
        unica = (n_sec == 1) & self.rural_ie[ie]
        letras[unica] = "ÚNICA"
        return letras

    def anio(self, t: int) -> None:
        P, rng, esc = self.pob, self.rng, self.esc
        if len(P) == 0:
            self._poblacion_inicial(t)
        else:
            self._inicio_de_anio(t)
        m = np.flatnonzero(P.estado == ACTIVO)
        n = len(m)
        P.hab[m] += rng.normal(0, 0.15, n)
        ie0 = P.ie[m].copy()
        paso = P.paso[m].astype(np.int64)
        nivel = PASO_NIVEL[paso]
        rural = self.rural_ie[ie0]
        edad = self._edad(P.nac[m], t)
        extra = edad - (paso + 3)
        extra_pos = np.clip(extra, 0, 5)
        mujer = P.mujer[m]
        pobreza = P.pobreza[m]
        disc = P.disc[m] > 0
        hab, u = P.hab[m], P.u[m]

        # 1. Work.
        e8 = np.clip(edad - 8, 0, 9)
        lt = (
            -5.0 + 0.42 * e8 + 0.9 * rural + 0.45 * pobreza + 0.5 * (1 - mujer)
            + 1.2 * P.w_trab[m]
        )  # fmt: skip
        trabaja = (edad >= 8) & (rng.random(n) < sigmoide(lt))
        horas = np.where(
            trabaja, np.clip(np.rint(rng.gamma(2 + 0.25 * e8, 4.0)), 2, 48), 0
        ).astype(np.int64)

        # 2. Attendance.
        dias_ie = np.clip(DIAS_BASE + rng.integers(-2, 3, (len(esc), 4)), 44, 51)
        asistencia_ie = rng.normal(0, 0.3, len(esc))
        la = (
            -3.6 + 0.3 * pobreza + 0.3 * rural + 0.45 * trabaja + 0.015 * horas
            + 0.35 * disc + 0.15 * np.minimum(extra_pos, 4) - 0.25 * hab + 0.5 * u
            + 0.15 * (nivel == SECUNDARIA) - 0.2 * P.juntos[m] + asistencia_ie[ie0]
            + rng.normal(0, 0.35, n)
        )  # fmt: skip
        tasa_base = sigmoide(la)
        dias = dias_ie[ie0]
        factor = np.array([0.9, 1.0, 1.05, 1.1])
        injust = rng.binomial(dias, np.clip(tasa_base[:, None] * factor, 0, 0.95))
        just = np.minimum(
            rng.binomial(dias, (0.012 + 0.02 * disc)[:, None]), dias - injust
        )
        tasa = injust.sum(1) / dias.sum(1)

        # 3. Grades and final status.
        calidad = esc.calidad[ie0]
        base = (
            hab[:, None] + rng.normal(0, 0.45, (n, 2)) + calidad[:, None]
            - 3.0 * (tasa - 0.05)[:, None]
        )  # fmt: skip
        periodo = base[:, :, None] + rng.normal(0, 0.5, (n, 2, 4))
        nota_final = periodo.mean(axis=2) + rng.normal(0, 0.15, (n, 2))
        letra_periodo = np.digitize(periodo, UMBRAL_PERIODO)
        letra_final = np.where(
            (nivel == SECUNDARIA)[:, None],
            np.digitize(nota_final, UMBRAL_FINAL[SECUNDARIA]),
            np.digitize(nota_final, UMBRAL_FINAL[PRIMARIA]),
        )
        con_notas = nivel > INICIAL
        en_c = (letra_final == 0).sum(axis=1)
        final = np.full(n, APROBADO)
        final[en_c == 1] = RECUPERACION
        final[(en_c == 2) | (tasa > 0.30)] = DESAPROBADO
        final[(paso == 3) | ~con_notas] = APROBADO
        pasa_recuperacion = rng.random(n) < 0.8
        aprobado = (final == APROBADO) | ((final == RECUPERACION) & pasa_recuperacion)
        quinto = paso == ULTIMO_PASO
        final = np.where(
            quinto & (final == RECUPERACION),
            np.where(pasa_recuperacion, APROBADO, DESAPROBADO),
            final,
        )
        nota_media = np.where(con_notas, (letra_final + 1).mean(axis=1), 2.5)

        # 4. Propensity to leave.
        interrup = P.interrup[m]
        sec = nivel == SECUNDARIA
        extranjero = np.isin(P.tipo_doc[m], (1, 2))
        lp = (
            BASE[paso]
            + 0.35 * extra_pos
            + 0.25 * P.repet[m]
            + 0.35 * (P.sm[m] == REPITE)
            + 0.7 * (interrup > 0)
            + 0.25 * np.maximum(interrup - 1, 0)
            + 0.1 * P.cambios[m]
            + 5.0 * (tasa - 0.05)
            - 0.45 * (nota_media - 2.5)
            + 0.45 * (final == DESAPROBADO)
            + 0.2 * (final == RECUPERACION)
            + 0.3 * trabaja
            + 0.02 * np.maximum(horas - 10, 0)
            + np.array([0.0, 0.2, 0.35])[pobreza]
            - 0.3 * P.juntos[m]
            + EDUCACION_APODERADO[P.educ[m]]
            + 0.2 * (P.parent[m] >= 2)
            + 0.05 * rural
            + 0.2 * np.isin(P.lengua[m], (1, 2, 3, 4, 5, 6))
            + 0.35 * extranjero
            + 0.45 * disc
            + sec * (0.35 * ((mujer == 1) & (edad >= 15)) + 0.15 * (mujer == 0))
            - 0.4 * self.priv_ie[ie0]
            + self.efecto_ie[ie0]
            + u
        )
        q = sigmoide(lp)

        # 5. Mid-year events.
        retira = rng.random(n) < q * RETIRO
        k_retiro = rng.choice([2, 3, 4], size=n, p=[0.3, 0.4, 0.3])
        muere = ~retira & (rng.random(n) < P_MUERTE)
        k_muerte = rng.integers(1, 5, n)
        traslada = ~retira & ~muere & (rng.random(n) < np.where(rural, 0.01, 0.02))
        tr = np.flatnonzero(traslada)
        destino = self._elegir(nivel[tr], ie0[tr], excluir=ie0[tr])
        posible = destino != ie0[tr]
        tr, destino = tr[posible], destino[posible]
        traslada[:] = False
        traslada[tr] = True
        k_traslado = rng.integers(1, 4, n)
        ie1 = ie0.copy()
        ie1[tr] = destino
        final[retira] = RETIRADO
        final[muere] = FALLECIDO
        aprobado &= ~(retira | muere)

        # 6. The oracle, and what happens next year.
        p = np.where(retira, 1 - VUELVE_RETIRADO, q * (1 - RETIRO) / (1 - q * RETIRO))
        egresa = quinto & aprobado
        con_oraculo = ~muere & ~egresa
        azar = rng.random(n)
        if self.piloto is not None and t == self.piloto.anio:
            p_piloto = p * (1 - self.recorte_ie[ie0])
            self._escribir_piloto(t, ie0, p, p_piloto, ~muere & ~quinto)
        else:
            p_piloto = p
        deserta = con_oraculo & (azar < p_piloto)

        # Attendance and grades stop when a student leaves or dies.
        hasta = np.full(n, 4)
        hasta[retira] = k_retiro[retira]
        hasta[muere] = k_muerte[muere]
        periodo_ok = np.arange(1, 5)[None, :] <= hasta[:, None]
        ultimo_periodo = np.arange(n), hasta - 1
        salida = retira | muere
        injust[ultimo_periodo] = np.where(
            salida,
            np.rint(dias[ultimo_periodo] * rng.uniform(0.5, 0.9, n)).astype(np.int64),
            injust[ultimo_periodo],
        )
        just[ultimo_periodo] = np.minimum(
            just[ultimo_periodo], dias[ultimo_periodo] - injust[ultimo_periodo]
        )
        notas_ok = np.arange(1, 5)[None, :] < np.where(salida, hasta, 5)[:, None]

        # Rows, in the order of the nóminas: IE, grade, sección, names.
        seccion, por_grupo = self._secciones(ie0, paso, P.clave[m])
        n_sec = np.array([por_grupo[g] for g in (ie0 * 16 + paso).tolist()], dtype=int)
        etiqueta = self._etiquetas(ie0, seccion, n_sec)
        orden = np.lexsort((P.nom1[m], P.ap_mat[m], P.ap_pat[m], seccion, paso, ie0))
        codigos = np.array(codigos_estudiante(P.serial[m], self.semilla), dtype=object)
        # A student moved during the year gets a second row at the new IE, in
        # one of its secciones of the grade.
        llegada = (ie1[tr] * 16 + paso[tr]).tolist()
        n_llegada = np.array([por_grupo.get(g, 1) for g in llegada], dtype=int)
        sec_llegada = (rng.random(len(tr)) * n_llegada).astype(np.int64)
        etiqueta_llegada = self._etiquetas(ie1[tr], sec_llegada, n_llegada)
        inicio_periodo = np.array(INICIO_PERIODO)[k_traslado[tr]]
        fecha_traslado = _dia(t, inicio_periodo[:, 0], inicio_periodo[:, 1])
        fecha_traslado = fecha_traslado + rng.integers(0, 20, len(tr))

        filas = _Filas(
            est=np.concatenate([np.arange(n), tr]),
            ie=np.concatenate([ie0, ie1[tr]]),
            seccion=np.concatenate([seccion, sec_llegada]),
            etiqueta=np.concatenate([etiqueta, etiqueta_llegada]),
            fmat=np.concatenate([P.fmat[m], fecha_traslado]),
            final=np.concatenate([np.where(traslada, TRASLADADO, final), final[tr]]),
        )
        self._escribir_nomina(t, m, paso, codigos, filas, trabaja, horas)
        self._escribir_evaluacion(
            t, orden, codigos, ie0, ie1, traslada, k_traslado, con_notas,
            letra_periodo, letra_final, notas_ok, salida,
        )  # fmt: skip
        self._escribir_asistencia(t, orden, codigos, dias, injust, just, periodo_ok)
        # Like the label: no row for deaths nor for any 5.º de secundaria student.
        en_oraculo = ~muere & ~quinto
        o = orden[en_oraculo[orden]]
        self.salidas.escribir(
            f"oraculo_{t}",
            [codigos[o].tolist(), [t] * len(o), [f"{x:.6f}" for x in p[o].tolist()]],
        )
        self.personal.escribir(t, filas.ie, paso[filas.est], filas.etiqueta)
        if t == self.anios[-2 if len(self.anios) > 1 else -1]:
            self.talumno = np.bincount(filas.ie, minlength=len(esc))

        # State for next year.
        P.ie[m] = ie1
        P.cambios[m[tr]] += 1
        P.aprobado[m] = aprobado
        P.anio_ultimo[m] = t
        P.volvio[m] = retira & ~deserta
        P.estado[m[muere]] = MUERTO
        P.estado[m[egresa]] = EGRESADO
        P.estado[m[deserta & ~muere & ~egresa]] = FUERA

    # ----------------------------------------------------------------- rows

    def _escribir_piloto(
        self,
        t: int,
        ie0: np.ndarray,
        p: np.ndarray,
        p_piloto: np.ndarray,
        cuenta: np.ndarray,
    ) -> None:
        """Per school of the pilot: its students with an outcome (as the
        oracle: not deceased, not 5.º de secundaria) and their mean chance of
        not coming back, without and with the pilot."""
        n_ie = len(self.esc)
        ie = ie0[cuenta]
        n = np.bincount(ie, minlength=n_ie)
        sin = np.bincount(ie, weights=p[cuenta], minlength=n_ie)
        con = np.bincount(ie, weights=p_piloto[cuenta], minlength=n_ie)
        recorte = self.piloto.recorte
        propias = [i for i, c in enumerate(self.esc.cod_mod.tolist()) if c in recorte]
        self.salidas.escribir(
            f"piloto_{t}",
            [
                self.esc.cod_mod[propias].tolist(),
                [t] * len(propias),
                [f"{x:.6f}" for x in self.recorte_ie[propias].tolist()],
                n[propias].tolist(),
                *(
                    [
                        f"{s / k:.8f}" if k else ""
                        for s, k in zip(suma[propias], n[propias], strict=True)
                    ]
                    for suma in (sin, con)
                ),
            ],
        )

    def _escribir_nomina(
        self,
        t: int,
        m: np.ndarray,
        paso: np.ndarray,
        codigos: np.ndarray,
        filas: _Filas,
        trabaja: np.ndarray,
        horas: np.ndarray,
    ) -> None:
        P, esc = self.pob, self.esc
        s = m[filas.est]
        orden = np.lexsort(
            (
                P.nom1[s],
                P.ap_mat[s],
                P.ap_pat[s],
                filas.seccion,
                paso[filas.est],
                filas.ie,
            )
        )
        for inicio in range(0, len(orden), 50_000):
            r = orden[inicio : inicio + 50_000]
            f = filas.est[r]
            s = m[f]
            tipo = P.tipo_doc[s]
            trabaja_f = trabaja[f].tolist()
            self.salidas.escribir(
                f"nomina_{t}",
                [
                    [t] * len(r),
                    esc.cod_mod[filas.ie[r]].tolist(),
                    ["0"] * len(r),
                    NIVELES[PASO_NIVEL[paso[f]]].tolist(),
                    PASO_GRADO[paso[f]].tolist(),
                    filas.etiqueta[r].tolist(),
                    codigos[f].tolist(),
                    DOCUMENTOS[tipo].tolist(),
                    self._documentos(P.serial[s], tipo),
                    nom.APELLIDOS_ARRAY[P.ap_pat[s]].tolist(),
                    nom.APELLIDOS_ARRAY[P.ap_mat[s]].tolist(),
                    nom.texto_nombres(P.nom1[s], P.nom2[s]),
                    SEXOS[P.mujer[s]].tolist(),
                    _fechas(P.nac[s]),
                    LENGUAS_ARRAY[P.lengua[s]].tolist(),
                    DISCAPACIDADES[P.disc[s]].tolist(),
                    SITUACION_MATRICULA[P.sm[s]].tolist(),
                    _fechas(filas.fmat[r]),
                    SITUACION_FINAL[filas.final[r]].tolist(),
                    EDUCACION[P.educ[s]].tolist(),
                    PARENTESCOS[P.parent[s]].tolist(),
                    SI_NO[trabaja[f].astype(int)].tolist(),
                    [
                        h if w else None
                        for h, w in zip(horas[f].tolist(), trabaja_f, strict=True)
                    ],
                ],
            )

    def _documentos(self, serial: np.ndarray, tipo: np.ndarray) -> list[str | None]:
        dnis = dni(serial, 60_000_000, self.semilla, 25)
        otros = mezclar(serial, self.semilla + 2, 29)
        salida: list[str | None] = []
        for t, d, o in zip(tipo.tolist(), dnis.tolist(), otros.tolist(), strict=True):
            if t == 0:
                salida.append(f"{d:08d}")
            elif t == 3:
                salida.append(None)
            else:
                salida.append(f"{o:09d}")
        return salida

    def _escribir_evaluacion(
        self, t, orden, codigos, ie0, ie1, traslada, k_traslado, con_notas,
        letra_periodo, letra_final, notas_ok, salida,
    ) -> None:  # fmt: skip
        esc = self.esc
        e = orden[con_notas[orden]]
        for inicio in range(0, len(e), 20_000):
            f = e[inicio : inicio + 20_000]
            n = len(f)
            letra = np.concatenate(
                [letra_periodo[f], letra_final[f][:, :, None]], axis=2
            )  # (n, 2, 5)
            presente = np.concatenate(
                [notas_ok[f], ~salida[f][:, None]], axis=1
            )  # (n, 5)
            presente = np.broadcast_to(presente[:, None, :], (n, 2, 5))
            # Periods after a transfer, and FINAL, belong to the new IE.
            nueva = traslada[f][:, None] & (
                np.arange(1, 6)[None, :] > k_traslado[f][:, None]
            )
            ie = np.where(nueva, ie1[f][:, None], ie0[f][:, None])  # (n, 5)
            i, a, k = np.nonzero(presente)
            letras = letra[i, a, k]
            calificativo = LETRAS[letras]
            vigesimal = self.vigesimal_ie[ie[i, k]]
            if vigesimal.any():
                nota = VIGESIMAL_DESDE[letras] + (i + k) % VIGESIMAL_ANCHO[letras]
                calificativo = np.where(vigesimal, nota.astype(str), calificativo)
            self.salidas.escribir(
                f"evaluacion_{t}",
                [
                    [t] * len(i),
                    codigos[f][i].tolist(),
                    esc.cod_mod[ie[i, k]].tolist(),
                    ["0"] * len(i),
                    PERIODOS[k].tolist(),
                    AREAS[a].tolist(),
                    calificativo.tolist(),
                ],
            )

    def _escribir_asistencia(
        self, t, orden, codigos, dias, injust, just, periodo_ok
    ) -> None:
        for inicio in range(0, len(orden), 50_000):
            f = orden[inicio : inicio + 50_000]
            i, k = np.nonzero(periodo_ok[f])
            fi = f[i]
            self.salidas.escribir(
                f"asistencia_{t}",
                [
                    [t] * len(i),
                    codigos[fi].tolist(),
                    (k + 1).tolist(),
                    dias[fi, k].tolist(),
                    injust[fi, k].tolist(),
                    just[fi, k].tolist(),
                ],
            )

    # ------------------------------------------------------------------- run

    def correr(self) -> Conteos:
        for t in self.anios:
            self.anio(t)
        P = self.pob
        for inicio in range(0, len(P), 50_000):
            s = slice(inicio, inicio + 50_000)
            self.salidas.escribir(
                "hogares",
                [
                    codigos_estudiante(P.serial[s], self.semilla),
                    CSE[P.pobreza[s]].tolist(),
                    SI_NO[P.juntos[s].astype(int)].tolist(),
                    _fechas(P.corte[s]),
                ],
            )
        return Conteos(self.talumno, len(P), len(self.personal))
