"""Texts the office writes in Chinese for contractors (decisions, reasons, supplement
requests, ledger notes, meeting titles), each with an optional English version: a reader
sees the text in their language where the office wrote it, else the Chinese original,
marked so an English reader knows why."""

from __future__ import annotations

from django.utils.translation import get_language


class LocalizedText(str):
    """The text shown to the reader; ``fallback`` is true when an English reader is shown
    the Chinese original because no English text was written (templates then add a small
    "(in Chinese)" note: ``includes/localized.html``)."""

    fallback: bool = False


def localized(chinese: str, english: str) -> LocalizedText:
    """The English text for an English reader where it is filled, otherwise the Chinese."""
    if (get_language() or "").startswith("en"):
        if (english or "").strip():
            return LocalizedText(english)
        shown = LocalizedText(chinese or "")
        shown.fallback = bool(shown.strip())
        return shown
    return LocalizedText(chinese or "")
