"""The portal's settings plus the benchmark's floor views (bench.urls)."""

from icp_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
