"""The API's JSON parser, bounded (its own module: DRF imports parsers while it loads)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# How deep a JSON body may nest: the API's deepest document (a decision's activities) is
# three levels; anything far deeper is an attack on the parser, refused with a 400.
MAX_JSON_DEPTH = 20


def _depth(document) -> int:
    """The nesting depth of a parsed JSON document, counted without recursion."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
    return deepest


class PortalJSONParser(JSONParser):
    """DRF's JSON parser, bounded: a body nested deeper than ``MAX_JSON_DEPTH`` (or deep
    enough to exhaust the parser's recursion) is a 400, never a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            document = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("The JSON body is nested too deeply.")) from exc
        if _depth(document) > MAX_JSON_DEPTH:
            raise ParseError(_("The JSON body is nested too deeply."))
        return document
