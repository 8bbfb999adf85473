"""One form field as the portal's pages show it (label, control, help, errors), written in
one pass: ``{% form_field field %}``, which ``cases/_field.html`` is.

The meeting page shows a decision form on each of its 30 items, three or four fields
each; as a template the field cost about 150 µs (a dozen lookups on the bound field, each
first tried as an index, which a bound field refuses with an exception), a fifth of the
page. This writes the same markup, byte for byte, through the same filters and the same
escaping and localisation of each value (``render_value_in_context``)."""

from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import date, default, default_if_none, stringformat
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

register = template.Library()


@register.simple_tag(takes_context=True)
def form_field(context, field) -> str:
    """The field's ``<div class="mb-3">…</div>``: its label (a star when required), a
    select, a textarea or an input, its help text and its errors."""

    def shown(value) -> str:
        return render_value_in_context(value, context)

    errors = field.errors
    required = field.field.required
    widget = field.widget_type
    id_ = shown(field.id_for_label)
    name = shown(field.html_name)
    invalid = " is-invalid" if errors else ""
    described = f' aria-invalid="true" aria-describedby="{id_}-error"' if errors else ""
    star = ' <span class="text-danger" aria-hidden="true">*</span>' if required else ""
    parts = [
        f'<div class="mb-3">\n  <label class="form-label" for="{id_}">{shown(field.label)}'
        f"{star}</label>\n  "
    ]
    if widget == "select":
        current = stringformat(field.value(), "s")
        parts.append(
            f'\n    <select class="form-select{invalid}" name="{name}" id="{id_}"'
            f"{described}>\n      "
        )
        parts.extend(
            f'<option value="{shown(value)}"'
            f"{' selected' if stringformat(value, 's') == current else ''}>{shown(label)}</option>"
            for value, label in field.field.choices
        )
        parts.append("\n    </select>\n  ")
    elif widget == "textarea":
        rows = shown(default(field.field.widget.attrs.get("rows", ""), 3))
        parts.append(
            f'\n    <textarea class="form-control{invalid}" name="{name}" id="{id_}" rows="{rows}"'
            f"{described}>{shown(default(field.value(), ''))}</textarea>\n  "
        )
    else:
        # A widget without an input type (none the pages use) reads as the template's
        # missing variable: "" (so "text").
        input_type = getattr(field.field.widget, "input_type", "")
        value = field.value()
        if input_type == "date":  # the date filter reads a datetime in local time
            value = default(date(template_localtime(value, context.use_tz), "Y-m-d"), value)
        required_attribute = " required" if required else ""
        shown_type = shown(default(input_type, "text"))
        parts.append(
            f'\n    <input class="form-control{invalid}" type="{shown_type}" name="{name}"'
            f' id="{id_}" value="{shown(default_if_none(value, ""))}"'
            f"{required_attribute}{described}>\n  "
        )
    parts.append("\n  ")
    if field.help_text:
        parts.append(f'<div class="form-text">{shown(field.help_text)}</div>')
    parts.append("\n  ")
    if errors:
        parts.append(f'<div class="invalid-feedback d-block" id="{id_}-error">')
        parts.extend(f"{shown(error)} " for error in errors)
        parts.append("</div>")
    parts.append("\n</div>")
    return mark_safe("".join(parts))  # noqa: S308 — every value escaped by shown()
