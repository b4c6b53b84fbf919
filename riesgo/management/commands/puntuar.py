from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerta.management.comando import Comando
from riesgo.scoring import SinModeloPublicado, puntaje_ejecutar


class Command(Comando):
    help = gettext_lazy(
        "Calcula el riesgo de todos los estudiantes del año vigente con el modelo "
        "publicado (lo mismo que la ejecución nocturna)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--anio", type=int, default=None)

    def handle(self, *args, anio: int | None, **options) -> None:
        try:
            ejecucion = puntaje_ejecutar(anio=anio)
        except SinModeloPublicado as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            _("Ejecución %(id)s: %(n)s estudiantes del año %(a)s en %(s).1f s.")
            % {
                "id": ejecucion.pk,
                "n": ejecucion.estudiantes,
                "a": ejecucion.anio,
                "s": ejecucion.duracion_s,
            }
        )
