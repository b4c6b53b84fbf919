"""What the browser tests share: screen sizes, the world's fixed names, logging in."""

from dataclasses import dataclass

from tests.factories import CLAVE

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the `navegador` fixture skips, or fails in CI, with the reason
    Page = expect = None

# Phones the portal must fit: the narrowest common Android width.
TELEFONO = {"width": 360, "height": 740}
ESCRITORIO = {"width": 1280, "height": 800}


# Names of the world's students, fixed so that a test can tell them apart:
# the factories cycle through a few names shared across the whole session.
NOMBRES = {
    "a0": ("QUISPE", "CONDORI", "ANA LUCÍA"),  # sección A, bajo
    "a1": ("MAMANI", "FLORES", "JOSÉ"),  # sección A, alto
    "a2": ("HUAMÁN", "PEÑA", "MARÍA"),  # sección A, medio
    "b": ("NÚÑEZ", "TTITO", "WILBER"),  # sección B of IE Uno, alto
    "dos": ("CCAHUANA", "SALAS", "ROSA"),  # IE Dos, bajo
    "sur": ("APAZA", "LIMA", "ELOY"),  # UGEL Sur, bajo
}
FACTORES = {
    "factor_1": "inasistencias",
    "factor_2": "extraedad",
    "factor_3": "trabajo_infantil",
}


@dataclass
class Escuela:
    """The shared personas' world (tests/conftest.py), scored, with the
    aggregates of the run, its students' names fixed (NOMBRES) and a DRE of
    its own that Dora (DRE) has no access to."""

    mundo: object
    ejecucion: object
    ugel_lejana: object

    def estudiante(self, clave: str):
        m = self.mundo
        matricula = {
            "a0": m.matriculas_a[0],
            "a1": m.matriculas_a[1],
            "a2": m.matriculas_a[2],
            "b": m.matricula_b,
            "dos": m.matricula_dos,
            "sur": m.matricula_sur,
        }[clave]
        return matricula.estudiante

    def nombre(self, clave: str) -> str:
        return self.estudiante(clave).nombre_completo


def ingresar(page: Page, usuario) -> None:
    """Log in through the form, as a person would, and wait for the home page."""
    page.goto("/ingresar/")
    page.get_by_label("DNI, correo electrónico o usuario").fill(usuario.username)
    page.get_by_label("Contraseña").fill(CLAVE)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(lambda url: "/ingresar/" not in url)
