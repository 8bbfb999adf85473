"""Notices about meetings and their packets (inbox and e-mail), in each person's language."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from organizations.choices import OFFICE_GROUP
from organizations.models import User
from organizations.notifications import notify


def packet_sent(packet) -> int:
    """To every member of the packet's meeting: the final packet is ready (their copy is
    on the meeting's page). Returns how many e-mails went out."""
    meeting = packet.meeting
    path = reverse("meeting_detail", args=[meeting.pk])
    members = User.objects.filter(reviewer_profile__meetings=meeting).distinct()
    context = {"meeting": meeting, "packet": packet, "meeting_path": path}
    return notify(members, "packet_sent", context, link=path)


def packet_draft(packet, send_by: date) -> int:
    """To the ICP office: a draft packet of an upcoming meeting is being built; it is to
    be sent to the members by ``send_by``."""
    meeting = packet.meeting
    path = reverse("meeting_detail", args=[meeting.pk])
    office = User.objects.filter(groups__name=OFFICE_GROUP, is_active=True).distinct()
    context = {"meeting": meeting, "packet": packet, "send_by": send_by, "meeting_path": path}
    return notify(office, "packet_draft", context, link=path)
