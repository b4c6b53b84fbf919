from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerta.management.comando import Comando
from riesgo.models import EjecucionPuntaje, EstadoEjecucion
from riesgo.scoring import (
    SinModeloPublicado,
    ejecucion_reabrir,
    puntaje_completar,
    puntaje_ejecutar,
)


class Command(Comando):
    help = gettext_lazy(
        "Calcula el riesgo de todos los estudiantes del año vigente con el modelo "
        "publicado (lo mismo que la ejecución nocturna), en este proceso."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--anio", type=int, default=None)
        parser.add_argument(
            "--reanudar",
            type=int,
            metavar="EJECUCION",
            help=gettext_lazy(
                "Termina una ejecución interrumpida o fallida: puntúa solo los "
                "lotes que le faltan."
            ),
        )

    def handle(self, *args, anio: int | None, reanudar: int | None, **options) -> None:
        try:
            if reanudar:
                ejecucion = EjecucionPuntaje.objects.filter(pk=reanudar).first()
                if ejecucion is None:
                    raise CommandError(_("No existe la ejecución %s.") % reanudar)
                if ejecucion.estado == EstadoEjecucion.EXITOSA:
                    raise CommandError(_("La ejecución %s ya terminó.") % reanudar)
                ejecucion_reabrir(ejecucion)
                ejecucion = puntaje_completar(ejecucion)
            else:
                ejecucion = puntaje_ejecutar(anio=anio)
        except SinModeloPublicado as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            _(
                "Ejecución %(id)s: %(n)s estudiantes del año %(a)s en %(s).1f s "
                "(%(l)s lotes)."
            )
            % {
                "id": ejecucion.pk,
                "n": ejecucion.estudiantes,
                "a": ejecucion.anio,
                "s": ejecucion.duracion_s,
                "l": ejecucion.lotes,
            }
        )
