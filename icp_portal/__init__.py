"""The ICP Portal project package. The Celery app is loaded with Django."""

from icp_portal.celery import app as celery_app

__all__ = ("celery_app",)
