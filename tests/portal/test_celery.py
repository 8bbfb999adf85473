"""The Celery app: a real worker over Redis runs the health task."""

import pytest
from django.conf import settings

from icp_portal.celery import app, health

pytestmark = pytest.mark.celery


def test_celery_reads_its_settings_from_django_with_time_limits():
    assert app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT > 0
    assert app.conf.task_soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit
    assert "icp_portal.health" in {e["task"] for e in app.conf.beat_schedule.values()}


def test_health_task_runs_on_a_real_worker(celery_worker_queue):
    result = health.apply_async(queue=celery_worker_queue)
    outcome = result.get(timeout=60)
    assert outcome["ok"] is True
    assert outcome["pid"] != __import__("os").getpid()  # ran in the worker process
