"""Prepare the full demo on the embedded setup: data, model, scores, accounts.

Each step is skipped when already done, so `make run` can call it every time.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Case, Count, When
from django.test.utils import override_settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerta.management.comando import Comando
from alerta.models import Asignacion, Nivel, Rol, Seccion, Usuario
from alerta.selectors import anio_vigente
from riesgo.models import EjecucionPuntaje, ModeloRiesgo
from riesgo.versiones import modelo_publicar, no_supera_base, texto_no_supera
from siagie_import.models import EstadoImportacion, Importacion

CLAVE_DEMO = "AlertaDemo2026"


class Command(Comando):
    help = gettext_lazy(
        "Prepara la demostración: genera y carga una región, entrena el modelo, "
        "calcula los riesgos y crea una cuenta por rol."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--region", default="CUSCO")
        parser.add_argument("--estudiantes", type=int, default=5000)
        parser.add_argument("--semilla", type=int, default=42)

    def handle(self, *args, region: str, estudiantes: int, semilla: int, **options):
        carpeta = Path(settings.BASE_DIR) / "var" / "demo"
        if not Importacion.objects.filter(estado=EstadoImportacion.COMPLETADA).exists():
            self.stdout.write(
                _("Generando datos sintéticos en %(c)s…") % {"c": carpeta}
            )
            call_command(
                "generar_datos",
                salida=str(carpeta),
                region=region,
                estudiantes=estudiantes,
                semilla=semilla,
                stdout=self.stdout,
            )
            self.stdout.write(_("Importando…"))
            # The generated staff have made-up addresses: send them no e-mail.
            with override_settings(
                EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"
            ):
                call_command("importar_siagie", str(carpeta), stdout=self.stdout)
        if ModeloRiesgo.objects.publicado() is None:
            self.stdout.write(_("Entrenando el modelo de riesgo…"))
            # The generator's oracle is there: the model page shows the gap.
            oraculo = str(carpeta) if any(carpeta.glob("oraculo_*.csv")) else None
            call_command("entrenar_modelo", oraculo=oraculo, stdout=self.stdout)
            self._publicar(ModeloRiesgo.objects.order_by("-version").first())
        if EjecucionPuntaje.objects.vigente() is None:
            self.stdout.write(_("Calculando el riesgo de cada estudiante…"))
            call_command("puntuar", stdout=self.stdout)
        self._cuentas()

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
    def _cuentas(self) -> None:
        anio = anio_vigente()
        # The tutor of the fullest sección A of the year, and that IE's director;
        # 3.º or 4.º de primaria when there is one, not a graduating class.
        con_tutor = Seccion.objects.filter(
            anio=anio, letra="A", tutores__rol=Rol.TUTOR, tutores__activa=True
        ).annotate(
            n=Count("matriculas", distinct=True),
            intermedio=Case(
                When(nivel=Nivel.PRIMARIA, grado__in=[3, 4], then=1), default=0
            ),
        )
        seccion = con_tutor.order_by("-intermedio", "-n", "pk").first()
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
        for _rol, usuario, _d in cuentas:
            usuario.set_password(CLAVE_DEMO)
            usuario.save()

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Cuentas de demostración")))
        self.stdout.write(_("Contraseña de todas: %(c)s") % {"c": CLAVE_DEMO})
        for rol, usuario, descripcion in cuentas:
            self.stdout.write(f"  {rol:<20} {usuario.username:<20} {descripcion}")
