"""The one text normalisation used for search everywhere (database column, admin, API).

Lower case, Latin diacritics removed, đ/Đ folded to d, whitespace collapsed. Only the combining
marks of the Latin block (U+0300–U+036F) are stripped, so Khmer, Lao and Thai vowel signs and
other script-specific marks survive and those names are matched exactly as written.
"""

import re
import unicodedata

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
