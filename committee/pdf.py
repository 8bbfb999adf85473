"""The meeting packet (會議資料) as a PDF: the full packet the office builds, and each
member's own copy (their name and the date on every page, conflicted items withheld)."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from committee import selectors, services, workflow
from committee.choices import PacketStage, PacketStatus
from committee.models import Meeting, Packet
from icp_portal.lib.workflow import MEMBER
from organizations.models import is_office_staff

PACKET_LANGUAGE = "zh-hant"  # the packet is the committee's document: Traditional Chinese


def page_count(content: bytes) -> int:
    """How many pages a PDF has (read back with pypdf)."""
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(content)).pages)


def packet_pdf(
    *,
    meeting: Meeting,
    reader=None,
    on_progress: Callable[[int], None] | None = None,
) -> bytes:
    """Render the packet of ``meeting``. With a ``reader`` (a member), their copy: their
    name and today's date on every page and the items they declared a conflict on
    withheld. ``on_progress`` receives 0–100 as the build goes."""
    from weasyprint import HTML

    def progress(value: int) -> None:
        if on_progress is not None:
            on_progress(value)

    withheld = selectors.packet_withheld_cases(meeting=meeting, user=reader) if reader else set()
    with translation.override(PACKET_LANGUAGE):
        contents = selectors.packet_contents(
            meeting=meeting,
            withheld=withheld,
            on_progress=lambda done, total: progress(5 + 45 * done // total),
        )
        watermark = ""
        if reader is not None:
            watermark = f"{reader.display_name} · {timezone.localdate().isoformat()}"
        html = render_to_string(
            "pdf/packet.html", {**contents, "watermark": watermark, "reader": reader}
        )
    progress(55)
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    progress(85)
    content = document.write_pdf()
    progress(95)
    return content


def packet_pdf_for(*, meeting: Meeting, user, version: int | None = None) -> tuple[Packet, IO]:
    """The packet PDF ``user`` may read: staff the stored full packet (the latest built
    version, or ``version``); a member of the meeting their own copy of the latest final
    version, rendered for them, the download logged; anyone else (or nothing to read)
    404."""
    built = meeting.packets.filter(status=PacketStatus.DONE).order_by("-version")
    if version is not None and not is_office_staff(user):
        # A member reads the final version, rendered for them; earlier ones are the office's.
        raise PermissionDenied(_("Only the office reads earlier versions."))
    if is_office_staff(user):
        packet = built.filter(version=version).first() if version else built.first()
        if packet is None or not packet.file:
            raise Http404
        return packet, packet.file.open("rb")
    if MEMBER not in workflow.roles_of(user, meeting):
        raise Http404
    packet = built.filter(stage=PacketStage.FINAL).first()
    if packet is None:
        raise Http404
    content = packet_pdf(meeting=meeting, reader=user)
    services.packet_download_record(packet=packet, actor=user)
    return packet, BytesIO(content)
