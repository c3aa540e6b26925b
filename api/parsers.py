"""The JSON parser of every write: orjson, with a bound on nesting.

Python's json module recurses once per level of nesting, so a body of a few thousand `[`
raised RecursionError (a 500) before any view ran. orjson parses without recursion on the
Python stack and refuses more than 1024 levels itself; the documents this API takes are a few
levels deep (a person with its contact points is three), so anything deeper than `MAX_DEPTH`
is refused with a 400 naming the limit before a serializer walks it.

Form and multipart bodies are flat (names to strings or files): they cannot nest.
"""

import orjson
from django.utils.http import parse_header_parameters
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DRFJSONParser

MAX_DEPTH = 32


def depth_exceeds(value: object, limit: int) -> bool:
    """True when `value` nests lists and objects more than `limit` levels deep (walked with a
    stack of its own, never by recursion)."""
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        depth += 1
        if depth > limit:
            return True
        stack.extend((child, depth) for child in children)
    return False


class JSONParser(DRFJSONParser):
    """DRF's JSON parser (same media type, same "JSON parse error - …" messages), reading with
    orjson: strict JSON (no NaN or Infinity), UTF-8 unless the Content-Type names another
    charset, at most `MAX_DEPTH` levels of nesting."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read()
        charset = parse_header_parameters(media_type or "")[1].get("charset") or "utf-8"
        try:
            text = raw.decode(charset)
        except (LookupError, UnicodeDecodeError) as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None
        too_deep = _("JSON parse error - nested deeper than %(limit)d levels.") % {
            "limit": MAX_DEPTH
        }
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            if str(exc).startswith("depth limit exceeded"):  # orjson's own bound, 1024
                raise ParseError(too_deep) from None
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None
        if depth_exceeds(data, MAX_DEPTH):
            raise ParseError(too_deep)
        return data
