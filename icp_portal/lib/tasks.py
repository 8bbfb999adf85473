"""Enqueue a Celery task once the current transaction commits (a worker must never read a
row the request has not committed yet). Services name the task rather than import it, so
tasks may import services without a circle."""

from __future__ import annotations

from django.db import transaction


def enqueue_on_commit(name: str, *args) -> None:
    """Send the task registered as ``name`` with ``args`` after the commit (eager when no
    broker is configured)."""

    def send() -> None:
        from celery import current_app

        current_app.tasks[name].delay(*args)

    transaction.on_commit(send)
