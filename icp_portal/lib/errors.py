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
