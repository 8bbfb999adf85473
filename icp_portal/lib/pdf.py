"""PDF rendering with WeasyPrint (imported lazily: it is heavy and only PDFs need it).
Templates set ``html { font-family: "Noto Sans CJK TC" }`` so Chinese never comes out as
boxes, page margins included (toolchain.md)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(template: str, context: dict, *, language: str | None = None) -> bytes:
    """Render ``templates/<template>`` to PDF bytes, in ``language`` if given."""
    from weasyprint import HTML

    with translation.override(language or translation.get_language()):
        html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
