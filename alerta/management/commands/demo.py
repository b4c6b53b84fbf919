"""Prepare the full demo on the embedded setup and, with --puerto, serve it:
database, data, model, scores, accounts.

Each step is skipped when already done, so `make run` can call it every time.
The console gets one Spanish line per step and the accounts: while the demo
runs, log lines below WARNING (the libraries' English ones and the project's
own) and Python's warnings go nowhere, and the server's banner and request
lines are left out. Errors still show.
"""

import copy
import logging
import socket
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Case, Count, When
from django.test.utils import override_settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from threadpoolctl import threadpool_limits

from alerta.management.comando import Comando
from alerta.models import Asignacion, Nivel, Rol, Seccion, Usuario
from alerta.presentacion.modelos import decimal
from alerta.selectors import anio_vigente
from monitoreo.calculo import uso_calcular
from monitoreo.models import CalculoUso
from monitoreo.sintetico import uso_generar
from resultados.calculo import resultados_calcular
from riesgo.models import EjecucionPuntaje, ModeloRiesgo
from riesgo.scoring import puntaje_ejecutar
from riesgo.training import DatosInsuficientes, anio_de_validacion, modelo_entrenar
from riesgo.versiones import modelo_publicar, no_supera_base, texto_no_supera
from seguimiento.models import AccionSeguimiento
from seguimiento.sintetico import seguimiento_generar
from siagie_import.models import EstadoImportacion, Importacion
from siagie_import.services import (
    archivos_de_carpeta,
    importacion_ejecutar,
    importaciones_cerrar_interrumpidas,
)
from siagie_import.sintetico import ErrorGenerador, generar
from siagie_import.sintetico.oraculo import OraculoInvalido, oraculo_leer

CLAVE_DEMO = "AlertaDemo2026"


@contextmanager
def consola_en_silencio() -> Iterator[None]:
    """Nothing below WARNING from any logger, and no Python warnings."""
    anterior = logging.root.manager.disable
    logging.disable(logging.INFO)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logging.disable(anterior)


# One OpenMP thread for the boosting's fit and predictions. On a 2-core machine
# with other work running, two threads that wait on each other made training
# 24 s instead of 3.5 s, with the same model (docs/decisions/0021).
HILOS = 1


def _segundos(inicio: float) -> str:
    return _("%(s)s s") % {"s": number_format(time.perf_counter() - inicio, 1)}


