"""Errors the API turns into particular answers."""


class Conflict(Exception):
    """An action is not possible from the object's current status: HTTP 409 with
    ``{"detail": message, "status": current_status}``."""

    status: str = ""
