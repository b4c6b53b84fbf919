"""What every column of every file kind holds, and the one way each is read.

Each file kind declares its columns here, once: the kind of value (a code of n
digits, an enumeration with its vocabulary, an integer, a date, a name...),
whether it is required, and its vocabulary. The readers ask for the columns
these declarations name (`COLUMNAS_REQUERIDAS`, `COLUMNAS_OPCIONALES`), the
loaders read each cell through `Columna.leer`, and the tests walk every declared
column with every spelling FORMATOS.md lists, so a column added here is read and
tested like the others without anyone remembering it.

Coded values are compared through `normalizacion.codificado` (any case, with or
without accents, spaces collapsed, ``1.0`` and ``01`` for ``1``). What is
stored: an enumeration's canonical spelling, whatever the file wrote; free text
outside a vocabulary in upper case with its accents (see decision 0013).
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from alerta.models import (
    DOCUMENTOS_EXTRANJEROS,
    Nivel,
    SituacionFinal,
    SituacionMatricula,
)

from . import normalizacion as norm
from .models import TipoArchivo


class FilaInvalida(Exception):
    def __init__(self, columna: str, valor: str, motivo: str):
        super().__init__(motivo)
        self.columna, self.valor, self.motivo = columna, valor, motivo


class Clase(StrEnum):
    """The kinds of value a column can hold."""

    CODIGO = "codigo"  # n digits, zero-padded (COD_MOD, CODGEO, a DNI...)
    CODIGO_ALFANUMERICO = "codigo_alfanumerico"  # n letters or digits
    DOCUMENTO = "documento"  # a DNI (n digits) or another document's number
    ENUMERACION = "enumeracion"  # closed vocabulary: anything else is rejected
    TEXTO = "texto"  # open vocabulary: known spellings canonical, others kept
    SI_NO = "si_no"
    ENTERO = "entero"
    GRADO = "grado"  # read against the row's NIVEL
    FECHA = "fecha"
    NOMBRE = "nombre"  # a person's or a school's name, accents kept
    CORREO = "correo"
    COORDENADA = "coordenada"
    DESCRIPCION = "descripcion"  # accepted in the file, not stored


def vocabulario(
    canonicas: Iterable[str], alias: Mapping[str, str] | None = None
) -> Mapping[str, str]:
    """{comparison key: stored spelling} for canonical spellings and aliases."""
    tabla = {norm.codificado(c): c for c in canonicas}
    tabla |= {norm.codificado(a): c for a, c in (alias or {}).items()}
    return MappingProxyType(tabla)


@dataclass(frozen=True)
class Columna:
    nombre: str
    clase: Clase
    requerida: bool = False  # the file must have the column
    puede_faltar: bool = False  # ... but a row may leave it empty
    digitos: int = 0  # CODIGO, CODIGO_ALFANUMERICO, DOCUMENTO (a DNI's)
    vocabulario: Mapping[str, str] = field(default_factory=dict)
    motivo: str = ""  # the rejection reason when the value is not in the vocabulary
    futuro: bool = True  # FECHA: whether a date after today is acceptable
    minimo: float = 0.0  # COORDENADA
    maximo: float = 0.0

    def vacio(self):
        """What an empty optional cell stores."""
        if self.clase in (
            Clase.ENTERO,
            Clase.FECHA,
            Clase.COORDENADA,
            Clase.SI_NO,
            Clase.GRADO,
        ):
            return None
        return ""

    def leer(self, valor: str, *, obligatorio: bool | None = None):
        """The value to store for the cell's text, or FilaInvalida.

        `obligatorio` overrides the declaration (a column required only on
        some rows, like a TUTOR's sección).
        """
        if obligatorio is None:
            obligatorio = self.requerida and not self.puede_faltar
        if not valor or valor.isspace():
            if obligatorio:
                raise FilaInvalida(self.nombre, valor, _("Falta un valor obligatorio."))
            return self.vacio()
        return _LECTORES[self.clase](self, valor)

    def leer_grado(self, valor: str, nivel: str) -> int:
        if not valor or valor.isspace():
            raise FilaInvalida(self.nombre, valor, _("Falta un valor obligatorio."))
        grado = norm.grado(valor, nivel)
        if grado is None:
            raise FilaInvalida(
                self.nombre, valor, _("El grado no existe para el nivel.")
            )
        return grado

    def leer_documento(self, valor: str, tipo: str) -> str:
        """A document number: `digitos` digits when `tipo` is a DNI."""
        if not valor or valor.isspace():
            return ""
        if tipo == "DNI":
            return _codigo(self, valor)
        return norm.documento(valor)

    def clave(self, valor: str) -> str:
        """The comparison key of a stored or written value of this column."""
        return norm.codificado(valor)


def _codigo(c: Columna, valor: str) -> str:
    resultado = norm.codigo(valor, c.digitos)
    if resultado is None:
        raise FilaInvalida(
            c.nombre, valor, _("Debe tener %(n)s dígitos.") % {"n": c.digitos}
        )
    return resultado


def _codigo_alfanumerico(c: Columna, valor: str) -> str:
    resultado = norm.codigo_alfanumerico(valor, c.digitos)
    if resultado is None:
        raise FilaInvalida(
            c.nombre,
            valor,
            _("El código de estudiante debe tener 14 letras o dígitos."),
        )
    return resultado


def _enumeracion(c: Columna, valor: str) -> str:
    resultado = c.vocabulario.get(norm.codificado(valor))
    if resultado is None:
        raise FilaInvalida(c.nombre, valor, c.motivo or _("Valor no reconocido."))
    return resultado


def _texto(c: Columna, valor: str) -> str:
    return c.vocabulario.get(norm.codificado(valor)) or norm.nombre(valor)


def _si_no(c: Columna, valor: str) -> bool | None:
    # Lenient on purpose, as before: an unknown answer is "no data".
    return norm.si_no(valor)


def _entero(c: Columna, valor: str) -> int:
    numero = norm.entero(valor)
    if numero is None:
        raise FilaInvalida(c.nombre, valor, _("No es un número entero."))
    return numero


def _grado(c: Columna, valor: str):
    raise TypeError("GRADO se lee con leer_grado(valor, nivel)")


def hoy() -> dt.date:
    return dt.date.today()  # noqa: DTZ011


def _fecha(c: Columna, valor: str) -> dt.date:
    resultado = norm.fecha(valor)
    if resultado is None:
        raise FilaInvalida(
            c.nombre, norm.fecha_mostrada(valor), _("No es una fecha válida.")
        )
    if not c.futuro and resultado > hoy():
        raise FilaInvalida(
            c.nombre, norm.fecha_mostrada(valor), _("La fecha está en el futuro.")
        )
    if resultado.year > norm.ANIO_MAXIMO:
        raise FilaInvalida(
            c.nombre, norm.fecha_mostrada(valor), _("No es una fecha válida.")
        )
    return resultado


def _nombre(c: Columna, valor: str) -> str:
    return norm.nombre(valor)


def _correo(c: Columna, valor: str) -> str:
    texto = valor.strip().lower()
    try:
        validate_email(texto)
    except ValidationError:
        raise FilaInvalida(c.nombre, valor, _("No es un correo válido.")) from None
    return texto


def _coordenada(c: Columna, valor: str) -> float:
    try:
        numero = float(valor.strip().replace(",", "."))
    except ValueError:
        numero = None
    if numero is None or not c.minimo <= numero <= c.maximo:
        raise FilaInvalida(c.nombre, valor, _("Coordenada fuera del Perú."))
    return numero


def _descripcion(c: Columna, valor: str) -> str:
    return norm.nombre(valor)


_LECTORES = {
    Clase.CODIGO: _codigo,
    Clase.CODIGO_ALFANUMERICO: _codigo_alfanumerico,
    Clase.DOCUMENTO: lambda c, v: norm.documento(v),
    Clase.ENUMERACION: _enumeracion,
    Clase.TEXTO: _texto,
    Clase.SI_NO: _si_no,
    Clase.ENTERO: _entero,
    Clase.GRADO: _grado,
    Clase.FECHA: _fecha,
    Clase.NOMBRE: _nombre,
    Clase.CORREO: _correo,
    Clase.COORDENADA: _coordenada,
    Clase.DESCRIPCION: _descripcion,
}


# --- vocabularies -----------------------------------------------------------------
# Canonical spellings as FORMATOS.md writes them: without accents except ÚNICA.
# riesgo/features.py compares stored values with several of them (CASTELLANO,
# NINGUNA, MATEMATICA, the guardian's education...): a test holds them together.

GESTIONES = vocabulario(["1", "2", "3"])
ESTADOS = vocabulario(
    ["1", "2"],
    {"ACTIVA": "1", "ACTIVO": "1", "INACTIVA": "2", "INACTIVO": "2"},
)
NIVELES_MODALIDAD = vocabulario(["A1", "A2", "A3", "A5", "B0", "F0", "E0", "E1", "E2"])
AREAS_CENSALES = vocabulario(
    ["URBANA", "RURAL"], {"URBANO": "URBANA", "URBANA": "URBANA"}
)
NIVELES = vocabulario(Nivel.values)
SEXOS = vocabulario(
    ["HOMBRE", "MUJER"],
    # "M." as "M", "MASC." as "MASC".
    {**norm.SEXOS_ESCRITOS, **{f"{k}.": v for k, v in norm.SEXOS_ESCRITOS.items()}},
)
SITUACIONES_MATRICULA = vocabulario(SituacionMatricula.values)
SITUACIONES_FINALES = vocabulario(SituacionFinal.values)
CALIFICATIVOS = vocabulario(["AD", "A", "B", "C", *(str(n) for n in range(21))])
PERIODOS = vocabulario(["1", "2", "3", "4", "FINAL"])
CARGOS = vocabulario(
    ["DIRECTOR", "TUTOR"], {"DIRECTORA": "DIRECTOR", "TUTORA": "TUTOR"}
)
CSE = vocabulario(["POBRE EXTREMO", "POBRE", "NO POBRE"])
# Open vocabularies: a value outside them is kept as free text.
TIPOS_DOCUMENTO = vocabulario(["DNI", "SIN DOCUMENTO", *DOCUMENTOS_EXTRANJEROS])
LENGUAS = vocabulario(
    [
        "CASTELLANO",
        "QUECHUA",
        "AIMARA",
        "ASHANINKA",
        "AWAJUN",
        "SHIPIBO-KONIBO",
        "OTRA LENGUA ORIGINARIA",
        "LENGUA EXTRANJERA",
    ],
    {"ESPANOL": "CASTELLANO", "AYMARA": "AIMARA"},
)
DISCAPACIDADES = vocabulario(["NINGUNA"])
INSTRUCCION_APODERADO = vocabulario(
    [
        "SIN NIVEL",
        "PRIMARIA INCOMPLETA",
        "PRIMARIA COMPLETA",
        "SECUNDARIA INCOMPLETA",
        "SECUNDARIA COMPLETA",
        "SUPERIOR",
    ]
)
PARENTESCOS = vocabulario(
    ["MADRE", "PADRE", "ABUELO(A)", "TIO(A)", "HERMANO(A)", "OTRO"]
)
# The areas of the national curriculum (CNEB), spelled as the importer always
# stored them: AREA is part of an evaluation's key, so a re-imported file must
# give the same text as before. An area outside this list is free text.
AREAS_CURRICULARES = vocabulario(
    [
        "MATEMATICA",
        "COMUNICACION",
        "CIENCIA Y TECNOLOGIA",
        "PERSONAL SOCIAL",
        "PSICOMOTRIZ",
        "DESCUBRIMIENTO DEL MUNDO",
        "CASTELLANO COMO SEGUNDA LENGUA",
        "ARTE Y CULTURA",
        "EDUCACION FISICA",
        "EDUCACION RELIGIOSA",
        "INGLES",
        "INGLES COMO LENGUA EXTRANJERA",
        "DESARROLLO PERSONAL, CIUDADANIA Y CIVICA",
        "CIENCIAS SOCIALES",
        "EDUCACION PARA EL TRABAJO",
    ]
)
# A sección is a letter or ÚNICA; it is part of the sección's key, matched again
# by the personal file, so every spelling of ÚNICA must store the same text.
SECCIONES = vocabulario(["ÚNICA"])


# --- the declarations ---------------------------------------------------------------

C = Clase


def _archivo(*columnas: Columna) -> Mapping[str, Columna]:
    return MappingProxyType({c.nombre: c for c in columnas})


def _cod_mod(requerida: bool = True) -> Columna:
    return Columna("COD_MOD", C.CODIGO, requerida, digitos=7)


def _anexo(requerida: bool = True) -> Columna:
    return Columna("ANEXO", C.ENTERO, requerida)


_ANIO = Columna("ANIO", C.ENTERO, True)
_COD_ESTUDIANTE = Columna("COD_ESTUDIANTE", C.CODIGO_ALFANUMERICO, True, digitos=14)
_NIVEL = Columna("NIVEL", C.ENUMERACION, True, vocabulario=NIVELES)
_GRADO = Columna("GRADO", C.GRADO, True)
_SECCION = Columna("SECCION", C.TEXTO, True, vocabulario=SECCIONES)
_PERIODO = Columna("PERIODO", C.ENUMERACION, True, vocabulario=PERIODOS)

ARCHIVOS: Mapping[str, Mapping[str, Columna]] = MappingProxyType(
    {
        TipoArchivo.PADRON: _archivo(
            _cod_mod(),
            _anexo(),
            Columna("CODLOCAL", C.CODIGO, digitos=6),
            Columna("CEN_EDU", C.NOMBRE, True),
            Columna("NIV_MOD", C.ENUMERACION, True, vocabulario=NIVELES_MODALIDAD),
            Columna("D_NIV_MOD", C.DESCRIPCION),
            Columna("GESTION", C.ENUMERACION, True, vocabulario=GESTIONES),
            Columna("D_GESTION", C.DESCRIPCION),
            Columna("CODGEO", C.CODIGO, True, digitos=6),
            Columna("D_DPTO", C.DESCRIPCION),
            Columna("D_PROV", C.DESCRIPCION),
            Columna("D_DIST", C.DESCRIPCION),
            Columna(
                "DAREACENSO",
                C.ENUMERACION,
                True,
                vocabulario=AREAS_CENSALES,
                motivo=_("Debe ser Urbana o Rural."),
            ),
            Columna("CODOOII", C.CODIGO, True, digitos=6),
            Columna("D_DREUGEL", C.NOMBRE, True),
            Columna("D_REGION", C.NOMBRE, True),
            Columna("NLAT_IE", C.COORDENADA, minimo=-19.0, maximo=0.5),
            Columna("NLONG_IE", C.COORDENADA, minimo=-82.0, maximo=-68.0),
            Columna("TALUMNO", C.DESCRIPCION),
            Columna("ESTADO", C.ENUMERACION, vocabulario=ESTADOS),
        ),
        TipoArchivo.NOMINA: _archivo(
            _ANIO,
            _cod_mod(),
            _anexo(),
            _NIVEL,
            _GRADO,
            _SECCION,
            _COD_ESTUDIANTE,
            Columna("TIPO_DOCUMENTO", C.TEXTO, vocabulario=TIPOS_DOCUMENTO),
            Columna("NUMERO_DOCUMENTO", C.DOCUMENTO, digitos=8),
            Columna("APELLIDO_PATERNO", C.NOMBRE, True),
            Columna("APELLIDO_MATERNO", C.NOMBRE, True, puede_faltar=True),
            Columna("NOMBRES", C.NOMBRE, True),
            Columna(
                "SEXO",
                C.ENUMERACION,
                True,
                vocabulario=SEXOS,
                motivo=_("Debe ser HOMBRE o MUJER."),
            ),
            Columna("FECHA_NACIMIENTO", C.FECHA, True, futuro=False),
            Columna("LENGUA_MATERNA", C.TEXTO, vocabulario=LENGUAS),
            Columna("DISCAPACIDAD", C.TEXTO, vocabulario=DISCAPACIDADES),
            Columna(
                "SITUACION_MATRICULA",
                C.ENUMERACION,
                vocabulario=SITUACIONES_MATRICULA,
            ),
            Columna("FECHA_MATRICULA", C.FECHA),
            Columna("SITUACION_FINAL", C.ENUMERACION, vocabulario=SITUACIONES_FINALES),
            Columna(
                "NIVEL_INSTRUCCION_APOD", C.TEXTO, vocabulario=INSTRUCCION_APODERADO
            ),
            Columna("PARENTESCO", C.TEXTO, vocabulario=PARENTESCOS),
            Columna("TRABAJA", C.SI_NO),
            Columna("HORAS_SEMANALES_TRABAJO", C.ENTERO),
        ),
        TipoArchivo.EVALUACION: _archivo(
            _ANIO,
            _COD_ESTUDIANTE,
            _cod_mod(False),
            _anexo(False),
            _PERIODO,
            Columna("AREA", C.TEXTO, True, vocabulario=AREAS_CURRICULARES),
            Columna("CALIFICATIVO", C.ENUMERACION, True, vocabulario=CALIFICATIVOS),
        ),
        TipoArchivo.ASISTENCIA: _archivo(
            _ANIO,
            _COD_ESTUDIANTE,
            _PERIODO,
            Columna("DIAS_LECTIVOS", C.ENTERO, True),
            Columna("INASISTENCIAS_INJUSTIFICADAS", C.ENTERO, True),
            Columna("INASISTENCIAS_JUSTIFICADAS", C.ENTERO),
        ),
        TipoArchivo.HOGARES: _archivo(
            _COD_ESTUDIANTE,
            Columna("CSE", C.ENUMERACION, vocabulario=CSE),
            Columna("PROGRAMA_JUNTOS", C.SI_NO),
            Columna("FECHA_CORTE", C.FECHA),
        ),
        TipoArchivo.PERSONAL: _archivo(
            _ANIO,
            _cod_mod(),
            _anexo(),
            Columna("CARGO", C.ENUMERACION, True, vocabulario=CARGOS),
            # Required for a TUTOR only: the loader asks for them on those rows.
            Columna("NIVEL", C.ENUMERACION, vocabulario=NIVELES),
            Columna("GRADO", C.GRADO),
            Columna("SECCION", C.TEXTO, vocabulario=SECCIONES),
            Columna("NUMERO_DOCUMENTO", C.CODIGO, True, digitos=8),
            Columna("APELLIDOS", C.NOMBRE, True),
            Columna("NOMBRES", C.NOMBRE, True),
            Columna("CORREO", C.CORREO),
        ),
    }
)

COLUMNAS_REQUERIDAS: dict[str, tuple[str, ...]] = {
    tipo: tuple(c.nombre for c in columnas.values() if c.requerida)
    for tipo, columnas in ARCHIVOS.items()
}
# The other columns FORMATOS describes for each kind: read when present.
COLUMNAS_OPCIONALES: dict[str, tuple[str, ...]] = {
    tipo: tuple(c.nombre for c in columnas.values() if not c.requerida)
    for tipo, columnas in ARCHIVOS.items()
}
