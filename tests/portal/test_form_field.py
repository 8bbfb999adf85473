"""The form field tag (``{% form_field %}``, what ``cases/_field.html`` is) writes exactly the
markup the field template wrote: every kind of field the pages show, empty, filled and
refused, in Chinese and English."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.template import engines
from django.utils import translation

from cases import forms as case_forms
from committee import forms as committee_forms
from icp_portal.lib.forms import DATE
from organizations.models import Organization

# The field template as it was (templates/cases/_field.html before the tag).
REFERENCE = """\
{% load i18n %}<div class="mb-3">
  <label class="form-label" for="{{ field.id_for_label }}">{{ field.label }}{% if field.field.required %} <span class="text-danger" aria-hidden="true">*</span>{% endif %}</label>
  {% if field.widget_type == "select" %}
    <select class="form-select{% if field.errors %} is-invalid{% endif %}" name="{{ field.html_name }}" id="{{ field.id_for_label }}"{% if field.errors %} aria-invalid="true" aria-describedby="{{ field.id_for_label }}-error"{% endif %}>
      {% for value, label in field.field.choices %}<option value="{{ value }}"{% if value|stringformat:"s" == field.value|stringformat:"s" %} selected{% endif %}>{{ label }}</option>{% endfor %}
    </select>
  {% elif field.widget_type == "textarea" %}
    <textarea class="form-control{% if field.errors %} is-invalid{% endif %}" name="{{ field.html_name }}" id="{{ field.id_for_label }}" rows="{{ field.field.widget.attrs.rows|default:3 }}"{% if field.errors %} aria-invalid="true" aria-describedby="{{ field.id_for_label }}-error"{% endif %}>{{ field.value|default:'' }}</textarea>
  {% else %}
    <input class="form-control{% if field.errors %} is-invalid{% endif %}" type="{{ field.field.widget.input_type|default:'text' }}" name="{{ field.html_name }}" id="{{ field.id_for_label }}" value="{% if field.field.widget.input_type == 'date' %}{{ field.value|date:'Y-m-d'|default:field.value|default_if_none:'' }}{% else %}{{ field.value|default_if_none:'' }}{% endif %}"{% if field.field.required %} required{% endif %}{% if field.errors %} aria-invalid="true" aria-describedby="{{ field.id_for_label }}-error"{% endif %}>
  {% endif %}
  {% if field.help_text %}<div class="form-text">{{ field.help_text }}</div>{% endif %}
  {% if field.errors %}<div class="invalid-feedback d-block" id="{{ field.id_for_label }}-error">{% for e in field.errors %}{{ e }} {% endfor %}</div>{% endif %}
</div>
"""


class EveryKind(forms.Form):
    choice = forms.ChoiceField(
        label="Kind <b>", choices=[("", "—"), ("a", "A & B"), ("b", '"B"')], help_text="x < y"
    )
    optional_choice = forms.ChoiceField(required=False, choices=[(1, "one"), (2, "two")])
    party = forms.ModelChoiceField(queryset=Organization.objects.order_by("id"), required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    text = forms.CharField(widget=forms.Textarea, max_length=5)
    on = forms.DateField(widget=DATE)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    typed_date = forms.DateField(
        required=False, widget=type("D", (forms.DateInput,), {"input_type": "date"})
    )
    amount = forms.DecimalField(max_digits=12, decimal_places=2, required=False)
    count = forms.IntegerField(min_value=1)
    email = forms.EmailField(required=False)
    upload = forms.FileField(required=False)
    flag = forms.BooleanField(required=False)
    name = forms.CharField(initial="O'Brien & <Co>")


INITIAL = {
    "choice": "a",
    "optional_choice": 2,
    "note": "line 1\nline <2>",
    "on": date(2011, 3, 1),
    "typed_date": date(2012, 4, 5),
    "amount": Decimal("1234567.50"),
    "count": 12000,
}
REFUSED = {
    "choice": "zzz",
    "optional_choice": "9",
    "party": "999999",
    "text": "too long <here>",
    "on": "2011-02-30",
    "typed_date": "not a date",
    "amount": "abc",
    "count": "0",
    "email": "x@",
    "name": "",
}


def _forms():
    yield EveryKind(prefix="p")
    yield EveryKind(initial=INITIAL)
    yield EveryKind(data=REFUSED)
    yield EveryKind(data={**REFUSED, "choice": "b", "on": "2011-03-01", "count": "3"})
    for name in dir(case_forms) + dir(committee_forms):
        form_class = getattr(case_forms, name, None) or getattr(committee_forms, name, None)
        if not (isinstance(form_class, type) and issubclass(form_class, forms.Form)):
            continue
        if form_class.__module__ not in ("cases.forms", "committee.forms"):
            continue
        try:
            yield form_class()
            yield form_class(data={})
        except TypeError:  # a form that needs its case, meeting or item: the kinds above
            continue


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_the_tag_writes_what_the_field_template_wrote(language, contractor_a, contractor_b):
    engine = engines["django"]
    reference = engine.from_string(REFERENCE)
    tag = engine.from_string("{% load form_tags %}{% form_field field %}\n")
    shown = 0
    with translation.override(language):
        for form in _forms():
            for field in form:
                expected = reference.render({"field": field})
                assert tag.render({"field": field}) == expected, (type(form).__name__, field.name)
                shown += 1
    assert shown > 60
