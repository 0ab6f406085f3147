"""Small UI helpers available in every template (settings.TEMPLATES builtins)."""

from django import forms, template

register = template.Library()


@register.filter
def bs_widget(field):
    """Render a bound field with Bootstrap classes, marking it invalid when it has errors."""
    widget = field.field.widget
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    existing = widget.attrs.get("class", "")
    if css not in existing:
        css = f"{existing} {css}".strip()
    if field.errors:
        css += " is-invalid"
    attrs = {"class": css}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
