"""E-mail to people in their own language, sent after the transaction commits."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

# Set inside ``silenced()``: notify() then sends nothing.
_silenced: ContextVar[bool] = ContextVar("mail_silenced", default=False)


@contextmanager
def silenced() -> Iterator[None]:
    """Send no notification inside the block: the demo replays 2010–2011 through the
    services, and nobody is to be e-mailed about acts of history."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def notify(users: Iterable, template: str, context: dict, attachments: Iterable = ()) -> int:
    """Render ``emails/<template>_subject.txt`` and ``emails/<template>.txt`` for each
    person in their language and send once the current transaction commits, with
    ``attachments`` (``(filename, content, mimetype)``). Inside ``silenced()`` nothing is
    sent; returns how many messages were queued."""
    attachments = list(attachments)
    if _silenced.get():
        return 0
    messages = []
    for user in users:
        if not user.email or not user.is_active:
            continue
        with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
            full = {**context, "user": user, "portal_url": settings.PORTAL_BASE_URL}
            subject = render_to_string(f"emails/{template}_subject.txt", full).strip()
            body = render_to_string(f"emails/{template}.txt", full)
        message = EmailMessage(subject=subject, body=body, to=[user.email])
        for attachment in attachments:
            message.attach(*attachment)
        messages.append(message)

    def send():
        for message in messages:
            message.send()

    transaction.on_commit(send)
    return len(messages)
