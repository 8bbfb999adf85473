"""The list pages' party filters (``choice_options``): the options read only ids and names
from the database, and are exactly those Django's own choices give, escaped, with the
submitted one selected, in the reader's language."""

import pytest
from django.utils import translation
from django.utils.html import conditional_escape

from agreements.filtersets import AgreementFilterSet
from organizations.choices import OrganizationKind
from organizations.templatetags.choice_tags import choice_options
from tests.factories import OrganizationFactory


def _as_django_lists_them(bound_field) -> str:
    current = str(bound_field.value() or "")
    return "".join(
        f'<option value="{conditional_escape(value)}"'
        f"{' selected' if str(value) == current else ''}>{conditional_escape(label)}</option>"
        for value, label in bound_field.field.choices
        if str(value)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_party_options_are_djangos_choices_read_cheaply(
    language, contractor_a, contractor_b, django_assert_num_queries
):
    odd = OrganizationFactory(
        kind=OrganizationKind.FOREIGN_CONTRACTOR, name_zh="<甲&乙>", name_en='"Tom" & Jerry\'s'
    )
    with translation.override(language):
        field = AgreementFilterSet({"contractor": str(odd.pk)}).form["contractor"]
        with django_assert_num_queries(1):
            options = choice_options(field)
        assert options == _as_django_lists_them(field)
    assert options.count("<option") == 3 and options.count(" selected") == 1
    assert "&lt;" in options or "&quot;" in options
