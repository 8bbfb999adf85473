"""The meeting packet (會議資料) as a PDF: the full packet the office builds, and each
member's own copy (their name and the date on every page, conflicted items withheld)."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from committee import selectors, services, workflow
from committee.choices import PacketStage, PacketStatus
from committee.models import Meeting, Packet, PacketCopy
from icp_portal.lib.errors import Conflict
from icp_portal.lib.workflow import MEMBER
from organizations.models import is_office_staff

PACKET_LANGUAGE = "zh-hant"  # the packet is the committee's document: Traditional Chinese


def page_count(content: bytes) -> int:
    """How many pages a PDF has (read back with pypdf)."""
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(content)).pages)


# The packet's page (A4) and margins in points, as templates/pdf/packet.html sets them: an
# attached page is scaled into the content box, under the packet's header and footer.
A4 = (595.28, 841.89)
MARGIN_X, MARGIN_Y = 16 * 72 / 25.4, 22 * 72 / 25.4


def _open_attachments(sections: list[dict]) -> dict[str, Any]:
    """Read each section's attached PDFs (application, plan): the template gets, per
    attachment, one placeholder anchor per page; returns anchor → page to merge there. A
    file that cannot be read becomes a one-page notice instead of failing the build."""
    from pypdf import PdfReader

    placed: dict[str, Any] = {}
    for entry in sections:
        rows = []
        for document in entry.get("attachments", []):
            try:
                with document.file.open("rb") as handle:
                    reader = PdfReader(BytesIO(handle.read()))
                pages = list(reader.pages)
                error = ""
            except Exception as exc:  # a damaged or missing file: say so in the packet
                pages, error = [], f"{type(exc).__name__}"
            anchors = [f"att-{document.pk}-p{n}" for n in range(1, max(len(pages), 1) + 1)]
            for anchor, page in zip(anchors, pages, strict=False):
                placed[anchor] = page
            rows.append(
                {"document": document, "anchors": anchors, "pages": len(pages), "error": error}
            )
        entry["attachment_pages"] = rows
    return placed


def _merge_attachments(content: bytes, document, placed: dict[str, Any]) -> bytes:
    """Lay each attached page under its placeholder page of the rendered packet, scaled
    into the content box, so the packet's header, footer, page numbers and watermark stay
    on top and the contents' page numbers (counted with the placeholders) stay right.

    The attached page goes in as a form XObject drawn first (``q cm Do Q``): its content
    stream is copied, not parsed — pypdf's ``merge_transformed_page`` parses and rewrites
    both pages' streams (about 5 ms a page, most of the merge). A rotated page or one with
    annotations still goes through ``merge_transformed_page``."""
    if not placed:
        return content
    from pypdf import PdfWriter, Transformation
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        is_null_or_none,
    )

    where = {
        anchor: index
        for index, page in enumerate(document.pages)
        for anchor in page.anchors
        if anchor in placed
    }
    writer = PdfWriter(clone_from=BytesIO(content))  # keeps the bookmarks and links
    box_w, box_h = A4[0] - 2 * MARGIN_X, A4[1] - 2 * MARGIN_Y
    for anchor, index in where.items():
        page = placed[anchor]
        x0, y0 = float(page.mediabox.left), float(page.mediabox.bottom)
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        # Turn a page shown rotated (/Rotate, clockwise) upright: its content is drawn
        # unrotated, so rotate it here and swap the sides it is shown with.
        transform = Transformation().translate(-x0, -y0)
        rotation = page.rotation % 360
        if rotation == 90:
            transform = transform.rotate(-90).translate(0, width)
        elif rotation == 180:
            transform = transform.rotate(180).translate(width, height)
        elif rotation == 270:
            transform = transform.rotate(90).translate(height, 0)
        if rotation in (90, 270):
            width, height = height, width
        scale = min(box_w / width, box_h / height)
        transform = transform.scale(scale).translate(
            MARGIN_X + (box_w - width * scale) / 2, MARGIN_Y + (box_h - height * scale) / 2
        )
        target = writer.pages[index]
        if rotation or page.get("/Annots"):
            # Rare: keep pypdf's merge, which carries annotations over and leaves a rotated
            # scan's text reading upright to text extraction.
            target.merge_transformed_page(page, transform, over=False)
            continue
        contents = page.get("/Contents")
        if is_null_or_none(contents):  # a blank page: nothing to draw
            continue
        contents = contents.get_object()
        streams = contents if isinstance(contents, ArrayObject) else [contents]
        form = DecodedStreamObject()
        form.set_data(b"\n".join(s.get_object().get_data() for s in streams))
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(FloatObject(v) for v in page.mediabox),
                NameObject("/Resources"): page.get("/Resources", DictionaryObject())
                .get_object()
                .clone(writer),
            }
        )
        if "/Group" in page:
            form[NameObject("/Group")] = page["/Group"].clone(writer)
        name = f"/Att{index}"
        # The page's own copy of its resources (WeasyPrint may share one between pages).
        resources = DictionaryObject(target.get("/Resources", DictionaryObject()).get_object())
        xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
        xobjects[NameObject(name)] = writer._add_object(form.flate_encode())
        resources[NameObject("/XObject")] = xobjects
        target[NameObject("/Resources")] = resources
        under = DecodedStreamObject()
        ctm = " ".join(f"{v:.6f}" for v in transform.ctm)
        under.set_data(f"q {ctm} cm {name} Do Q\n".encode("ascii"))
        existing = target.get("/Contents")
        existing = existing.get_object() if existing is not None else ArrayObject()
        parts = list(existing) if isinstance(existing, ArrayObject) else [target["/Contents"]]
        target[NameObject("/Contents")] = ArrayObject([writer._add_object(under), *parts])
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def packet_pdf(**kwargs) -> bytes:
    """The packet of ``meeting`` as PDF bytes (see ``render_packet``)."""
    return render_packet(**kwargs)[0]


def render_packet(
    *,
    meeting: Meeting,
    reader=None,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[bytes, int]:
    """Render the packet of ``meeting``, each case's application and plan appended after
    its section. With a ``reader`` (a member), their copy: their name and today's date on
    every page and the items they declared a conflict on withheld (with their
    attachments). ``on_progress`` receives 0–100 as the build goes."""
    from weasyprint import HTML

    def progress(value: int) -> None:
        if on_progress is not None:
            on_progress(value)

    withheld = selectors.packet_withheld_cases(meeting=meeting, user=reader) if reader else set()
    with translation.override(PACKET_LANGUAGE):
        contents = selectors.packet_contents(
            meeting=meeting,
            withheld=withheld,
            on_progress=lambda done, total: progress(5 + 40 * done // total),
        )
        placed = _open_attachments(contents["sections"])
        watermark = ""
        if reader is not None:
            watermark = f"{reader.display_name} · {timezone.localdate().isoformat()}"
        html = render_to_string(
            "pdf/packet.html", {**contents, "watermark": watermark, "reader": reader}
        )
    progress(50)
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    progress(75)
    content = document.write_pdf()
    progress(85)
    content = _merge_attachments(content, document, placed)
    progress(95)
    # The merge keeps every page: the count is WeasyPrint's (re-reading cost 1.3 s).
    return content, len(document.pages)


def packet_pdf_for(
    *, meeting: Meeting, user, version: str | int | None = None
) -> tuple[Packet, IO]:
    """The packet PDF ``user`` may read: staff the stored full packet (the latest built
    version, or ``version`` — as the query string gives it; not a number is 404); a member
    of the meeting their own stored copy of the latest final version, the download
    logged (409 ``preparing`` while it is being built); anyone else (or nothing to read)
    404."""
    if version is not None:
        try:
            version = int(version)
        except ValueError:
            raise Http404 from None
    built = meeting.packets.filter(status=PacketStatus.DONE).order_by("-version")
    if version is not None and not is_office_staff(user):
        # A member reads their copy of the final version; earlier ones are the office's.
        raise PermissionDenied(_("Only the office reads earlier versions."))
    if is_office_staff(user):
        packet = built.filter(version=version).first() if version is not None else built.first()
        if packet is None or not packet.file:
            raise Http404
        return packet, packet.file.open("rb")
    if MEMBER not in workflow.roles_of(user, meeting):
        raise Http404
    packet = built.filter(stage=PacketStage.FINAL).first()
    if packet is None:
        raise Http404
    copy = PacketCopy.objects.filter(packet=packet, member=user).first()
    if copy is None or copy.status != PacketStatus.DONE or not copy.file:
        # Built in the background (at finalize; for a member seated later, or a copy that
        # failed, from this request): never rendered inside a download.
        services.packet_copies_queue(packet=packet, actor=user, members=[user])
        raise Conflict(
            _("Your copy of the packet is being prepared: try again in a minute."),
            status="preparing",
        )
    services.packet_download_record(packet=packet, actor=user)
    return packet, copy.file.open("rb")
