"""Enqueue a Celery task once the current transaction commits (a worker must never read a
row the request has not committed yet). Services name the task rather than import it, so
tasks may import services without a circle."""

from __future__ import annotations

from django.db import transaction


def enqueue_on_commit(name: str, *args) -> None:
    """Send the task registered as ``name`` with ``args`` after the commit (eager when no
    broker is configured)."""

    transaction.on_commit(lambda: task_named(name).delay(*args))


def task_named(name: str):
    """The registered task ``name``. A web process never runs the worker's start-up, so
    the apps' tasks modules may not be imported yet: autodiscovery imports them first."""
    from celery import current_app

    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]
