"""A pilot through the whole product on known truth.

A region is generated and its year 2025 imported (registry, nómina, staff:
the teachers' accounts), scored with the generator's true probabilities. An
evaluation is designed, drawn and published by the product's services;
twenty weeks of teachers' use are written as the portal writes them, each
teacher's habit raised by their unit's arm, then aggregated by the nightly
tasks. The generator writes the next year again with a planted effect: each
student's chance of not coming back cut in proportion to their unit's use as
the portal recorded it. After importing 2026, the analysis read from the
database must find the planted effects inside its intervals; and with the
files written without a pilot (a null pilot), intervals containing zero.
"""

from datetime import date, datetime, time, timedelta
from unittest import mock

import pandas as pd
import pytest
from django.urls import reverse
from django.utils import timezone

from alerta.models import Asignacion, Rol, Ugel
from pilotos.analisis import CONTROL, analizar
from pilotos.datos import datos_de_evaluacion, resultado_disponible, resultados_de
from pilotos.models import AnalisisEvaluacion, Evaluacion, Unidad, UsoUnidadSemana
from pilotos.services import evaluacion_crear, evaluacion_publicar, evaluacion_sortear
from pilotos.simulacion_portal import (
    recortes_del_piloto,
    simular_uso_del_piloto,
    verdad_del_piloto,
)
from pilotos.tasks import copiar_uso_de_unidades
from riesgo.scoring import agregados_escribir
from siagie_import.sintetico import Piloto, generar
from tests.factories import UsuarioFactory
from tests.generado import importar, puntuar_con_oraculo

ANIO = 2025
HOY = date(2025, 11, 28)
SEMANAS = 20
SEMILLA = 7
ESTUDIANTES = 20_000
# Full use cuts a student's chance of not coming back by this share.
EFECTO_USO = 0.9
BRAZOS = [
    {"codigo": "C", "nombre": "Control", "proporcion": "1/3", "control": True},
    {"codigo": "T1", "nombre": "Grupo grande", "proporcion": "1/3"},
    {"codigo": "T2", "nombre": "Individual", "proporcion": "1/3"},
]
AUMENTO_USO = {"T1": 0.3, "T2": 0.6}


def _generar(carpeta, piloto=None):
    return generar(
        carpeta,
        region="CUSCO",
        estudiantes=ESTUDIANTES,
        anio_inicial=ANIO,
        anio_final=ANIO + 1,
        semilla=SEMILLA,
        piloto=piloto,
    )


