"""Small model helpers shared by the apps."""

from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


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
