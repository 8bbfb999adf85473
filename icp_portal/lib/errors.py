"""Errors the API turns into particular answers."""


class Conflict(Exception):
    """An action is not possible from the object's current status: HTTP 409 with
    ``{"detail": message, "status": current_status}``."""

    status: str = ""

    def __init__(self, message: str = "", status: str | None = None):
        super().__init__(message)
        if status is not None:
            self.status = status


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an append-only row (the credit ledger,
    the audit events): history is corrected by adding, never by rewriting."""


def integrity_message(exc: Exception) -> str:
    """What a person reads when the database refused a write another request made first
    (two identical creates at once: the second meets the unique constraint): the
    constraint's own message where the portal declared one, else a plain sentence."""
    from django.apps import apps
    from django.utils.translation import gettext as _

    name = getattr(getattr(getattr(exc, "__cause__", None), "diag", None), "constraint_name", "")
    if name:
        for model in apps.get_models():
            for constraint in model._meta.constraints:
                if constraint.name == name:
                    return str(constraint.get_violation_error_message())
    return _(
        "This conflicts with a record saved a moment ago (it already exists); nothing was saved."
    )
