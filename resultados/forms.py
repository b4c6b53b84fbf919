from django import forms


class AnioForm(forms.Form):
    """The school year t of the report a page shows (latest when absent)."""

    anio = forms.IntegerField(required=False, min_value=2000, max_value=2100)


def anio_pedido(datos) -> int | None:
    form = AnioForm(datos)
    return form.cleaned_data.get("anio") if form.is_valid() else None
