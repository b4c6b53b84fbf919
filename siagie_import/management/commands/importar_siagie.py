from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from alerta.management.comando import Comando
from siagie_import.services import (
    ArchivoInvalido,
    archivos_de_carpeta,
    importacion_ejecutar,
)

MOSTRAR_RECHAZOS = 20


class Command(Comando):
    help = gettext_lazy(
        "Importa archivos de SIAGIE, padrón de IIEE, hogares y personal (CSV o XLSX). "
        "Acepta archivos o carpetas; las carpetas se cargan en el orden correcto."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("rutas", nargs="+", type=Path)
        parser.add_argument(
            "--sin-progreso",
            action="store_true",
            help=gettext_lazy("No mostrar la barra de progreso."),
        )

    def handle(self, *args, rutas: list[Path], sin_progreso: bool, **options) -> None:
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
            with tqdm(
                desc=ruta.name,
                unit=_(" filas"),
                disable=sin_progreso or None,
                leave=False,
            ) as barra:

                def progreso(hechas: int, total: int, barra=barra) -> None:
                    barra.total = total
                    barra.update(hechas - barra.n)

                try:
                    imp = importacion_ejecutar(ruta=ruta, progreso=progreso)
                except ArchivoInvalido as e:
                    raise CommandError(str(e)) from e
            self.stdout.write(
                _(
                    "%(f)s: %(e)s — %(l)s filas leídas, %(a)s aceptadas, "
                    "%(r)s rechazadas (%(s).1f s)"
                )
                % {
                    "f": ruta.name,
                    "e": imp.get_estado_display(),
                    "l": imp.filas_leidas,
                    "a": imp.filas_aceptadas,
                    "r": imp.filas_rechazadas,
                    "s": imp.duracion_s or 0,
                }
            )
            if imp.mensaje:
                self.stdout.write("  " + imp.mensaje)
                fallidos += 1
            for r in imp.rechazos.all()[:MOSTRAR_RECHAZOS]:
                self.stdout.write(
                    _(
                        "  fila %(fila)s, columna %(columna)s, valor «%(valor)s»: "
                        "%(motivo)s"
                    )
                    % {
                        "fila": r.fila,
                        "columna": r.columna,
                        "valor": r.valor,
                        "motivo": r.motivo,
                    }
                )
            if imp.filas_rechazadas > MOSTRAR_RECHAZOS:
                self.stdout.write(
                    _("  … y %(n)s filas rechazadas más (reporte completo en la web).")
                    % {"n": imp.filas_rechazadas - MOSTRAR_RECHAZOS}
                )
        if fallidos:
            raise CommandError(
                _("%(n)s archivo(s) no se importaron.") % {"n": fallidos}
            )
