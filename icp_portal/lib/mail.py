"""E-mail to people in their own language, sent after the transaction commits.

The portal's notices go through ``organizations.notifications.notify``, which keeps each
in the person's inbox and e-mails it with the helpers here (this module knows no app)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

# Set inside ``silenced()``: "all" (no e-mail, no inbox row) or "mail" (no e-mail only).
_silenced: ContextVar[str] = ContextVar("mail_silenced", default="")


@contextmanager
def silenced(*, inbox: bool = False) -> Iterator[None]:
    """Send no notification inside the block: the demo replays 2010–2011 through the
    services, and nobody is to be e-mailed about acts of history. With ``inbox=True`` the
    notices still reach the people's inboxes, only the e-mail is held back."""
    token = _silenced.set("mail" if inbox else "all")
    try:
        yield
    finally:
        _silenced.reset(token)


def mail_silenced() -> bool:
    """True inside any ``silenced()`` block: no e-mail goes out."""
    return bool(_silenced.get())


def inbox_silenced() -> bool:
    """True inside ``silenced()`` without ``inbox=True``: no inbox row is written either."""
    return _silenced.get() == "all"


def render(user, template: str, context: dict) -> tuple[str, str]:
    """``emails/<template>_subject.txt`` and ``emails/<template>.txt`` rendered for
    ``user`` in their language: (subject, body)."""
    with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
        full = {**context, "user": user, "portal_url": settings.PORTAL_BASE_URL}
        subject = render_to_string(f"emails/{template}_subject.txt", full).strip()
        body = render_to_string(f"emails/{template}.txt", full)
    return subject, body


def message(address: str, subject: str, body: str, attachments: Iterable = ()) -> EmailMessage:
    """One e-mail with ``attachments`` (``(filename, content, mimetype)``)."""
    email = EmailMessage(subject=subject, body=body, to=[address])
    for attachment in attachments:
        email.attach(*attachment)
    return email


def send_on_commit(messages: list[EmailMessage]) -> None:
    """Send ``messages`` once the current transaction commits (never if it rolls back)."""
    if not messages:
        return

    def send():
        for email in messages:
            email.send()

    transaction.on_commit(send)
