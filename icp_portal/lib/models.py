"""Small model helpers shared by the apps: constraint errors on their field, choice labels
read cheaply, and the program's one date policy."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ConstraintFieldsMixin:
    """Report a check constraint's violation on the field it is about, so a page shows it
    beside that field and the API as ``{"field": [...]}``: the rule lives once, in the
    constraint (database and ``full_clean``), and no form or serializer restates it.
    ``constraint_fields`` maps a constraint's name to its field."""

    constraint_fields: ClassVar[dict[str, str]] = {}

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=exclude)  # type: ignore[misc]
        except ValidationError as exc:
            by_message = {
                str(constraint.get_violation_error_message()): field
                for constraint in self._meta.constraints  # type: ignore[attr-defined]
                if (field := self.constraint_fields.get(constraint.name))
            }
            errors: dict[str, list] = {}
            for field, found in exc.error_dict.items():
                for error in found:
                    target = field
                    if field == NON_FIELD_ERRORS:
                        target = by_message.get(error.messages[0], field)
                    errors.setdefault(target, []).append(error)
            raise ValidationError(errors) from exc


# Each choice field's labels in one language, by value: {(field, language): {value: label}}.
_CHOICE_LABELS: dict[tuple, dict] = {}


class ChoiceLabelsMixin:
    """``get_<field>_display()`` from a table of the field's labels made once per language.
    Django's builds a dict of every choice on each call, and hashing each lazily translated
    label translates it (60–110 µs a call): the list and meeting pages ask it on every row.
    The label shown is the same; a value outside the choices is shown as stored, as
    Django's."""

    def _get_FIELD_display(self, field):
        key = (field, get_language())
        value = getattr(self, field.attname)
        try:
            labels = _CHOICE_LABELS.get(key)
            if labels is None:
                labels = {choice: str(label) for choice, label in field.flatchoices}
                _CHOICE_LABELS[key] = labels
            label = labels.get(value, value)
        except TypeError:  # an unhashable value (a list): Django's own way
            return super()._get_FIELD_display(field)  # type: ignore[misc]
        return force_str(label, strings_only=True)


# One date policy for the whole program (every model date and year field carries it, so
# the pages, the API, the admin, tasks and the demo all obey it): ICP began in the 1980s;
# nothing is planned past 2100.
PROGRAM_FIRST_DAY = date(1980, 1, 1)
PROGRAM_LAST_DAY = date(2100, 12, 31)


def program_date(value: date) -> None:
    """Refuse a date outside the program's span (1980–2100)."""
    if value is not None and not PROGRAM_FIRST_DAY <= value <= PROGRAM_LAST_DAY:
        raise ValidationError(
            _("Give a date between %(first)s and %(last)s.")
            % {"first": PROGRAM_FIRST_DAY.isoformat(), "last": PROGRAM_LAST_DAY.isoformat()},
            code="program_date",
        )


def not_in_future(value: date) -> None:
    """Refuse a date after today (a payment, a ledger amendment: acts that have happened)."""
    if value is not None and value > timezone.localdate():
        raise ValidationError(_("This date is in the future."), code="future_date")


def not_in_future_field(field: str, value: date) -> None:
    """``not_in_future`` for a service's argument, reported on its field."""
    try:
        not_in_future(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


PROGRAM_YEAR = [
    MinValueValidator(PROGRAM_FIRST_DAY.year),
    MaxValueValidator(PROGRAM_LAST_DAY.year),
]
QUARTER = [MinValueValidator(1), MaxValueValidator(4)]
