from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerta.management.comando import Comando
from riesgo.training import DatosInsuficientes, modelo_entrenar
from riesgo.versiones import modelo_publicar


class Command(Comando):
    help = gettext_lazy("Entrena una nueva versión del modelo de riesgo.")

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--publicar",
            action="store_true",
            help=gettext_lazy("Publicarla al terminar."),
        )
        parser.add_argument(
            "--oraculo",
            metavar="CARPETA",
            type=Path,
            help=gettext_lazy(
                "Carpeta con los archivos oraculo_<AAAA>.csv del generador: compara "
                "el modelo con la probabilidad verdadera de deserción."
            ),
        )

    def handle(
        self, *args, publicar: bool, oraculo: Path | str | None, **options
    ) -> None:
        # call_command() passes options as given, without argparse's type.
        oraculo = Path(oraculo) if oraculo else None
        if oraculo is not None and not oraculo.is_dir():
            raise CommandError(_("No existe la carpeta %(c)s.") % {"c": oraculo})
        try:
            modelo = modelo_entrenar(oraculo=oraculo)
        except DatosInsuficientes as e:
            raise CommandError(str(e)) from e
        if publicar:
            modelo_publicar(modelo=modelo)
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
        elif oraculo is not None:
            self.stdout.write(
                _("El oráculo no cubre a los estudiantes del año de validación.")
            )
        for frase in metricas["en_palabras"]:
            self.stdout.write(f"  {frase}")
