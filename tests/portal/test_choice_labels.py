"""Choice labels read from a table (``ChoiceLabelsMixin``) are Django's own: every choice of
every such field, in Chinese and in English, and a value outside the choices as stored."""

import pytest
from django.db.models import Model
from django.utils import translation

from agreements.models import Agreement
from cases.models import Activity, Case
from committee.models import AgendaItem, Decision
from feedback.models import Bill
from icp_portal.lib.models import ChoiceLabelsMixin

MODELS = [Agreement, Case, Activity, AgendaItem, Decision, Bill]


@pytest.mark.parametrize("language", ["zh-hant", "en"])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_labels_from_the_table_are_djangos(model, language):
    assert issubclass(model, ChoiceLabelsMixin)
    fields = [f for f in model._meta.concrete_fields if f.choices]
    assert fields
    with translation.override(language):
        for field in fields:
            display = getattr(model, f"get_{field.name}_display")
            for value in [choice for choice, _label in field.flatchoices] + ["not-a-choice", ""]:
                row = model(**{field.attname: value})
                djangos = Model._get_FIELD_display(row, field)
                assert display(row) == djangos, (field.name, value)
                assert type(display(row)) is type(djangos)
