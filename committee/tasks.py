"""Background jobs of the committee (Celery). Tasks take ids and call services."""

from __future__ import annotations

from datetime import date, datetime

from celery import shared_task
from django.utils import timezone

from committee import pdf, selectors, services
from committee.models import Packet
from organizations.services import system_user


@shared_task(name="committee.build_packet")
def build_packet(packet_id: int) -> str:
    """Build one queued packet version (see ``run_build``)."""
    return run_build(packet_id)


def run_build(packet_id: int, *, built_at: datetime | None = None) -> str:
    """Claim a queued packet version (a second delivery finds it claimed and does
    nothing), render it, store it privately; on any error record the failure and its
    reason. The demo's replay calls this directly, with the historical ``built_at``."""
    if not services.packet_claim(packet_id=packet_id):
        return "skipped"
    packet = Packet.objects.select_related("meeting").get(pk=packet_id)
    actor = system_user()
    try:
        # The digest first: a change made while rendering makes this build stale, not wrong.
        source_hash = selectors.packet_source_hash(meeting=packet.meeting)
        content, pages = pdf.render_packet(
            meeting=packet.meeting,
            on_progress=lambda value: services.packet_progress(packet_id=packet_id, progress=value),
        )
        services.packet_store(
            packet=packet,
            content=content,
            pages=pages,
            source_hash=source_hash,
            actor=actor,
            built_at=built_at,
        )
    except Exception as error:
        services.packet_fail(packet=packet, error=f"{type(error).__name__}: {error}", actor=actor)
        return "failed"
    return "done"


@shared_task(name="committee.build_upcoming_packets")
def build_upcoming_packets(today: str | None = None) -> int:
    """Daily: queue the draft packet of each promotion-committee meeting 7 days ahead (or
    fewer, if it has none yet) and tell the office; returns how many were queued."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return len(services.packets_build_upcoming(today=day, actor=system_user()))


@shared_task(name="committee.mark_past_meetings_held")
def mark_past_meetings_held(today: str | None = None) -> int:
    """Daily: the meetings whose day has passed are held (see the service)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return services.meetings_mark_past_held(today=day, actor=system_user())


@shared_task(name="committee.build_member_copy")
def build_member_copy(copy_id: int) -> str:
    """Render one member's copy of a final packet (claimed once; failure recorded)."""
    from committee.models import PacketCopy

    if not services.packet_copy_claim(copy_id=copy_id):
        return "skipped"
    copy = PacketCopy.objects.select_related("packet__meeting", "member").get(pk=copy_id)
    try:
        content, pages = pdf.render_packet(meeting=copy.packet.meeting, reader=copy.member)
        services.packet_copy_store(copy=copy, content=content, pages=pages)
    except Exception as error:
        services.packet_copy_fail(copy=copy, error=f"{type(error).__name__}: {error}")
        return "failed"
    return "done"
