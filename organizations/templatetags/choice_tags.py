"""The options of a list page's filter select, written in one pass.

A filter of contractors or recipients offers every party of that kind; the page's template
loop spent tens of microseconds per option (a variable lookup, the bound field's value and
a filter per option), so the list pages slowed as the program grew. This writes the same
``<option>`` tags in Python, reading the selected value once; a choice of organizations
reads only their ids and names (``OrganizationQuerySet.option_labels``), not a model each.
"""

import re
from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

# What html.escape changes; most names hold none of it, and a search costs less than escaping.
_SPECIAL = re.compile("[&<>\"']").search


def _choices(field):
    """The field's ``(value, label)`` pairs; for a choice of organizations by id, straight
    from the database (the labels ``str(organization)`` would give)."""
    queryset = getattr(field, "queryset", None)
    labels = getattr(queryset, "option_labels", None)
    if labels is not None and getattr(field, "to_field_name", None) is None:
        return labels()
    return field.choices


def _escaped(text) -> str:
    """``conditional_escape`` without a SafeString made per option: html.escape is what
    Django's ``escape`` applies."""
    if hasattr(text, "__html__"):
        return text.__html__()
    text = str(text)
    return escape(text) if _SPECIAL(text) else text


@register.simple_tag
def choice_options(bound_field):
    """``<option value="…">label</option>`` for every non-empty choice of ``bound_field``,
    the submitted one ``selected``."""
    current = bound_field.value()
    current = "" if current is None else str(current)
    parts = []
    for value, label in _choices(bound_field.field):
        value = "" if value is None else str(value)
        if not value:
            continue
        selected = " selected" if value == current else ""
        parts.append(f'<option value="{_escaped(value)}"{selected}>{_escaped(label)}</option>')
    return mark_safe("".join(parts))  # noqa: S308 — every part escaped above
