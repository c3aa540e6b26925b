"""Text rules used everywhere (database column, admin, API, calendar feeds).

Control characters: stored text never holds one. CONTROL here is RFC 5545's (C0 but TAB and
LF, and DEL) plus C1 (U+0080–U+009F): invisible, and some parsers take VT, FF, FS–RS and NEL
for line breaks. Line breaks are CR, LF or CRLF, normalised to LF; they belong to multi-line
fields only. `control_character_error` is the check for input (the models run it on every
text field, see `crm.models.CleanValuesModel`); `without_control_characters` is the cleaning
for output (the iCalendar feeds run it on every TEXT value, whatever the database holds).

Search: `fold`. Lower case, Latin diacritics removed, đ/Đ folded to d, whitespace collapsed.
Only the combining marks of the Latin block (U+0300–U+036F) are stripped, so Khmer, Lao and
Thai vowel signs and other script-specific marks survive and those names are matched exactly
as written.
"""

import re
import unicodedata

from django.utils.translation import gettext as _

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile("\r\n?")


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR as LF (browsers send CRLF from every textarea)."""
    return _LINE_BREAK.sub("\n", text)


def without_control_characters(text: str) -> str:
    """`text` with line breaks as LF and every other control character but TAB removed."""
    return _CONTROL.sub("", normalize_newlines(text))


def control_character_error(text: str, *, multiline: bool) -> str | None:
    """Why `text` cannot be stored (a control character, or a line break in a single-line
    field), or None. Run on text already passed through `normalize_newlines` when multi-line."""
    if not multiline and ("\n" in text or "\r" in text):
        return _("Keep it on one line: line breaks are not allowed here.")
    found = _CONTROL.search(text)
    if found is None:
        return None
    return _("Remove the invisible control character U+%(code)04X (character %(position)d).") % {
        "code": ord(found.group()),
        "position": found.start() + 1,
    }


_LATIN_COMBINING = re.compile("[\u0300-\u036f]")
_SPACES = re.compile(r"\s+")
# Letters that carry a stroke rather than a combining mark, so NFD does not split them.
_STROKED = str.maketrans({"đ": "d", "ð": "d", "ł": "l", "ø": "o"})


def fold(text: str | None) -> str:
    """Return `text` normalised for accent-insensitive, case-insensitive matching."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.casefold().translate(_STROKED))
    stripped = _LATIN_COMBINING.sub("", decomposed)
    recomposed = unicodedata.normalize("NFC", stripped)
    return _SPACES.sub(" ", recomposed).strip()


def search_terms(query: str | None) -> list[str]:
    """Split a user's query into folded terms; every term must match (AND)."""
    return [term for term in fold(query).split(" ") if term]


def join_for_search(*parts: object) -> str:
    """Fold and join the values that make up a row's search column."""
    return " | ".join(fold(str(part)) for part in parts if part not in (None, ""))
