"""The Celery application of the portal (settings under the ``CELERY_`` namespace)."""

import os
import socket

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icp_portal.settings")

app = Celery("icp_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="icp_portal.health", ignore_result=False)
def health() -> dict:
    """Proves a worker runs and reaches the database: returns its host and a DB round trip."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return {"ok": one == 1, "hostname": socket.gethostname(), "pid": os.getpid()}
