from django import template

from alerta.presentacion.modelos import decimal, porcentaje

register = template.Library()


@register.filter
def pct(valor) -> str:
    """A share in [0, 1] as "10,7 %" ("—" without a figure)."""
    return porcentaje(valor)


@register.filter
def dec(valor) -> str:
    return decimal(valor)


@register.filter
def clave(diccionario: dict, nombre: str):
    return (diccionario or {}).get(nombre)