class Command(Comando):
    help = gettext_lazy(
        "Prepara la demostración: genera y carga una región, entrena el modelo, "
        "calcula los riesgos y crea una cuenta por rol; con --puerto, la sirve."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--region", default="CUSCO")
        parser.add_argument("--estudiantes", type=int, default=5000)
        parser.add_argument("--semilla", type=int, default=42)
        parser.add_argument(
            "--carpeta",
            type=Path,
            help=gettext_lazy(
                "Carpeta de los archivos generados (por defecto, var/demo)."
            ),
        )
        parser.add_argument(
            "--puerto",
            type=int,
            help=gettext_lazy(
                "Al terminar, sirve el portal en http://127.0.0.1:PUERTO/ (servidor "
                "de desarrollo de Django, sin recarga automática)."
            ),
        )

    def handle(
        self,
        *args,
        region: str,
        estudiantes: int,
        semilla: int,
        puerto: int | None = None,
        carpeta: Path | None = None,
        **options,
    ):
        inicio = time.perf_counter()
        if puerto is not None:
            self._puerto_libre(puerto)
        carpeta = Path(carpeta or Path(settings.BASE_DIR) / "var" / "demo")
        with consola_en_silencio(), threadpool_limits(HILOS):
            self._paso(_("Preparando la base de datos"), self._migrar)
            if not Importacion.objects.filter(
                estado=EstadoImportacion.COMPLETADA
            ).exists():
                self._paso(
                    _("Generando una región sintética (%(r)s)") % {"r": region},
                    lambda avance: self._generar(
                        carpeta, region, estudiantes, semilla, avance
                    ),
                )
                self._paso(
                    _("Importando los archivos"),
                    lambda avance: self._importar(carpeta, avance),
                )
            if ModeloRiesgo.objects.publicado() is None:
                self._paso(
                    _("Entrenando el modelo de riesgo"),
                    lambda avance: self._entrenar(carpeta),
                )
                self._publicar(ModeloRiesgo.objects.order_by("-version").first())
            if EjecucionPuntaje.objects.vigente() is None:
                # Before the current year's run: the latest run is the one
                # every page shows.
                self._paso(
                    _("Calculando los resultados del año de validación"),
                    self._resultados,
                )
                self._paso(_("Calculando el riesgo de cada estudiante"), self._puntuar)
            if not AccionSeguimiento.objects.exists():
                self._paso(
                    _("Escribiendo un seguimiento de ejemplo"),
                    lambda avance: self._seguimiento(semilla),
                )
            if not CalculoUso.objects.exists():
                self._paso(
                    _("Escribiendo el uso de ejemplo y calculando el monitoreo"),
                    lambda avance: self._uso(semilla),
                )
            self._cuentas()
        self.stdout.write(
            _("La demostración está lista (%(t)s).") % {"t": _segundos(inicio)}
        )
        if puerto is not None:
            self._servir(puerto)

    # --- Steps ---------------------------------------------------------------

    def _paso(self, titulo: str, hacer: Callable[[Callable[[str], None]], str]) -> None:
        """Run one step on one console line: its title, its progress (on a
        terminal only) and, at the end, what it did and how long it took."""
        inicio = time.perf_counter()
        terminal = self.stdout.isatty()
        self.stdout.write(f"{titulo}…", ending="")
        self.stdout.flush()

        def avance(texto: str) -> None:
            if terminal:
                self.stdout.write(f"\r\033[K{titulo}… {texto}", ending="")
                self.stdout.flush()

        detalle = hacer(avance)
        if terminal:
            self.stdout.write(f"\r\033[K{titulo}…", ending="")
        self.stdout.write(f" {detalle}{' ' if detalle else ''}({_segundos(inicio)})")

    def _migrar(self, avance) -> str:
        call_command("migrate", interactive=False, verbosity=0, stdout=StringIO())
        return ""

    def _generar(self, carpeta, region, estudiantes, semilla, avance) -> str:
        try:
            resumen = generar(
                carpeta,
                region=region,
                estudiantes=estudiantes,
                semilla=semilla,
                progreso=lambda hechas, total: avance(
                    _("UGEL %(h)d de %(t)d") % {"h": hechas, "t": total}
                ),
            )
        except ErrorGenerador as e:
            raise CommandError(str(e)) from e
        return _(
            "%(iiee)d IIEE de %(ugels)d UGEL, %(est)d estudiantes, años %(desde)d "
            "a %(hasta)d"
        ) % {
            "iiee": resumen.iiee,
            "ugels": len(resumen.ugels),
            "est": resumen.estudiantes_total,
            "desde": resumen.anios[0],
            "hasta": resumen.anios[-1],
        }

    def _importar(self, carpeta: Path, avance) -> str:
        archivos = archivos_de_carpeta(carpeta)
        importaciones_cerrar_interrumpidas()
        filas = 0
        # The generated staff have made-up addresses: send them no e-mail.
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"
        ):
            for i, ruta in enumerate(archivos, 1):
                avance(
                    _("%(i)d de %(n)d: %(f)s")
                    % {"i": i, "n": len(archivos), "f": ruta.name}
                )
                imp = importacion_ejecutar(ruta=ruta)
                if imp.estado != EstadoImportacion.COMPLETADA:
                    raise CommandError(f"{ruta.name}: {imp.mensaje}")
                filas += imp.filas_aceptadas
        return _("%(n)d archivos, %(f)s filas") % {
            "n": len(archivos),
            "f": number_format(filas, force_grouping=True),
        }

    def _entrenar(self, carpeta: Path) -> str:
        try:
            oraculo = None
            if any(carpeta.glob("oraculo_*.csv")):
                # The generator's oracle is there: the model page shows the gap.
                anio = anio_de_validacion()
                oraculo = {anio: oraculo_leer(carpeta=carpeta, anio=anio)}
            modelo = modelo_entrenar(oraculo=oraculo)
        except (DatosInsuficientes, OraculoInvalido) as e:
            raise CommandError(str(e)) from e
        texto = _("versión %(v)d, ROC-AUC %(auc)s en el año %(a)s") % {
            "v": modelo.version,
            "auc": decimal(modelo.roc_auc),
            "a": modelo.anio_validacion or _("retenido"),
        }
        comparaciones = []
        if (base := modelo.metricas["base"]["roc_auc"]) is not None:
            comparaciones.append(_("línea de base %(b)s") % {"b": decimal(base)})
        if "oraculo" in modelo.metricas:
            comparaciones.append(
                _("oráculo %(o)s")
                % {"o": decimal(modelo.metricas["oraculo"]["roc_auc"])}
            )
        if comparaciones:
            texto += f" ({'; '.join(comparaciones)})"
        return texto

    def _puntuar(self, avance) -> str:
        ejecucion = puntaje_ejecutar()
        return _("%(n)s estudiantes del año %(a)s") % {
            "n": number_format(ejecucion.estudiantes, force_grouping=True),
            "a": ejecucion.anio,
        }

    def _resultados(self, avance) -> str:
        """Score the published model's validation year (a year it was not
        trained on, whose next year is imported) and compute its outcome
        report, so that the outcome pages have content."""
        modelo = ModeloRiesgo.objects.publicado()
        anio = modelo.anio_validacion if modelo else None
        if anio is None:
            return _("sin año de validación")
        puntaje_ejecutar(anio=anio)
        informes = resultados_calcular()
        if not informes:
            return _("sin matrícula del año siguiente")
        informe = informes[-1]
        return _("año %(a)s: %(n)s estudiantes con resultado") % {
            "a": informe.anio,
            "n": number_format(informe.con_resultado, force_grouping=True),
        }

    # --- The server ------------------------------------------------------------

    def _puerto_libre(self, puerto: int) -> None:
        """Fail before the demo's steps, in Spanish, if the port is taken."""
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", puerto))
            except OSError as e:
                raise CommandError(
                    _(
                        "El puerto %(p)d ya está en uso: elija otro, por ejemplo "
                        "make run PORT=%(otro)d."
                    )
                    % {"p": puerto, "otro": puerto + 1}
                ) from e

    def _servir(self, puerto: int) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                _("Abra http://127.0.0.1:%(p)d/ en el navegador (Ctrl+C para detener).")
                % {"p": puerto}
            )
        )
        # Each request would log a line, and a 404 two; a server error (5xx)
        # still does. In the settings: the server sets logging up again.
        registro = copy.deepcopy(settings.LOGGING)
        registro.setdefault("loggers", {}).update(
            {
                "django.server": {"level": "ERROR"},
                "django.request": {"level": "ERROR"},
                "django.utils.autoreload": {"level": "WARNING"},
            }
        )
        with override_settings(LOGGING=registro):
            call_command(
                "runserver",
                f"127.0.0.1:{puerto}",
                use_reloader=False,
                skip_checks=True,
                stdout=StringIO(),
            )

    def _publicar(self, modelo: ModeloRiesgo) -> None:
        """Publish the demo's model; one that does not beat its baseline is
        published anyway (the portal needs scores to show), saying so."""
        debajo = no_supera_base(modelo)
        if debajo:
            self.stdout.write(
                _(
                    "Atención: %(motivo)s La demostración la publica igual, solo para "
                    "que el portal muestre niveles de riesgo con datos sintéticos; con "
                    "datos reales, /modelos/ pide confirmación antes de publicar una "
                    "versión así."
                )
                % {"motivo": texto_no_supera(modelo, debajo)}
            )
        modelo_publicar(modelo=modelo, aunque_no_supere_base=bool(debajo))
        if not debajo:
            self.stdout.write(
                _("Versión %(v)d publicada: supera a su línea de base.")
                % {"v": modelo.version}
            )

    @transaction.atomic
    def _seguimiento(self, semilla: int) -> str:
        seccion = self._seccion_de_la_demo(anio_vigente())
        resumen = seguimiento_generar(
            semilla=semilla, protegida=seccion.pk if seccion else None
        )
        return _("%(a)s acciones, %(r)s registros mensuales") % {
            "a": number_format(resumen.acciones, force_grouping=True),
            "r": number_format(resumen.registros, force_grouping=True),
        }

    def _uso(self, semilla: int) -> str:
        resumen = uso_generar(semilla=semilla)
        calculo = uso_calcular()
        return _("%(i)s ingresos de %(d)s docentes") % {
            "i": number_format(resumen.ingresos, force_grouping=True),
            "d": number_format(calculo.docentes, force_grouping=True),
        }

    def _seccion_de_la_demo(self, anio: int | None) -> Seccion | None:
        """The demo tutor's sección: the fullest sección A of the year with a
        tutor, 3.º or 4.º de primaria when there is one, not a graduating
        class."""
        con_tutor = Seccion.objects.filter(
            anio=anio, letra="A", tutores__rol=Rol.TUTOR, tutores__activa=True
        ).annotate(
            n=Count("matriculas", distinct=True),
            intermedio=Case(
                When(nivel=Nivel.PRIMARIA, grado__in=[3, 4], then=1), default=0
            ),
        )
        return con_tutor.order_by("-intermedio", "-n", "pk").first()

    def _cuentas(self) -> None:
        anio = anio_vigente()
        # The demo sección's tutor, and that IE's director.
        seccion = self._seccion_de_la_demo(anio)
        if seccion is None:
            self.stdout.write(
                _("No hay tutores importados: sin cuentas de demostración.")
            )
            return
        tutor = (
            Asignacion.objects.vigentes()
            .filter(rol=Rol.TUTOR, seccion=seccion)
            .select_related("seccion__ie__ugel__dre", "usuario")
            .first()
        )
        ie = tutor.seccion.ie
        director = (
            Asignacion.objects.vigentes()
            .filter(rol=Rol.DIRECTOR, ie=ie, anio=anio)
            .select_related("usuario")
            .first()
        )
        cuentas = [
            (_("Docente tutor"), tutor.usuario, f"{tutor.seccion} — {ie.rotulo}"),
        ]
        if director:
            cuentas.append((_("Director"), director.usuario, ie.rotulo))
        # Made-up people: the portal greets each by name, never by username.
        for usuario_nombre, nombre, rol, alcance, descripcion in [
            (
                "especialista.ugel",
                ("Rocío", "Mamani Huarcaya"),
                Rol.ESPECIALISTA_UGEL,
                {"ugel": ie.ugel},
                ie.ugel.nombre,
            ),
            (
                "especialista.dre",
                ("Julio", "Quispe Torres"),
                Rol.ESPECIALISTA_DRE,
                {"dre": ie.ugel.dre},
                ie.ugel.dre.nombre,
            ),
            ("minedu", ("Carmen", "Salazar Ríos"), Rol.NACIONAL, {}, _("Todo el país")),
        ]:
            usuario, _c = Usuario.objects.get_or_create(username=usuario_nombre)
            usuario.first_name, usuario.last_name = nombre
            Asignacion.objects.get_or_create(usuario=usuario, rol=rol, **alcance)
            cuentas.append((Rol(rol).label, usuario, descripcion))
        admin, _c = Usuario.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True}
        )
        admin.first_name, admin.last_name = "Luis", "Paredes Soto"
        cuentas.append(
            (_("Administrador"), admin, _("Administración de Django (/admin/)"))
        )
        # One hash for all: the password is public, and each hash costs a
        # third of a second by design.
        clave = make_password(CLAVE_DEMO)
        for _rol, usuario, _d in cuentas:
            usuario.password = clave
            usuario.save()

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Cuentas de demostración")))
        self.stdout.write(_("Contraseña de todas: %(c)s") % {"c": CLAVE_DEMO})
        for rol, usuario, descripcion in cuentas:
            self.stdout.write(f"  {rol:<20} {usuario.username:<20} {descripcion}")
