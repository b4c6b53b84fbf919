"""Writing follow-up records. Every write goes through here (pages, API, the
offline outbox, the demo), so that the rules hold whatever the door."""

import uuid as uuid_lib
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alerta.models import Estudiante, Seccion, Usuario
from orientaciones.models import Factor, Orientacion

from .models import (
    AccionSeguimiento,
    EstadoAccion,
    RegistroMensual,
    SigueClases,
    TipoAccion,
)

CAMPOS_CORREGIBLES = (
    "tipo",
    "fecha",
    "estado",
    "nota",
    "reservada",
    "factores",
    "orientacion",
)


def mes_de(dia: date) -> date:
    return dia.replace(day=1)


def mes_actual() -> date:
    """The first day of this month, in the portal's time zone (Lima)."""
    return mes_de(timezone.localdate())


def _validar_factores(factores: list[str]) -> list[str]:
    desconocidos = set(factores) - set(Factor.values)
    if desconocidos:
        raise ValidationError(
            {"factores": _("Factor desconocido: %(codigos)s.")},
            params={"codigos": ", ".join(sorted(desconocidos))},
        )
    # In the catalogue's order, each once.
    return [c for c in Factor.values if c in set(factores)]


def _validar_accion(accion: AccionSeguimiento, *, tipo_nuevo: bool) -> None:
    if tipo_nuevo and accion.tipo.retirado_en is not None:
        raise ValidationError(
            {"tipo": _("Ese tipo de acción ya no se usa. Elija otro.")}
        )
    if accion.fecha > timezone.localdate() and accion.estado != (
        EstadoAccion.PLANIFICADA
    ):
        raise ValidationError(
            {"fecha": _("Una acción con fecha futura solo puede estar planificada.")}
        )
    accion.factores = _validar_factores(list(accion.factores or []))
    accion.full_clean(exclude=["estudiante", "seccion", "autor", "uuid"])


@transaction.atomic
def accion_crear(
    *,
    autor: Usuario,
    estudiante: Estudiante,
    seccion: Seccion,
    tipo: TipoAccion,
    fecha: date,
    estado: str = EstadoAccion.REALIZADA,
    nota: str = "",
    reservada: bool = False,
    factores: list[str] | None = None,
    orientacion: Orientacion | None = None,
    uuid: uuid_lib.UUID | None = None,
) -> tuple[AccionSeguimiento, bool]:
    """Record an action. With `uuid` (made on the device) a repeat returns the
    action already stored and False, whatever it carries this time."""
    if uuid is not None:
        existente = AccionSeguimiento.objects.filter(uuid=uuid).first()
        if existente is not None:
            return existente, False
    accion = AccionSeguimiento(
        uuid=uuid or uuid_lib.uuid4(),
        autor=autor,
        estudiante=estudiante,
        seccion=seccion,
        tipo=tipo,
        fecha=fecha,
        estado=estado,
        nota=nota.strip(),
        reservada=reservada,
        factores=factores or [],
        orientacion=orientacion,
    )
    _validar_accion(accion, tipo_nuevo=True)
    accion._history_user = autor
    try:
        with transaction.atomic():
            accion.save()
    except IntegrityError:
        # The same id sent twice at once: the other request stored it.
        return AccionSeguimiento.objects.get(uuid=accion.uuid), False
    return accion, True


@transaction.atomic
def accion_corregir(
    accion: AccionSeguimiento, *, autor: Usuario, **cambios
) -> AccionSeguimiento:
    """Correct an action (the caller checked `scoping.puede_corregir`). The
    state before the change stays in the action's history."""
    desconocidos = set(cambios) - set(CAMPOS_CORREGIBLES)
    if desconocidos:
        raise ValueError(f"campos no corregibles: {sorted(desconocidos)}")
    tipo_nuevo = "tipo" in cambios and cambios["tipo"].pk != accion.tipo_id
    for campo, valor in cambios.items():
        setattr(accion, campo, valor.strip() if campo == "nota" else valor)
    _validar_accion(accion, tipo_nuevo=tipo_nuevo)
    accion._history_user = autor
    accion.save()
    return accion


@dataclass
class Conflicto(Exception):
    """The student's record for that month exists already, with another id:
    written on another device, or by someone else."""

    existente: RegistroMensual


@transaction.atomic
def registro_mensual_guardar(
    *,
    autor: Usuario,
    estudiante: Estudiante,
    seccion: Seccion,
    mes: date,
    contactado: bool,
    medio: str = "",
    sigue_clases: str = "",
    uuid: uuid_lib.UUID | None = None,
) -> tuple[RegistroMensual, bool]:
    """Create the student's record for `mes`, or update it when `uuid` is the
    one it already has. Returns (record, created).

    Raises `Conflicto` when the month has a record with another id, and
    ValidationError on values that do not fit (a medio without contact)."""
    if mes != mes_de(mes):
        raise ValidationError({"mes": _("El mes se indica con su primer día.")})
    if mes > mes_actual():
        raise ValidationError({"mes": _("No se registra un mes que no empezó.")})
    if not contactado:
        medio = ""
    if sigue_clases and sigue_clases not in SigueClases.values:
        raise ValidationError({"sigue_clases": _("Valor no válido.")})
    existente = (
        RegistroMensual.objects.select_for_update()
        .filter(estudiante=estudiante, mes=mes)
        .first()
    )
    if existente is None and uuid is not None:
        if RegistroMensual.objects.filter(uuid=uuid).exists():
            raise ValidationError(
                {"uuid": _("Ese identificador ya es de otro registro.")}
            )
    if existente is not None:
        if uuid is not None and existente.uuid != uuid:
            raise Conflicto(existente)
        registro, creado = existente, False
    else:
        registro = RegistroMensual(
            uuid=uuid or uuid_lib.uuid4(), estudiante=estudiante, mes=mes
        )
        creado = True
    registro.seccion = seccion
    registro.autor = autor
    registro.contactado = contactado
    registro.medio = medio
    registro.sigue_clases = sigue_clases
    registro.full_clean(exclude=["estudiante", "seccion", "autor", "uuid"])
    try:
        with transaction.atomic():
            registro.save()
    except IntegrityError as exc:
        # Two first writes of the same month at once: the other one won.
        otro = RegistroMensual.objects.get(estudiante=estudiante, mes=mes)
        if uuid is not None and otro.uuid == uuid:
            return otro, False
        raise Conflicto(otro) from exc
    return registro, creado
