from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerta.auditoria import registros_acceso_purgar
from alerta.management.comando import Comando


class Command(Comando):
    help = gettext_lazy(
        "Borra del registro de accesos las filas más antiguas que el plazo de "
        "conservación (REGISTRO_ACCESO_RETENCION_DIAS); lo mismo que la tarea "
        "nocturna."
    )

    def handle(self, *args, **options) -> None:
        borrados = registros_acceso_purgar()
        self.stdout.write(
            _("Se borraron %(borrados)s registros de acceso de más de %(dias)s días.")
            % {"borrados": borrados, "dias": settings.REGISTRO_ACCESO_RETENCION_DIAS}
        )
