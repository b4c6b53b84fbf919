"""What each API answer holds. Plain data from the selectors and counts the
pages read: no logic here, no query of its own.

No document number, SIAGIE code or date of birth: the lists show what the
pages' lists show (names, sección, level, factors).
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from riesgo.factores import muestra_factores
from riesgo.models import NivelRiesgo

from ..models import grado_en_palabras
from ..presentacion.niveles import factores_de


class ConteoSerializer(serializers.Serializer):
    """Current students per risk level (alerta.presentacion.conteos.Conteo)."""

    alto = serializers.IntegerField()
    medio = serializers.IntegerField()
    bajo = serializers.IntegerField()
    sin_riesgo = serializers.IntegerField(
        help_text="Estudiantes de 5.º de secundaria: no se calcula el riesgo."
    )
    sin_puntaje = serializers.IntegerField()
    total = serializers.IntegerField(help_text="Estudiantes con nivel de riesgo.")


class FactorSerializer(serializers.Serializer):
    codigo = serializers.CharField()
    frase = serializers.CharField(help_text="El factor en palabras de un docente.")


@extend_schema_field(ConteoSerializer(allow_null=True))
class ConteoDelContexto(serializers.Field):
    """An object's counts, read by its pk from the serializer context's
    `conteos`: counted once for the whole page by the view."""

    def __init__(self, **kwargs):
        super().__init__(source="pk", read_only=True, **kwargs)

    def to_representation(self, pk) -> dict | None:
        conteo = self.context["conteos"].get(pk)
        return None if conteo is None else ConteoSerializer(conteo).data


def _nivel_texto(nivel: str | None) -> str | None:
    """A level's word beside its code (ALTO: "Alto")."""
    return str(NivelRiesgo(nivel).label) if nivel else None


class SeccionBreveSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    nivel = serializers.CharField()
    grado = serializers.IntegerField()
    letra = serializers.CharField()
    grado_texto = serializers.CharField()


class EstudianteFilaSerializer(serializers.Serializer):
    """One row of a risk list: a current enrollment with its score
    (riesgo.selectors.con_puntaje)."""

    uuid = serializers.UUIDField(source="estudiante.uuid")
    apellido_paterno = serializers.CharField(source="estudiante.apellido_paterno")
    apellido_materno = serializers.CharField(source="estudiante.apellido_materno")
    nombres = serializers.CharField(source="estudiante.nombres")
    seccion = SeccionBreveSerializer()
    ie = serializers.CharField(
        source="seccion.ie.codigo", help_text="Código modular y anexo de la IE."
    )
    nivel_riesgo = serializers.ChoiceField(choices=NivelRiesgo.choices, allow_null=True)
    nivel_riesgo_texto = serializers.SerializerMethodField()
    probabilidad = serializers.FloatField(allow_null=True)
    factores = serializers.SerializerMethodField()

    def get_nivel_riesgo_texto(self, fila) -> str | None:
        return _nivel_texto(fila.nivel_riesgo)

    @extend_schema_field(FactorSerializer(many=True))
    def get_factores(self, fila) -> list[dict]:
        # Shown for alto and medio only, as on the pages.
        if not muestra_factores(fila.nivel_riesgo):
            return []
        return [
            {"codigo": f.codigo, "frase": f.frase}
            for f in factores_de(fila, fila.seccion.nivel)
        ]


class TramoSerializer(serializers.Serializer):
    nivel = serializers.ChoiceField(choices=NivelRiesgo.choices)
    nivel_texto = serializers.CharField(source="etiqueta")
    desde = serializers.DateField()
    hasta = serializers.DateField()
    ejecuciones = serializers.IntegerField()


