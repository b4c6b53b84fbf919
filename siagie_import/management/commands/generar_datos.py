"""Write synthetic SIAGIE-like files: see ``siagie_import.sintetico``."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext_lazy as _

from alerta.management.comando import Comando
from siagie_import.sintetico import ESTUDIANTES_NACIONAL, ErrorGenerador, generar

ESTUDIANTES_DEMO = 5000


class Command(Comando):
    help = _(
        "Genera datos sintéticos (padrón de IIEE, nóminas, evaluaciones, asistencia, "
        "hogares y personal) sobre la geografía real del Perú, con los formatos que "
        "importa Alerta Escuela, y la probabilidad verdadera de deserción de cada "
        "estudiante (oráculo)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--salida",
            required=True,
            type=Path,
            help=_("Carpeta donde se escriben los archivos (se crea si no existe)."),
        )
        donde = parser.add_mutually_exclusive_group()
        donde.add_argument(
            "--region",
            default="CUSCO",
            help=_("Departamento, provincia, DRE o UGEL (por defecto, CUSCO)."),
        )
        donde.add_argument(
            "--nacional",
            action="store_true",
            help=_(
                "Todo el país; sin --estudiantes, a escala real (unos 6 millones de "
                "estudiantes por año, unas 220 UGEL)."
            ),
        )
        parser.add_argument(
            "--escala",
            choices=["demo", "completa", "nacional"],
            help=_(
                "demo: 5000 estudiantes por año; completa: todos los de la región; "
                "nacional: todo el país a escala real (como --nacional)."
            ),
        )
        parser.add_argument(
            "--estudiantes",
            type=int,
            help=_("Estudiantes por año (por defecto, 5000)."),
        )
        parser.add_argument(
            "--desde", type=int, default=2022, help=_("Primer año escolar.")
        )
        parser.add_argument(
            "--hasta",
            type=int,
            default=2026,
            help=_("Último año escolar, el año en curso."),
        )
        parser.add_argument(
            "--semilla",
            type=int,
            default=42,
            help=_("Semilla: la misma semilla da los mismos archivos."),
        )
        parser.add_argument(
            "--formato",
            choices=["csv", "xlsx"],
            default="csv",
            help=_("Formato de los archivos (el oráculo es siempre csv)."),
        )
        parser.add_argument(
            "--desordenado",
            action="store_true",
            help=_(
                "Escribe los mismos datos como llegan los extractos reales: cada "
                "archivo en tres partes (xlsx con título, txt Latin-1 con «|», csv "
                "UTF-8 con BOM y «;»), cabeceras y valores escritos de todas las "
                "formas que admite FORMATOS.md. La misma semilla da los mismos "
                "datos que sin esta opción. Ignora --formato."
            ),
        )

    def handle(self, *args, **options) -> None:
        escala = options["escala"]
        nacional = options["nacional"] or escala == "nacional"
        region = None if nacional else options["region"]
        estudiantes = options["estudiantes"]
        if estudiantes is None:
            completa = nacional and escala != "demo" or escala == "completa"
            estudiantes = ESTUDIANTES_NACIONAL if completa else ESTUDIANTES_DEMO
        try:
            resumen = generar(
                options["salida"],
                region=region,
                estudiantes=estudiantes,
                anio_inicial=options["desde"],
                anio_final=options["hasta"],
                semilla=options["semilla"],
                formato=options["formato"],
                desordenado=options["desordenado"],
                progreso=self._progreso,
            )
        except ErrorGenerador as error:
            raise CommandError(str(error)) from error
        self.stderr.write("")
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Listo: %(iiee)d IIEE de %(ugels)d UGEL, %(est)d estudiantes "
                    "distintos, años %(desde)d a %(hasta)d, en %(seg).1f s. "
                    "Archivos en %(salida)s:"
                )
                % {
                    "iiee": resumen.iiee,
                    "ugels": len(resumen.ugels),
                    "est": resumen.estudiantes_total,
                    "desde": resumen.anios[0],
                    "hasta": resumen.anios[-1],
                    "seg": resumen.segundos,
                    "salida": resumen.salida,
                }
            )
        )
        for nombre, ruta in resumen.archivos.items():
            self.stdout.write(f"  {ruta.name:<28} {resumen.filas[nombre]:>12}")

    def _progreso(self, hechas: int, total: int) -> None:
        porcentaje = 100 * hechas // max(total, 1)
        self.stderr.write(
            "\r"
            + _("UGEL %(hechas)d de %(total)d (%(pct)d %%)")
            % {"hechas": hechas, "total": total, "pct": porcentaje},
            ending="",
        )
        self.stderr.flush()
