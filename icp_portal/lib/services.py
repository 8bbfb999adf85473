"""The one wrapper of every write service: atomic, and the field history it writes names
the service's acting user — also when no request is there (a Celery task, a command, the
demo loader), where django-simple-history's middleware cannot."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any, ParamSpec, TypeVar

from django.db import transaction
from simple_history.models import HistoricalRecords

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def history_actor(actor: Any) -> Iterator[None]:
    """Within the block, field history (historical rows) records ``actor`` as its user."""
    if actor is None or not getattr(actor, "pk", None):
        yield
        return
    context = HistoricalRecords.context
    had_request = hasattr(context, "request")
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=actor)
    try:
        yield
    finally:
        if had_request:
            context.request = previous
        else:
            del context.request


def service(func: Callable[P, R]) -> Callable[P, R]:
    """Decorate a write service: one transaction, and history written as its ``actor``."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(), history_actor(kwargs.get("actor")):
            return func(*args, **kwargs)

    return wrapper
