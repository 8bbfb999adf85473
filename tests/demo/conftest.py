"""One seeded demo database for every test of this package (seed_demo takes tens of
seconds; seeding once instead of per test saves minutes).

``demo_seeded`` (package scope) runs ``seed_demo`` once, committed, into the test
database pytest-django created; each test then runs in its own transaction (``demo_db``
requests ``db``), so what a test writes, including a second seed, is rolled back and the
next test sees the same demo. After the package's last test the database is flushed and
what was there before the seed (content types, permissions, the office group, the fee
rates of the data migrations) is put back from a serialized copy, the way Django's
``serialized_rollback`` does: the other packages find the empty database they expect.

The demo's 21 accounts get their password hashed with a fast hasher here, at the seed
and at every re-seed (PBKDF2 takes most of a re-seed's time otherwise).

Tests here must stay in transactions: no ``transactional_db`` or ``live_server`` (their
flush would wipe the demo for the tests after them).
"""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

# Fast and insecure: test passwords only (the same hasher at the seed and the re-seeds).
HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Seeded:
    """What the one seed printed and sent."""

    def __init__(self, output: str, mails: int, media):
        self.output = output
        self.mails = mails
        self.media = media  # where the replay stored its PDFs (documents, packets)


@pytest.fixture(scope="package")
def demo_seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        before = connection.creation.serialize_db_to_string()
        out = StringIO()
        sent = len(getattr(mail, "outbox", []))
        media = tmp_path_factory.mktemp("demo-media")  # the replay uploads its PDFs
        with override_settings(MEDIA_ROOT=media, SECURE_DEFAULTS=False, PASSWORD_HASHERS=HASHERS):
            call_command("seed_demo", stdout=out)
        seeded = Seeded(out.getvalue(), len(getattr(mail, "outbox", [])) - sent, media)
    try:
        yield seeded
    finally:
        with django_db_blocker.unblock():
            call_command(
                "flush",
                interactive=False,
                verbosity=0,
                inhibit_post_migrate=True,
                reset_sequences=False,
            )
            connection.creation.deserialize_db_from_string(before)


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = HASHERS


@pytest.fixture
def demo_db(demo_seeded, db, settings) -> Seeded:
    """The seeded demo, inside this test's transaction, its stored files readable."""
    settings.MEDIA_ROOT = demo_seeded.media
    return demo_seeded