@pytest.fixture(scope="module")
def sin_piloto(tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("sin_piloto")
    _generar(carpeta)
    return carpeta


@pytest.fixture
def piloto(db, sin_piloto, settings, tmp_path) -> Evaluacion:
    """Year 2025 imported and scored, the evaluation drawn and published 20
    weeks before HOY, the weeks of use written and aggregated."""
    settings.MEDIA_ROOT = tmp_path
    for nombre in ("padron_iiee", f"nomina_{ANIO}", f"personal_{ANIO}"):
        importar(sin_piloto / f"{nombre}.csv")
    ejecucion = puntuar_con_oraculo(sin_piloto, ANIO, corte_alto=0.2, corte_medio=0.05)
    agregados_escribir(ejecucion)
    evaluacion = evaluacion_crear(
        creada_por=UsuarioFactory(),
        ugeles=list(Ugel.objects.all()),
        nombre="Piloto simulado",
        unidad=Unidad.IE,
        brazos=BRAZOS,
        cortes_tamano=[40, 100],
        semilla=20250301,
    )
    evaluacion_sortear(evaluacion=evaluacion)
    # Published SEMANAS weeks before HOY, as Minedu would have then.
    entonces = timezone.make_aware(
        datetime.combine(HOY - timedelta(weeks=SEMANAS - 1), time(9))
    )
    with (
        mock.patch("django.utils.timezone.now", return_value=entonces),
        mock.patch("django.utils.timezone.localdate", return_value=entonces.date()),
    ):
        evaluacion_publicar(evaluacion=evaluacion)
    evaluacion.refresh_from_db()
    assert evaluacion.actua_hasta == date(2026, 2, 28)
    simular_uso_del_piloto(
        evaluacion,
        hoy=HOY,
        semanas=SEMANAS,
        aumento_uso=AUMENTO_USO,
        semilla=SEMILLA,
    )
    return evaluacion


def test_a_planted_effect_lies_inside_the_intervals(piloto, tmp_path):
    assert not resultado_disponible(piloto)
    # The use the portal recorded rose with the arms, as simulated.
    uso = UsoUnidadSemana.objects.filter(unidad__evaluacion=piloto)
    assert uso.filter(activos__gt=0).exists()

    con_piloto = tmp_path / "con_piloto"
    _generar(
        con_piloto,
        Piloto(ANIO, recortes_del_piloto(piloto, efecto_uso=EFECTO_USO)),
    )
    importar(con_piloto / f"nomina_{ANIO + 1}.csv")
    assert resultado_disponible(piloto)

    datos = datos_de_evaluacion(piloto, piloto.unidades.all())
    analisis = analizar(datos)
    verdad = verdad_del_piloto(
        con_piloto / f"piloto_{ANIO}.csv", piloto, efecto_uso=EFECTO_USO
    )
    brazos = {b.codigo: b for b in analisis.brazos}
    assert brazos[CONTROL].uso < brazos["T1"].uso < brazos["T2"].uso
    for medida in ("ingresos", "listas", "acciones"):
        assert brazos[CONTROL].medidas[medida] < brazos["T2"].medidas[medida]
    for codigo, efecto in verdad.itt.items():
        assert efecto < 0
        assert brazos[codigo].itt.contiene(efecto), (codigo, efecto, brazos[codigo])
    assert analisis.iv.contiene(verdad.efecto_uso), (verdad, analisis.iv)
    # Detected, not merely contained: the effect of use is told from zero,
    # and the instruments are strong.
    assert analisis.iv.superior < 0
    assert analisis.f_primera_etapa > 10

    # The night after the import stores the same analysis for the page.
    copiar_uso_de_unidades()
    guardado = resultados_de(piloto, piloto.unidades.all(), completo=True)
    assert not guardado.pendiente
    assert guardado.iv == analisis.iv
    for brazo in guardado.brazos:
        por_nivel = brazo.por_nivel.values()
        assert sum(n for n, _d in por_nivel) == brazo.estudiantes > 0
        assert sum(d for _n, d in por_nivel) == brazo.desertores
    assert {b.codigo: b.itt for b in guardado.brazos[1:]} == {
        c: brazos[c].itt for c in AUMENTO_USO
    }


def _persona(rol, **alcance):
    usuario = UsuarioFactory()
    Asignacion.objects.create(usuario=usuario, rol=rol, **alcance)
    return usuario


def _pagina(client, usuario, evaluacion) -> str:
    client.force_login(usuario)
    respuesta = client.get(reverse("pilotos:resultados", args=[evaluacion.uuid]))
    assert respuesta.status_code == 200
    return respuesta.content.decode()


def test_a_null_pilot_gives_intervals_containing_zero_on_the_results_page(
    piloto, sin_piloto, client, django_capture_on_commit_callbacks
):
    """The files written without a pilot: no effect planted. Minedu's page
    shows the estimates, a UGEL's its own units only."""
    minedu = _persona(Rol.NACIONAL)
    ugel = piloto.unidades.order_by("ugel_id").first().ugel
    especialista = _persona(Rol.ESPECIALISTA_UGEL, ugel=ugel)
    # While the outcome year is missing: the use per arm only.
    html = _pagina(client, minedu, piloto)
    assert "La deserción se conocerá cuando se importe la nómina de 2026" in html
    assert "Qué recibió cada brazo" in html
    assert "Efecto estimado" not in html

    importar(sin_piloto / f"nomina_{ANIO + 1}.csv")
    analisis = analizar(datos_de_evaluacion(piloto, piloto.unidades.all()))
    for brazo in analisis.brazos[1:]:
        assert brazo.itt.contiene(0.0), brazo
    assert analisis.iv.contiene(0.0), analisis.iv
    assert sum(b.estudiantes for b in analisis.brazos) > 10_000

    # The analysis takes seconds on a national pilot: the page queues it
    # and shows the use meanwhile; once stored, it shows it.
    with django_capture_on_commit_callbacks(execute=False) as encoladas:
        html = _pagina(client, minedu, piloto)
    assert "se está calculando" in html and "Efecto estimado" not in html
    assert "Cifras de las unidades de su UGEL" not in html
    assert len(encoladas) == 1
    with django_capture_on_commit_callbacks(execute=False) as otra_vez:
        _pagina(client, minedu, piloto)
    assert not otra_vez  # queued once, however often it is reloaded
    encoladas[0]()
    assert AnalisisEvaluacion.objects.filter(evaluacion=piloto).count() == 1
    html = _pagina(client, minedu, piloto)
    assert "Efecto estimado" in html and "Efecto del uso" in html
    assert "El intervalo incluye el cero" in html
    # Dropout per arm by risk level, with each level's difference.
    assert "Por nivel de riesgo al inicio" in html
    assert "Estadístico F de la primera etapa" in html
    for brazo in BRAZOS:
        total = piloto.unidades.filter(brazo=brazo["codigo"]).count()
        assert f"{brazo['codigo']}: {total}" in html

    html = _pagina(client, especialista, piloto)
    assert "Efecto estimado" not in html
    assert "Por nivel de riesgo al inicio" in html
    assert "Cifras de las unidades de su UGEL" in html
    for brazo in BRAZOS:
        propias = piloto.unidades.filter(brazo=brazo["codigo"], ugel=ugel).count()
        assert f"{brazo['codigo']}: {propias}" in html


def test_the_pilot_changes_only_the_outcome(tmp_path, sin_piloto):
    """The same draws decide who leaves: with a planted cut only the next
    year's files change, and with no cut nothing does."""
    padron = pd.read_csv(sin_piloto / "padron_iiee.csv", dtype=str)
    cero = tmp_path / "cero"
    _generar(cero, Piloto(ANIO, dict.fromkeys(padron["COD_MOD"], 0.0)))
    todo = tmp_path / "todo"
    _generar(todo, Piloto(ANIO, dict.fromkeys(padron["COD_MOD"], 1.0)))
    for nombre in ("padron_iiee", f"nomina_{ANIO}", f"oraculo_{ANIO}"):
        original = (sin_piloto / f"{nombre}.csv").read_bytes()
        assert (cero / f"{nombre}.csv").read_bytes() == original
        assert (todo / f"{nombre}.csv").read_bytes() == original
    siguiente = f"nomina_{ANIO + 1}.csv"
    assert (cero / siguiente).read_bytes() == (sin_piloto / siguiente).read_bytes()
    # With the whole chance cut nobody drops out: every student of 2025 with
    # an outcome is enrolled in 2026.
    informe = pd.read_csv(todo / f"piloto_{ANIO}.csv")
    assert (informe["PROB_MEDIA_PILOTO"].fillna(0) == 0).all()
    assert informe["ESTUDIANTES"].sum() > 0
    texto = {"COD_ESTUDIANTE": str}
    con_resultado = set(
        pd.read_csv(todo / f"oraculo_{ANIO}.csv", dtype=texto)["COD_ESTUDIANTE"]
    )
    matriculados = set(pd.read_csv(todo / siguiente, dtype=texto)["COD_ESTUDIANTE"])
    assert con_resultado <= matriculados
