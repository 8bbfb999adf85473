"""E-mail to people in their own language, sent after the transaction commits."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def notify(users: Iterable, template: str, context: dict) -> int:
    """Render ``emails/<template>_subject.txt`` and ``emails/<template>.txt`` for each
    person in their language and send once the current transaction commits."""
    messages = []
    for user in users:
        if not user.email or not user.is_active:
            continue
        with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
            full = {**context, "user": user, "portal_url": settings.PORTAL_BASE_URL}
            subject = render_to_string(f"emails/{template}_subject.txt", full).strip()
            body = render_to_string(f"emails/{template}.txt", full)
        messages.append(EmailMessage(subject=subject, body=body, to=[user.email]))

    def send():
        for message in messages:
            message.send()

    transaction.on_commit(send)
    return len(messages)
