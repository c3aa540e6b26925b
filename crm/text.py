"""Text rules used everywhere (database column, admin, API, calendar feeds).

Control characters: stored text never holds one. CONTROL here is RFC 5545's (C0 but TAB and
LF, and DEL) plus C1 (U+0080–U+009F): invisible, and some parsers take VT, FF, FS–RS and NEL
for line breaks. Line breaks are CR, LF or CRLF, normalised to LF; they belong to multi-line
fields only. `control_character_error` is the check for input (the models run it on every
text field, see `crm.models.CleanValuesModel`); `without_control_characters` is the cleaning
for output (the iCalendar feeds run it on every TEXT value, whatever the database holds).

Search: `fold`. Lower case, Latin diacritics removed, đ/Đ folded to d, zero-width characters
dropped, whitespace collapsed. Only the combining marks of the Latin block (U+0300–U+036F) are
stripped, so Khmer, Lao and Thai vowel signs and other script-specific marks survive and those
names are matched exactly as written. `join_for_search` also indexes the joined-up form of a
hyphenated reading ("chăn-thi" is found by "chanthi") and of Khmer or Lao words written apart
("ហ៊ុន សែន" is found by "ហ៊ុនសែន"); `search_terms` splits a query at spaces and hyphens, so
"chan thi" and "chăn-thi" find "Chăn-thi" too.

Names: `normalize_name`, the one rule every name field passes on input (see
`crm.models.CleanValuesModel.name_fields`):
1. Unicode NFC (a name typed with combining marks equals the same name typed precomposed);
2. every run of whitespace (tabs, no-break spaces, ideographic spaces…) becomes one space, and
   the ends are trimmed; zero-width spaces and joiners are not whitespace and are kept as typed;
3. in Khmer and Lao, a space right after an administrative word (Khmer ខេត្ត province, ក្រុង
   municipality, ស្រុក district, ខណ្ឌ section, ឃុំ commune, សង្កាត់ quarter; Lao ແຂວງ province,
   ນະຄອນຫຼວງ capital, ນະຄອນ city, ເມືອງ district, ບ້ານ village) and before a letter of the same
   script is removed: those scripts write the word joined to the name ("ខេត្តក្រចេះ", as CLDR
   spells 20 of Cambodia's 25 provinces), and a stray space there made the usual spelling find
   nothing. Other spaces between Khmer or Lao words are kept: a person's family and given names
   are written apart ("ហ៊ុន សែន"), and search also finds them typed joined up (above).
"""

import re
import unicodedata

from django.utils import translation
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
# Spaces within a line (Unicode's space separators and TAB): what a name collapses. Line breaks
# and other control characters are left for the model's check to refuse, naming the field.
_LINE_SPACES = re.compile(r"[\t\u0020\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")
# A hyphen inside a word ("chăn-thi", "Chăm-pa-xắc"): the joined form is indexed too.
_WORD_HYPHEN = re.compile(r"(?<=\w)[-\u2010\u2011](?=\w)")
_KHMER_LAO = "\u1780-\u17ff\u19e0-\u19ff\u0e80-\u0eff"
# A space between two Khmer or Lao characters (joined form indexed for search).
_SPACE_IN_SCRIPT = re.compile(f"(?<=[{_KHMER_LAO}]) (?=[{_KHMER_LAO}])")
_KHMER_ADMIN_WORDS = ("ខេត្ត", "ក្រុង", "ស្រុក", "ខណ្ឌ", "ឃុំ", "សង្កាត់")
_LAO_ADMIN_WORDS = ("ແຂວງ", "ນະຄອນຫຼວງ", "ນະຄອນ", "ເມືອງ", "ບ້ານ")
# An administrative word that starts a word, then a space, then a letter of the same script.
_STRAY_SPACES = [
    re.compile(f"(?<![{script}])({'|'.join(words)}) (?=[{script}])")
    for words, script in (
        (_KHMER_ADMIN_WORDS, "\u1780-\u17ff\u19e0-\u19ff"),
        (_LAO_ADMIN_WORDS, "\u0e80-\u0eff"),
    )
]


def normalize_name(text: str | None) -> str:
    """`text` as a name is stored: NFC, whitespace collapsed and trimmed, no stray space after
    a Khmer or Lao administrative word (the rule is in the module docstring)."""
    if not text:
        return text or ""
    text = _LINE_SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip(" ")
    for stray in _STRAY_SPACES:
        text = stray.sub(r"\1", text)
    return text


# Letters that carry a stroke rather than a combining mark, so NFD does not split them.
_STROKED = str.maketrans({"đ": "d", "ð": "d", "ł": "l", "ø": "o"})


def fold(text: str | None) -> str:
    """Return `text` normalised for accent-insensitive, case-insensitive matching."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.casefold().translate(_STROKED))
    stripped = _ZERO_WIDTH.sub("", _LATIN_COMBINING.sub("", decomposed))
    recomposed = unicodedata.normalize("NFC", stripped)
    return _SPACES.sub(" ", recomposed).strip()


def search_terms(query: str | None) -> list[str]:
    """Split a user's query into folded terms at spaces and in-word hyphens; every term must
    match (AND)."""
    return [term for term in _WORD_HYPHEN.sub(" ", fold(query)).split(" ") if term]


def search_variants(text: object) -> list[str]:
    """`text` folded, then its joined-up forms when it has any: hyphens inside words dropped
    ("chan-thi" → "chanthi"), spaces between Khmer or Lao characters dropped."""
    folded = fold(str(text))
    variants = [folded]
    for joined in (_WORD_HYPHEN.sub("", folded), _SPACE_IN_SCRIPT.sub("", folded)):
        if joined not in variants:
            variants.append(joined)
    return variants


def join_for_search(*parts: object) -> str:
    """Fold and join the values that make up a row's search column (with the joined-up
    forms of `search_variants`, so both spellings are found)."""
    return " | ".join(
        variant
        for part in parts
        if part not in (None, "")
        for variant in search_variants(part)
        if variant
    )


def in_language(vietnamese: str, english: str, language: str | None = None) -> str:
    """The text for a reader of `language` (default: the active one): English for English
    readers, Vietnamese for everyone else; the other one when that one is empty."""
    language = language or translation.get_language() or "vi"
    if language.split("-")[0] == "en":
        return english or vietnamese
    return vietnamese or english
