"""Vietnamese alphabetical order for lists of names, on both databases.

A Vietnamese reader expects the alphabet a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v
x y (so "Ăn" after "An", "Đồng Tháp" after every "D…", "Chăn-thi" after "Chà"), with the tones
as a secondary difference (none, huyền, hỏi, ngã, sắc, nặng: "Cha" < "Chà" < "Chá" only when the
letters tie), and lower case before upper case last. Byte or English order puts Đ after Z and
mixes a/ă/â.

- PostgreSQL: the ICU collation `vi_icu` (locale vi-VN), created by crm's migration
  0003_vietnamese_collation.
- SQLite: a collation of the same name, registered on every connection (`register`), comparing
  `sort_key`: the same order as ICU's for Vietnamese and Latin names (tests compare the two).

Querysets sort by `collated("name_vi")`; Meta.ordering and the API's `ordering` use it for names.
"""

import functools
import unicodedata

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F
from django.db.models.expressions import OrderBy
from django.db.models.functions import Collate

COLLATION = "vi_icu"

# Base letters in Vietnamese order; f j w z (foreign names) in their Latin places.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
# Marks that make a letter of its own (ă â ê ô ơ ư), under NFD.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
# Tones, in the order Vietnamese dictionaries (and ICU's vi tailoring) use.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

# Primary classes, as in ICU: spaces < punctuation and symbols < digits < Latin < other scripts.
_SPACE, _PUNCTUATION, _DIGIT, _LATIN, _OTHER = range(5)


def _letters(text: str) -> list[tuple[str, str, list[str]]]:
    """(base, original case form, marks) per character of `text` under NFD."""
    letters: list[tuple[str, str, list[str]]] = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char) and letters:
            letters[-1][2].append(char)
        else:
            letters.append((char.lower(), char, []))
    return letters


@functools.lru_cache(maxsize=65536)
def sort_key(text: str | None) -> tuple:
    """The key that orders `text` as a Vietnamese reader expects (module docstring)."""
    if not text:
        return ((), (), (), "")
    primary: list[tuple[int, int]] = []
    secondary: list[tuple[int, ...]] = []
    tertiary: list[int] = []
    for base, original, marks in _letters(text):
        letter = unicodedata.normalize(
            "NFC", base + "".join(m for m in marks if m in _LETTER_MARKS)
        )
        other_marks = tuple(sorted(ord(m) for m in marks if m not in _LETTER_MARKS))
        tone = max((_TONES.get(m, 0) for m in marks), default=0)
        if letter in _RANK:
            primary.append((_LATIN, _RANK[letter]))
            extra = tuple(o for o in other_marks if chr(o) not in _TONES)
            secondary.append((tone, *extra))
        else:
            if base.isspace():
                primary.append((_SPACE, 0))
            elif base.isdigit():
                primary.append((_DIGIT, unicodedata.digit(base, ord(base))))
            elif base.isalpha():
                primary.append((_OTHER, ord(letter[0]) if letter else 0))
            else:
                primary.append((_PUNCTUATION, ord(base)))
            secondary.append(other_marks)
        tertiary.append(0 if original == base else 1)
    return (tuple(primary), tuple(secondary), tuple(tertiary), text)


def compare(left: str, right: str) -> int:
    """SQLite's collation callback: negative, zero or positive, as `sort_key` orders."""
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)


def register(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: gives every SQLite connection the `vi_icu` collation
    (PostgreSQL has it from the migration)."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, compare)


def collated(field: str) -> Collate:
    """`field` in Vietnamese order (for order_by)."""
    return Collate(F(field), COLLATION)


def ordering(*fields: str) -> list[OrderBy | str]:
    """A Meta.ordering / order_by list with these text fields collated ("-name" descending);
    "id", "pk" and other names given with a "=" prefix ("=code") are kept as they are."""
    result: list[OrderBy | str] = []
    for field in fields:
        if field.startswith("="):
            result.append(field[1:])
        elif field.lstrip("-") in {"id", "pk"}:
            result.append(field)
        elif field.startswith("-"):
            result.append(collated(field[1:]).desc())
        else:
            result.append(collated(field).asc())
    return result


def collated_if_text(model, item: str) -> OrderBy | str:
    """One item of an ordering ("name_vi", "-name_en"), collated when it names a text field of
    `model` without choices (names sort as a Vietnamese reader expects); anything else as it is.
    For orderings chosen at request time: the API's `ordering`, the admin's column headers."""
    try:
        field = model._meta.get_field(item.lstrip("-"))
    except FieldDoesNotExist:
        return item
    if isinstance(field, models.CharField | models.TextField) and not field.choices:
        return ordering(item)[0]
    return item
