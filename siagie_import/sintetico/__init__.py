"""Synthetic SIAGIE-like data over real Peruvian geography.

``generar`` writes the six kinds of files of FORMATOS.md (clean: UTF-8 CSV or
XLSX, header in row one, codes as zero-padded text, dates as aaaa-mm-dd) for
consecutive school years, plus ``oraculo_<AAAA>.csv`` with each student's true
probability of dropping out and a ``LEEME.txt``. The dropout process is
documented in :mod:`siagie_import.sintetico.proceso`. With ``desordenado``
the same data is written with the quirks of real extracts instead
(:mod:`siagie_import.sintetico.desorden`).

Pure Python and numpy (openpyxl for xlsx): no Django here, except in the
messy mode, which reads the importer's column declarations.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .codigos import MAX_ESTUDIANTES, MAX_PERSONAL
from .desorden import clases_de_columnas, escritor_de
from .escritura import MAX_FILAS_XLSX, Salidas
from .escuelas import ESTUDIANTES_NACIONAL, NOMBRE_NIVEL, construir_universo
from .geografia import ErrorGenerador, cargar_geografia
from .proceso import Piloto, SimulacionUgel

__all__ = ["ESTUDIANTES_NACIONAL", "ErrorGenerador", "Piloto", "Resumen", "generar"]

D_NIV_MOD = {
    "A2": "Inicial - Jardín",
    "A3": "Inicial - Cuna-jardín",
    "B0": "Primaria",
    "F0": "Secundaria",
}
D_GESTION = {
    1: "Pública de gestión directa",
    2: "Pública de gestión privada",
    3: "Privada",
}


@dataclass
class Resumen:
    """What a run wrote."""

    salida: Path
    region: str | None
    ugels: list[str]
    anios: list[int]
    semilla: int
    formato: str
    estudiantes_pedidos: int
    estudiantes_primer_anio: int  # year-one enrollment of the schools kept
    estudiantes_total: int  # every student who appears in some year
    iiee: int
    archivos: dict[str, Path] = field(default_factory=dict)
    filas: dict[str, int] = field(default_factory=dict)
    segundos: float = 0.0
    desordenado: bool = False
    # Messy mode: {file kind: Counter of (column, quirk)}; column "" for the
    # quirks of whole files.
    peculiaridades: dict[str, Counter] = field(default_factory=dict)


def generar(
    salida: Path,
    *,
    region: str | None = "CUSCO",
    estudiantes: int = 5000,
    anio_inicial: int = 2022,
    anio_final: int = 2026,
    semilla: int = 42,
    formato: str = "csv",
    desordenado: bool = False,
    progreso: Callable[[int, int], None] | None = None,
    piloto: Piloto | None = None,
) -> Resumen:
    """Write the synthetic files into ``salida`` and say what was written.

    ``region``: a departamento (``"CUSCO"``), DRE, provincia or UGEL; None for
    the whole country. ``estudiantes``: students per year wanted; a few UGELs
    of the region and a share of their schools are kept to fit it, and it is
    capped at the region's full size (about 6 million for the country).
    ``desordenado``: write the same data the way real extracts come (see
    ``desorden``): each file in three parts (xlsx, Latin-1 ``|`` txt, UTF-8
    ``;`` csv with BOM), ``formato`` is then ignored; needs Django set up.
    ``piloto``: a simulated pilot's planted effect on the dropout of one
    year (see ``proceso.Piloto``), reported in ``piloto_<AAAA>.csv``; every
    other figure is drawn as without it.
    Raises ``ErrorGenerador`` (a ValueError with a message in Spanish) for a
    request it cannot serve, before writing anything.
    """
    inicio = time.perf_counter()
    formato = formato.lower()
    if formato not in ("csv", "xlsx"):
        raise ErrorGenerador(f"Formato desconocido «{formato}»: use csv o xlsx.")
    if anio_final < anio_inicial:
        raise ErrorGenerador("El año final no puede ser anterior al inicial.")
    if not 2000 <= anio_inicial <= 2100 or anio_final - anio_inicial > 20:
        raise ErrorGenerador("Indique años entre 2000 y 2100, a lo más 21 seguidos.")
    if estudiantes < 1:
        raise ErrorGenerador("El número de estudiantes debe ser positivo.")
    if piloto is not None:
        if not anio_inicial <= piloto.anio < anio_final:
            raise ErrorGenerador(
                "El año del piloto debe tener un año siguiente entre los generados."
            )
        if any(not 0 <= r <= 1 for r in piloto.recorte.values()):
            raise ErrorGenerador("El recorte de un piloto va de 0 a 1.")
    anios = list(range(anio_inicial, anio_final + 1))

    geo = cargar_geografia()
    ugels = geo.ugels_de(region)
    universo = construir_universo(
        geo, ugels, estudiantes, np.random.default_rng([semilla, 0])
    )
    esc = universo.escuelas
    por_anio = int(esc.tamano.sum())
    fabrica = None
    if desordenado:
        formato = "desordenado"
        fabrica = escritor_de(clases_de_columnas(), semilla)
    if formato in ("xlsx", "desordenado"):
        # Ten evaluation rows per student of primaria and secundaria, with room
        # for the entrants and the students moved during the year; a messy
        # file's xlsx part has a third of them (half, to keep a margin).
        estimadas = int(por_anio * 10 * 1.1 / (2 if desordenado else 1))
        if estimadas >= MAX_FILAS_XLSX:
            remedio = (
                "Pida menos estudiantes para el modo desordenado."
                if desordenado
                else "Use el formato csv o pida menos estudiantes."
            )
            raise ErrorGenerador(
                f"Con unos {_miles(por_anio)} estudiantes por año, "
                f"{'la parte xlsx de ' if desordenado else ''}cada archivo "
                f"evaluacion_<AAAA> tendría unas {_miles(estimadas)} filas, y una "
                f"hoja xlsx admite {_miles(MAX_FILAS_XLSX)}. {remedio}"
            )

    # Each UGEL numbers its students and staff within its own block, so that
    # codes and DNIs are unique without keeping anyone in memory.
    n_ugels = len(universo.ugels)
    alumnos = np.bincount(esc.ugel, weights=esc.tamano, minlength=n_ugels)
    escuelas = np.bincount(esc.ugel, minlength=n_ugels)
    bloque_est = (alumnos * (1 + 0.25 * len(anios)) * 1.25).astype(np.int64) + 1000
    bloque_per = (alumnos / 15 * (1 + 0.3 * len(anios))).astype(np.int64)
    bloque_per += 30 * escuelas + 100
    if bloque_est.sum() > MAX_ESTUDIANTES or bloque_per.sum() > MAX_PERSONAL:
        raise ErrorGenerador(
            "Son demasiados estudiantes por tantos años para dar a cada uno un "
            "código y un DNI distintos: pida menos años o menos estudiantes."
        )
    base_est = np.concatenate([[0], np.cumsum(bloque_est)[:-1]])
    base_per = np.concatenate([[0], np.cumsum(bloque_per)[:-1]])

    salida = Path(salida)
    salida.mkdir(parents=True, exist_ok=True)
    salidas = Salidas(
        salida,
        formato,
        anios,
        desordenado=fabrica,
        piloto=piloto.anio if piloto else None,
    )
    talumno = np.zeros(len(esc), dtype=np.int64)
    total_estudiantes = 0
    if progreso:
        progreso(0, n_ugels)
    try:
        for iu in range(n_ugels):
            propias = np.flatnonzero(esc.ugel == iu)
            sim = SimulacionUgel(
                escuelas=esc.tomar(propias),
                geo=geo,
                efecto_distrito=universo.efecto_distrito,
                anios=anios,
                rng=np.random.default_rng([semilla, 1, iu]),
                semilla=semilla,
                base_estudiante=int(base_est[iu]),
                base_personal=int(base_per[iu]),
                salidas=salidas,
                piloto=piloto,
            )
            conteos = sim.correr()
            if (
                conteos.estudiantes > bloque_est[iu]
                or conteos.personas > bloque_per[iu]
            ):
                raise RuntimeError("A UGEL outgrew its block of serial numbers.")
            talumno[propias] = conteos.talumno
            total_estudiantes += conteos.estudiantes
            if progreso:
                progreso(iu + 1, n_ugels)
        _escribir_padron(salidas, universo, geo, talumno)
    finally:
        salidas.cerrar()

    filas = salidas.filas()
    resumen = Resumen(
        salida=salida,
        region=region,
        ugels=[u.nombre for u in universo.ugels],
        anios=anios,
        semilla=semilla,
        formato=formato,
        estudiantes_pedidos=estudiantes,
        estudiantes_primer_anio=por_anio,
        estudiantes_total=total_estudiantes,
        iiee=len(esc),
        archivos=dict(salidas.rutas),
        filas=filas,
        desordenado=desordenado,
        peculiaridades=salidas.peculiaridades(),
    )
    _escribir_leeme(resumen, universo.estudiantes_region)
    resumen.segundos = time.perf_counter() - inicio
    return resumen


def _miles(numero: int) -> str:
    return f"{numero:,}".replace(",", " ")


def _escribir_padron(salidas: Salidas, universo, geo, talumno: np.ndarray) -> None:
    esc = universo.escuelas
    ugels = universo.ugels
    distritos = [geo.distritos[u] for u in esc.ubigeo]
    u_de = [ugels[i] for i in esc.ugel.tolist()]
    salidas.escribir(
        "padron_iiee",
        [
            esc.cod_mod.tolist(),
            ["0"] * len(esc),
            esc.codlocal.tolist(),
            esc.nombre.tolist(),
            esc.niv_mod.tolist(),
            [D_NIV_MOD[x] for x in esc.niv_mod],
            [str(g) for g in esc.gestion.tolist()],
            [D_GESTION[g] for g in esc.gestion.tolist()],
            esc.ubigeo.tolist(),
            [geo.departamentos[d.departamento] for d in distritos],
            [geo.provincias[d.provincia] for d in distritos],
            [d.nombre for d in distritos],
            ["Rural" if r else "Urbana" for r in esc.rural.tolist()],
            [u.codooii for u in u_de],
            [u.nombre for u in u_de],
            [u.dre for u in u_de],
            esc.lat.tolist(),
            esc.lon.tolist(),
            talumno.tolist(),
            ["1"] * len(esc),
        ],
    )


def _escribir_leeme(resumen: Resumen, estudiantes_region: int) -> None:
    region = resumen.region or "todo el país"
    lineas = [
        "Datos sintéticos de Alerta Escuela",
        "==================================",
        "",
        "Estos archivos son inventados: ningún estudiante, docente ni director",
        "existe. La geografía (departamentos, provincias, distritos, ubigeos) es",
        "la real del INEI; las IIEE, sus códigos y sus estudiantes no lo son.",
        "",
        f"Semilla:            {resumen.semilla}",
        f"Región:             {region}",
        f"UGELs ({len(resumen.ugels)}):         {', '.join(resumen.ugels[:12])}"
        + (" ..." if len(resumen.ugels) > 12 else ""),
        f"Años:               {resumen.anios[0]} a {resumen.anios[-1]} "
        f"({resumen.anios[-1]} es el año en curso)",
        f"Formato:            {resumen.formato}",
        f"Estudiantes pedidos por año: {resumen.estudiantes_pedidos}",
        f"Matrícula del primer año:    {resumen.estudiantes_primer_anio} "
        f"(la región completa tendría unos {estudiantes_region})",
        f"Estudiantes distintos (todos los años): {resumen.estudiantes_total}",
        f"IIEE (códigos modulares):    {resumen.iiee}",
        "",
        "Archivos y filas de datos (sin contar la cabecera):",
    ]
    for nombre, ruta in resumen.archivos.items():
        lineas.append(f"  {ruta.name:<28} {resumen.filas[nombre]:>12}")
    lineas += [
        "",
        "oraculo_<AAAA>.csv no se importa: da, para cada estudiante matriculado",
        "en AAAA, la probabilidad verdadera que usó la simulación de que no esté",
        "matriculado en ninguna IE en AAAA+1 (deserción interanual). Quien",
        "termina 5.º de secundaria o fallece no tiene fila. Sirve para comparar",
        "un modelo con el mejor posible.",
        "",
        "piloto_<AAAA>.csv (solo si se simuló un piloto) no se importa: da, para",
        "cada IE del piloto, el recorte plantado en la probabilidad de desertar de",
        "sus estudiantes en AAAA, cuántos tienen resultado y su probabilidad media",
        "sin y con el piloto.",
        "",
        "REQUIERE RECUPERACION se resuelve en el verano (la mayoría aprueba) y se ve",
        "al año siguiente como PROMOVIDO o REPITE; en 5.º de secundaria el archivo",
        "ya muestra el resultado (APROBADO termina la secundaria).",
        "",
        "El proceso de deserción está documentado en",
        "siagie_import/sintetico/proceso.py.",
        "",
        "Niveles: " + ", ".join(NOMBRE_NIVEL) + ".",
    ]
    if resumen.desordenado:
        lineas += [
            "",
            "Modo desordenado: los mismos datos, escritos como llegan los extractos",
            "reales. Cada archivo va en tres partes (<nombre>_parte<k>): un xlsx con",
            "un título sobre la cabecera, números en celdas numéricas y fechas como",
            "números de serie de Excel; un txt en Latin-1 separado por «|»; un csv",
            "en UTF-8 con BOM separado por «;». Cabeceras en minúsculas, con tildes",
            "y espacios; códigos como 403691.0 o sin ceros a la izquierda; grados",
            "como 03, TERCERO o 3°; fechas dd/mm/aaaa; filas vacías y una fila de",
            "totales al final. Importados, deben dar lo mismo que los limpios.",
        ]
    (resumen.salida / "LEEME.txt").write_text(
        "\n".join(lineas) + "\n", encoding="utf-8"
    )