class FichaSerializer(serializers.Serializer):
    """A student's page (alerta.ficha.Ficha)."""

    uuid = serializers.UUIDField(source="estudiante.uuid")
    apellido_paterno = serializers.CharField(source="estudiante.apellido_paterno")
    apellido_materno = serializers.CharField(source="estudiante.apellido_materno")
    nombres = serializers.CharField(source="estudiante.nombres")
    anio = serializers.IntegerField(
        source="matricula_actual.seccion.anio", allow_null=True
    )
    ie = serializers.CharField(
        source="matricula_actual.seccion.ie.codigo", allow_null=True
    )
    ie_nombre = serializers.CharField(
        source="matricula_actual.seccion.ie.rotulo", allow_null=True
    )
    seccion = SeccionBreveSerializer(source="matricula_actual.seccion", allow_null=True)
    sin_riesgo = serializers.BooleanField(
        help_text="5.º de secundaria: no se calcula el riesgo."
    )
    nivel_riesgo = serializers.ChoiceField(
        source="nivel", choices=NivelRiesgo.choices, allow_null=True
    )
    nivel_riesgo_texto = serializers.SerializerMethodField()
    probabilidad = serializers.CharField(
        allow_null=True,
        help_text='Como la muestra el portal ("42 %"), sin redondear a '
        "través de un corte.",
    )
    significado = serializers.ListField(child=serializers.CharField())
    factores = FactorSerializer(many=True)
    historial = TramoSerializer(source="tramos", many=True)

    def get_nivel_riesgo_texto(self, ficha) -> str | None:
        return _nivel_texto(ficha.nivel)


class SeccionSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    ie = serializers.CharField(source="ie.codigo")
    anio = serializers.IntegerField()
    nivel = serializers.CharField()
    grado = serializers.IntegerField()
    letra = serializers.CharField()
    grado_texto = serializers.CharField()
    sin_riesgo = serializers.BooleanField()
    conteo = ConteoDelContexto()


class IeSerializer(serializers.Serializer):
    codigo = serializers.CharField()
    nombre = serializers.CharField(source="rotulo")
    ugel = serializers.CharField(source="ugel.codigo")
    gestion = serializers.CharField()
    area = serializers.CharField()
    distrito = serializers.CharField(source="distrito_id", help_text="Ubigeo.")
    conteo = ConteoDelContexto()


class GradoSerializer(serializers.Serializer):
    nivel = serializers.CharField()
    grado = serializers.IntegerField()
    grado_texto = serializers.SerializerMethodField()
    conteo = ConteoSerializer()

    def get_grado_texto(self, fila) -> str:
        return grado_en_palabras(fila.nivel, fila.grado)


class UgelSerializer(serializers.Serializer):
    codigo = serializers.CharField()
    nombre = serializers.CharField()
    dre = serializers.IntegerField(source="dre_id")
    conteo = ConteoDelContexto()


class DreSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    nombre = serializers.CharField()
    conteo = ConteoDelContexto()


class TableroSerializer(serializers.Serializer):
    """A UGEL's, DRE's or the country's counts, in total and by grado
    (alerta.presentacion.tableros)."""

    anio = serializers.IntegerField(allow_null=True)
    totales = ConteoSerializer()
    grados = GradoSerializer(many=True)


class OrientacionSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    titulo = serializers.CharField()
    audiencia = serializers.CharField()
    nivel = serializers.CharField()
    factor = serializers.CharField()
    resumen = serializers.CharField()


class OrientacionDetalleSerializer(OrientacionSerializer):
    texto = serializers.CharField()


class ModeloSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    estado = serializers.CharField()
    algoritmo = serializers.CharField()
    anios_entrenamiento = serializers.ListField(child=serializers.IntegerField())
    anio_validacion = serializers.IntegerField(allow_null=True)
    roc_auc = serializers.FloatField(allow_null=True)
    corte_alto = serializers.FloatField()
    corte_medio = serializers.FloatField()
    creado = serializers.DateTimeField()
    publicado_en = serializers.DateTimeField(allow_null=True)
    retirado_en = serializers.DateTimeField(allow_null=True)


class ImportacionSerializer(serializers.Serializer):
    """An import's counts; its rejected rows (which may name students) stay
    on the import's page."""

    id = serializers.IntegerField()
    tipo = serializers.CharField()
    anio = serializers.IntegerField(allow_null=True)
    nombre_archivo = serializers.CharField()
    estado = serializers.CharField()
    filas_leidas = serializers.IntegerField()
    filas_aceptadas = serializers.IntegerField()
    filas_rechazadas = serializers.IntegerField()
    iniciada = serializers.DateTimeField()
    terminada = serializers.DateTimeField(allow_null=True)


class UgelDetalleSerializer(UgelSerializer):
    grados = GradoSerializer(many=True)


class DreDetalleSerializer(DreSerializer):
    grados = GradoSerializer(many=True)
