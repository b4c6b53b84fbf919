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

    def handle(self, *args, publicar: bool, **options) -> None:
        try:
            modelo = modelo_entrenar()
        except DatosInsuficientes as e:
            raise CommandError(str(e)) from e
        if publicar:
            modelo_publicar(modelo=modelo)
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
