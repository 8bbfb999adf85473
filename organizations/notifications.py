"""Notices to people (通知): each kept in the person's inbox and e-mailed to them.

Every app's notifications module calls ``notify``; the e-mail itself is rendered and sent
by ``icp_portal.lib.mail`` (which knows no app, so the inbox lives here, beside the user).
"""

from __future__ import annotations

from collections.abc import Iterable

from icp_portal.lib import mail
from organizations.choices import NotificationKind
from organizations.models import Notification

SUBJECT_LENGTH = Notification._meta.get_field("subject").max_length or 255


def notify(
    users: Iterable,
    template: str,
    context: dict,
    *,
    link: str = "",
    attachments: Iterable = (),
) -> int:
    """Tell each active person of ``users``, in their language: a row in their inbox
    (subject and text of ``emails/<template>_subject.txt`` and ``emails/<template>.txt``,
    ``link`` the portal page it is about), written in the current transaction so an act
    rolled back leaves none, and an e-mail with ``attachments`` (``(filename, content,
    mimetype)``) sent once the transaction commits to those with an address. Inside
    ``silenced()`` nothing happens (``silenced(inbox=True)``: the inbox rows only).
    Returns how many e-mails were queued."""
    if mail.inbox_silenced():
        return 0
    kind = NotificationKind(template)
    attachments = list(attachments)
    send = not mail.mail_silenced()
    rows = []
    messages = []
    seen = set()
    for user in users:
        if not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        subject, body = mail.render(user, template, {**context, "link": link})
        rows.append(
            Notification(
                user=user, kind=kind, subject=subject[:SUBJECT_LENGTH], body=body, link=link
            )
        )
        if send and user.email:
            messages.append(mail.message(user.email, subject, body, attachments))
    Notification.objects.bulk_create(rows)
    mail.send_on_commit(messages)
    return len(messages)
