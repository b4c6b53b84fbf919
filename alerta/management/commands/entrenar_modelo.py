"""Train a new version of the risk model (riesgo.training), optionally against
the synthetic generator's oracle and publishing it.

It lives in the project, not in the engine: it joins the engine with the
importer's synthetic oracle (siagie_import.sintetico), and the engine does not
import the importer (the contracts in pyproject.toml).
"""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerta.management.comando import Comando
from riesgo.models import ModeloRiesgo
from riesgo.training import DatosInsuficientes, anio_de_validacion, modelo_entrenar
from riesgo.versiones import (
    NoSuperaBase,
    cifras_no_supera,
    modelo_publicar,
    no_supera_base,
    texto_no_supera,
)
from siagie_import.sintetico.oraculo import OraculoInvalido, oraculo_leer


class Command(Comando):
    help = gettext_lazy("Entrena una nueva versión del modelo de riesgo.")

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--publicar",
            action="store_true",
            help=gettext_lazy(
                "Publicarla al terminar, si supera a su línea de base (regresión "
                "logística) en ROC-AUC y en PR-AUC."
            ),
        )
        parser.add_argument(
            "--publicar-aunque-no-supere",
            action="store_true",
            help=gettext_lazy(
                "Publicarla al terminar aunque no supere a su línea de base."
            ),
        )
        parser.add_argument(
            "--oraculo",
            metavar="CARPETA",
            type=Path,
            help=gettext_lazy(
                "Carpeta con los archivos oraculo_<AAAA>.csv del generador: compara "
                "el modelo con la probabilidad verdadera de deserción. El archivo "
                "del año de validación se revisa antes de entrenar."
            ),
        )

    def handle(
        self,
        *args,
        publicar: bool,
        oraculo: Path | str | None,
        publicar_aunque_no_supere: bool = False,
        **options,
    ) -> None:
        try:
            # The oracle's file is checked whole before the training starts.
            probabilidades = self._oraculo(oraculo) if oraculo else None
            modelo = modelo_entrenar(oraculo=probabilidades)
        except (DatosInsuficientes, OraculoInvalido) as e:
            raise CommandError(str(e)) from e
        metricas = modelo.metricas
        self.stdout.write(
            _(
                "Modelo v%(v)s (%(e)s): ROC-AUC %(auc).3f en el año %(a)s, "
                "%(n)s estudiantes."
            )
            % {
                "v": modelo.version,
                "e": modelo.get_estado_display(),
                "auc": modelo.roc_auc,
                "a": modelo.anio_validacion or _("retenido"),
                "n": modelo.n_validacion,
            }
        )
        base = metricas["base"]["roc_auc"]
        if base is not None:
            self.stdout.write(
                _("Línea base (regresión logística): ROC-AUC %(auc).3f.")
                % {"auc": base}
            )
        if "oraculo" in metricas:
            o = metricas["oraculo"]
            self.stdout.write(
                _(
                    "Oráculo: ROC-AUC %(oraculo).3f en %(n)s estudiantes, donde el "
                    "modelo tiene %(modelo).3f (brecha %(brecha).3f)."
                )
                % {
                    "oraculo": o["roc_auc"],
                    "n": o["n"],
                    "modelo": o["roc_auc_modelo"],
                    "brecha": o["brecha"],
                }
            )
        elif oraculo:
            self.stdout.write(
                _("El oráculo no cubre a los estudiantes del año de validación.")
            )
        for frase in metricas["en_palabras"]:
            self.stdout.write(f"  {frase}")
        if publicar or publicar_aunque_no_supere:
            self._publicar(modelo, aunque_no_supere=publicar_aunque_no_supere)

    def _publicar(self, modelo: ModeloRiesgo, *, aunque_no_supere: bool) -> None:
        try:
            modelo_publicar(modelo=modelo, aunque_no_supere_base=aunque_no_supere)
        except NoSuperaBase as e:
            raise CommandError(
                _(
                    "No se publicó la versión %(v)d: no supera a su línea de base "
                    "en %(cifras)s; para publicarla igual, use "
                    "--publicar-aunque-no-supere o el botón Publicar de /modelos/."
                )
                % {"v": modelo.version, "cifras": cifras_no_supera(e.debajo)}
            ) from e
        debajo = no_supera_base(modelo)
        if debajo:
            self.stdout.write(
                _("Publicada aunque no supera a su línea de base: %(motivo)s")
                % {"motivo": texto_no_supera(modelo, debajo)}
            )
        else:
            self.stdout.write(
                _("Publicada: supera a su línea de base en ROC-AUC y en PR-AUC.")
            )

    def _oraculo(self, carpeta: Path | str) -> dict[int, dict[str, float]]:
        anio = anio_de_validacion()
        # call_command() passes options as given, without argparse's type.
        return {anio: oraculo_leer(carpeta=Path(carpeta), anio=anio)}
