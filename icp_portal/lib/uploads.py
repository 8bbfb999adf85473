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


def blank_pdf() -> bytes:
    """A valid one-page blank A4 PDF: what the demo and the tests attach as a document."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
