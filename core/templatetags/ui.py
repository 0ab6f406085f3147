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
        # Screen readers announce the error with the field: the ids match includes/form_fields.html.
        attrs["aria-invalid"] = "true"
        described = [f"{field.auto_id}_error"]
        if field.help_text:
            described.append(f"{field.auto_id}_helptext")
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
