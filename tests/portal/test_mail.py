"""Notifications (organizations/notifications.py, e-mailed through icp_portal/lib/mail.py):
sent once the transaction commits, in the person's language; nothing at all inside
``silenced()`` (the demo's replay of history)."""

from datetime import date

from demand_items.models import CallRound
from icp_portal.lib.mail import silenced
from organizations.notifications import notify
from tests.factories import UserFactory

CONTEXT = {"round": CallRound(year=2011, quarter=1, closes_on=date(2011, 1, 25))}


def test_notify_sends_after_commit(db, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(email="someone@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        assert notify([user], "round_opened", CONTEXT) == 1
    assert [m.to for m in mailoutbox] == [["someone@example.com"]]


def test_nothing_is_sent_while_mail_is_silenced(db, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(email="someone@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        with silenced():
            assert notify([user], "round_opened", CONTEXT) == 0
        # Silence ends with the block.
        assert notify([user], "round_opened", CONTEXT) == 1
    assert len(mailoutbox) == 1
