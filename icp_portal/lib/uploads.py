"""Uploaded documents: what counts as a PDF, and the smallest one (the demo attaches it)."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _

PDF_MAGIC = b"%PDF-"


def pdf_refusal(content: bytes) -> str:
    """Why these bytes are not a PDF the office can open, or "" when they are.

    The first bytes alone prove nothing (``%PDF-1.4\\n<html><script>…`` starts like a PDF):
    the file must parse with pypdf and have at least one page.
    """
    if not content.startswith(PDF_MAGIC):
        return _("Only PDF files are accepted; this file is not a PDF.")
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    unreadable = _("This PDF cannot be read or has no page; save it again as a PDF and upload it.")
    try:
        reader = PdfReader(BytesIO(content))
        if reader.is_encrypted:
            # "Protected" PDFs (printing restricted) open without a password; the others
            # cannot be read by the office either and are refused below.
            reader.decrypt("")
        pages = len(reader.pages)
    except DependencyError:
        # AES-protected: reading it needs a cryptography library the portal does not ship,
        # but its structure parsed (header, cross-reference table, trailer).
        return ""
    except Exception:
        # Hostile input reaches the parser's every corner: whatever it raises, not a PDF.
        return unreadable
    return "" if pages > 0 else unreadable


def text_pdf(lines: list[str], *, pages: int = 1) -> bytes:
    """A valid A4 PDF of ``pages`` pages, each with ``lines`` of plain ASCII text (the
    standard Helvetica font, nothing embedded) and its page number: the demo's stand-in
    for a contractor's application or plan, readable when appended to a packet."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    def escape(text: str) -> str:
        ascii_text = text.encode("ascii", "replace").decode("ascii")
        return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    for number in range(1, pages + 1):
        page = writer.add_blank_page(width=595, height=842)
        body = [*lines, "", f"Page {number} of {pages}"]
        text = " ".join(f"({escape(line)}) Tj 0 -22 Td" if line else "0 -22 Td" for line in body)
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 13 Tf 72 760 Td {text} ET".encode("ascii"))
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def blank_pdf() -> bytes:
    """A valid one-page blank A4 PDF: what the demo and the tests attach as a document."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
