from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerta.management.comando import Comando
from siagie_import.readers import ArchivoInvalido
from siagie_import.services import archivos_de_carpeta, importacion_ejecutar


class Command(Comando):
    help = gettext_lazy(
        "Importa archivos de SIAGIE, padrón de IIEE, hogares y personal (CSV o XLSX). "
        "Acepta archivos o carpetas; las carpetas se cargan en el orden correcto."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("rutas", nargs="+", type=Path)

    def handle(self, *args, rutas: list[Path], **options) -> None:
        archivos: list[Path] = []
        for ruta in rutas:
            if ruta.is_dir():
                archivos.extend(archivos_de_carpeta(ruta))
            elif ruta.is_file():
                archivos.append(ruta)
            else:
                raise CommandError(_("No existe: %(r)s") % {"r": ruta})
        fallidos = 0
        for ruta in archivos:
            try:
                imp = importacion_ejecutar(ruta=ruta)
            except ArchivoInvalido as e:
                raise CommandError(str(e)) from e
            self.stdout.write(
                _(
                    "%(f)s: %(e)s — %(l)s filas leídas, %(a)s aceptadas, "
                    "%(r)s rechazadas"
                )
                % {
                    "f": ruta.name,
                    "e": imp.get_estado_display(),
                    "l": imp.filas_leidas,
                    "a": imp.filas_aceptadas,
                    "r": imp.filas_rechazadas,
                }
            )
            if imp.mensaje:
                self.stdout.write("  " + imp.mensaje)
                fallidos += 1
            for r in imp.rechazos[:20]:
                self.stdout.write(
                    _(
                        "  fila %(fila)s, columna %(columna)s, valor «%(valor)s»: "
                        "%(motivo)s"
                    )
                    % r
                )
        if fallidos:
            raise CommandError(
                _("%(n)s archivo(s) no se importaron.") % {"n": fallidos}
            )
