from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from alerta.management.comando import Comando
from siagie_import.models import TipoArchivo
from siagie_import.services import (
    NOMBRES_DE_TIPO,
    TIPOS_CON_ANIO,
    ArchivoInvalido,
    archivos_de_carpeta,
    importacion_ejecutar,
    importaciones_cerrar_interrumpidas,
    tipo_de_archivo,
    tipo_por_nombre,
)

MOSTRAR_RECHAZOS = 20
ANIOS = range(2000, 2101)


def _opciones() -> str:
    """The values --tipo accepts, as a Spanish list: "a, b o c"."""
    *primeros, ultimo = NOMBRES_DE_TIPO
    return _("%(primeros)s o %(ultimo)s") % {
        "primeros": ", ".join(primeros),
        "ultimo": ultimo,
    }


class Command(Comando):
    help = gettext_lazy(
        "Importa archivos de SIAGIE, padrón de IIEE, hogares y personal (CSV o XLSX). "
        "Acepta archivos o carpetas; las carpetas se cargan en el orden correcto. "
        "El tipo y el año se reconocen por el nombre (nomina_2026.csv); para un "
        "archivo con otro nombre, indíquelos con --tipo y --anio."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("rutas", nargs="+", type=Path)
        parser.add_argument(
            "--tipo",
            help=gettext_lazy(
                "Tipo del archivo, si su nombre no lo dice: padron, nomina, "
                "evaluacion, asistencia, hogares o personal. Solo con un archivo."
            ),
        )
        parser.add_argument(
            "--anio",
            help=gettext_lazy(
                "Año escolar del archivo (por ejemplo, 2026), si su nombre no lo "
                "dice. Solo con un archivo."
            ),
        )
        parser.add_argument(
            "--sin-progreso",
            action="store_true",
            help=gettext_lazy("No mostrar la barra de progreso."),
        )

    def handle(
        self,
        *args,
        rutas: list[Path],
        sin_progreso: bool,
        tipo: str | None,
        anio: str | None,
        **options,
    ) -> None:
        archivos: list[Path] = []
        for ruta in rutas:
            if ruta.is_dir():
                archivos.extend(archivos_de_carpeta(ruta))
            elif ruta.is_file():
                archivos.append(ruta)
            else:
                raise CommandError(_("No existe: %(r)s") % {"r": ruta})
        if (tipo is not None or anio is not None) and not (
            len(rutas) == 1 and rutas[0].is_file()
        ):
            # A folder or several files may mix kinds and years: each one's
            # name must say them.
            raise CommandError(
                _(
                    "--tipo y --anio se aplican a un solo archivo; para una "
                    "carpeta o varios archivos, cada nombre debe decir su tipo y "
                    "año (por ejemplo, nomina_2026.csv)."
                )
            )
        # Every file is checked before any is loaded: a bad name found halfway
        # would leave the files before it imported and the rest not.
        cargas = [(ruta, *self._tipo_y_anio(ruta, tipo, anio)) for ruta in archivos]
        # Without a Celery beat (the embedded setup), an import whose process
        # died is closed here, before loading again.
        for pk in importaciones_cerrar_interrumpidas():
            self.stdout.write(
                _(
                    "La importación %(n)s se había interrumpido: queda como "
                    "fallida, sin datos importados."
                )
                % {"n": pk}
            )
        fallidos = 0
        for ruta, tipo_archivo, anio_archivo in cargas:
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
                    imp = importacion_ejecutar(
                        ruta=ruta,
                        tipo=tipo_archivo,
                        anio=anio_archivo,
                        progreso=progreso,
                    )
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

    def _tipo_y_anio(
        self, ruta: Path, tipo: str | None, anio: str | None
    ) -> tuple[str, int | None]:
        """The kind and year of a file: as given, else from its name."""
        detectado = tipo_de_archivo(ruta.name)
        if tipo is not None:
            if not (elegido := tipo_por_nombre(tipo)):
                raise CommandError(
                    _("«%(t)s» no es un tipo de archivo: use --tipo %(opciones)s.")
                    % {"t": tipo, "opciones": _opciones()}
                )
        elif detectado:
            elegido = detectado[0]
        else:
            raise CommandError(
                _(
                    "No se reconoce el tipo de %(f)s por su nombre: indíquelo con "
                    "--tipo, que puede ser %(opciones)s."
                )
                % {"f": ruta.name, "opciones": _opciones()}
            )
        if anio is not None:
            if not (anio.strip().isdigit() and int(anio) in ANIOS):
                raise CommandError(
                    _("--anio debe ser un año de cuatro cifras, por ejemplo 2026.")
                )
            anio_elegido = int(anio)
        elif detectado and detectado[0] == elegido:
            anio_elegido = detectado[1]
        else:
            anio_elegido = None
        if elegido in TIPOS_CON_ANIO and anio_elegido is None:
            raise CommandError(
                _(
                    "%(f)s es de tipo «%(tipo)s» y necesita el año escolar: "
                    "indíquelo con --anio, por ejemplo --anio 2026."
                )
                % {"f": ruta.name, "tipo": TipoArchivo(elegido).label}
            )
        return elegido, anio_elegido
