"""The shared actors of every test (architecture.md): office staff, contractor A's and
contractor B's members, a reviewer, a proposing unit's member, a domestic recipient's
member, an API client and an anonymous visitor."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from organizations.choices import OFFICE_GROUP, MembershipRole, OrganizationKind
from organizations.services import office_group_sync
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganizationFactory,
    ReviewerProfileFactory,
    UserFactory,
)


def pytest_configure(config):
    # Test accounts are hashed with a fast hasher: the production one (PBKDF2, ~0.5 s per
    # hash here) made user set-up and sign-in most of the suite's time. Password rules and
    # sign-in behaviour do not depend on the hasher.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After every test that touched the database, before its data is rolled back or
    flushed: every maintained balance equals the ledger's aggregate (issue 15). So the
    rows hold after the whole suite — the demo, reversals, retention, bank draws, races
    and every service's postings — test by test. A test that makes them drift on purpose
    (to prove the check or the guard) says so with ``@pytest.mark.balances_drift``."""
    drift = None if item.get_closest_marker("balances_drift") else _balance_drift()
    result = yield
    if drift:
        pytest.fail(f"maintained balances differ from the ledger: {drift[:5]}", pytrace=False)
    return result


def _balance_drift():
    from django.db import connection

    if connection.connection is None or connection.needs_rollback:
        return None  # nothing read or written, or a transaction the test left broken
    from agreements.selectors import balance_drift

    try:
        return balance_drift()
    except RuntimeError:  # pytest-django blocks the database for this test
        return None


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Uploaded documents go to a temporary folder, not the working tree's media/.
    settings.MEDIA_ROOT = tmp_path / "media"
    # The suite runs on the production stack but is not production (seed_demo may run).
    settings.SECURE_DEFAULTS = False
    # No collectstatic in tests: serve assets from the source folders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def office_group(db) -> Group:
    return office_group_sync()


@pytest.fixture
def exchange_rates(db):
    """The office has entered the NT$ rate of USD points (needed to bill fees)."""
    from datetime import date
    from decimal import Decimal

    from feedback.models import ExchangeRate

    return ExchangeRate.objects.get_or_create(
        currency="USD_PTS", effective_on=date(2000, 1, 1), defaults={"rate_twd": Decimal("30.0")}
    )[0]


@pytest.fixture
def office_user(office_group, exchange_rates):
    user = UserFactory(username="office-staff", name="王怡君")
    user.groups.add(office_group)
    return user


@pytest.fixture
def contractor_a(db):
    return OrganizationFactory(
        kind=OrganizationKind.FOREIGN_CONTRACTOR, name_zh="雷神公司", name_en="Raytheon Company"
    )


@pytest.fixture
def contractor_b(db):
    return OrganizationFactory(
        kind=OrganizationKind.FOREIGN_CONTRACTOR, name_zh="波音公司", name_en="The Boeing Company"
    )


@pytest.fixture
def contractor_a_member(contractor_a):
    user = UserFactory(username="raytheon-member", name="John Miller", language="en")
    MembershipFactory(user=user, organization=contractor_a, role=MembershipRole.MEMBER)
    return user


@pytest.fixture
def contractor_a_manager(contractor_a):
    user = UserFactory(username="raytheon-manager", name="Jane Roe", language="en")
    MembershipFactory(user=user, organization=contractor_a, role=MembershipRole.MANAGER)
    return user


@pytest.fixture
def contractor_b_member(contractor_b):
    user = UserFactory(username="boeing-member", name="Mary Johnson", language="en")
    MembershipFactory(user=user, organization=contractor_b, role=MembershipRole.MEMBER)
    return user


@pytest.fixture
def recipient(db):
    return OrganizationFactory(
        kind=OrganizationKind.DOMESTIC_RECIPIENT,
        name_zh="漢翔航空工業股份有限公司",
        name_en="AIDC",
        country="TW",
        profit_making=True,
        defence_industry=True,
    )


@pytest.fixture
def recipient_member(recipient):
    user = UserFactory(username="aidc-member", name="林志明")
    MembershipFactory(user=user, organization=recipient)
    return user


@pytest.fixture
def proposing_unit(db):
    return OrganizationFactory(
        kind=OrganizationKind.PROPOSING_UNIT,
        name_zh="經濟部航太工業發展推動小組",
        name_en="Aerospace Industry Development Promotion Office",
        country="TW",
    )


@pytest.fixture
def proposer_user(proposing_unit):
    user = UserFactory(username="proposer-member", name="張美玲")
    MembershipFactory(user=user, organization=proposing_unit)
    return user


@pytest.fixture
def reviewer_user(db):
    return ReviewerProfileFactory(user=UserFactory(username="reviewer-expert", name="陳永華")).user


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def anonymous_client(client):
    return client


@pytest.fixture
def office_group_name():
    return OFFICE_GROUP


@pytest.fixture(scope="session")
def celery_worker_media(tmp_path_factory):
    """The worker's MEDIA_ROOT: the files it stores land here, not in the working tree."""
    return tmp_path_factory.mktemp("worker-media")


@pytest.fixture(scope="session")
def celery_worker_queue(django_db_setup, django_db_blocker, celery_worker_media):
    """A real Celery worker process over Redis, on the test database, consuming a queue
    of its own (so no stray worker steals the test's tasks). Yields the queue name."""
    import os
    import subprocess
    import sys
    import time
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    from django.conf import settings
    from django.db import connection

    if not settings.CELERY_BROKER_URL:
        pytest.fail("CELERY_BROKER_URL is not set: run the suite with `make test`.")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    parts = urlsplit(os.environ["DATABASE_URL"])
    test_db_url = urlunsplit(parts._replace(path=f"/{connection.settings_dict['NAME']}"))
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "icp_portal",
            "worker",
            # Each task in a freshly forked process: the database is emptied between tests
            # and its content types come back with new ids, which a long-lived process
            # would still hold in its cache (the second packet build then failed).
            "--pool=prefork",
            "--concurrency=1",
            "--max-tasks-per-child=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
        ],
        env={**os.environ, "DATABASE_URL": test_db_url, "MEDIA_ROOT": str(celery_worker_media)},
    )
    try:
        deadline = time.monotonic() + 60
        from icp_portal.celery import app

        while time.monotonic() < deadline:
            if worker.poll() is not None:
                pytest.fail(f"The Celery worker exited with {worker.returncode}.")
            replies = app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=1)
            if replies:
                break
        else:
            pytest.fail("The Celery worker did not answer within 60 s.")
        yield queue
    finally:
        worker.terminate()
        worker.wait(timeout=30)
