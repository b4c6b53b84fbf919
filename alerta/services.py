from .models import RegistroAcceso, Usuario


def registro_acceso_crear(
    *, usuario: Usuario, accion: str, objeto: str
) -> RegistroAcceso:
    """Record that a user viewed or downloaded nominal data about students."""
    return RegistroAcceso.objects.create(usuario=usuario, accion=accion, objeto=objeto)
