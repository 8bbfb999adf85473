"""The portal's settings plus the benchmark's floor views (bench.urls)."""

from icp_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The pages are measured without collectstatic: plain static URLs (a manifest lookup is a
# dict lookup; the page work measured is the same).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
