"""Properties of the one search normalisation (`crm.text.fold`), over generated text: it is
idempotent and lower case, ignores Vietnamese accents and case (đ/Đ included), and leaves
Khmer, Lao and Thai exactly as written."""

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from crm.text import fold, join_for_search, search_terms

# Each plain letter and the accented letters Vietnamese writes with it (all tones, both cases
# come from .upper() below).
VIETNAMESE = {
    "a": "aàáảãạăằắẳẵặâầấẩẫậ",
    "e": "eèéẻẽẹêềếểễệ",
    "i": "iìíỉĩị",
    "o": "oòóỏõọôồốổỗộơờớởỡợ",
    "u": "uùúủũụưừứửữự",
    "y": "yỳýỷỹỵ",
    "d": "dđ",
}
PLAIN = "bcghklmnpqrstvx"

fast = settings(max_examples=200, deadline=None)


@st.composite
def vietnamese_words(draw) -> tuple[str, str]:
    """(accented text, the same text with every accent removed), in random case."""
    letters = draw(
        st.lists(st.sampled_from(sorted(VIETNAMESE) + list(PLAIN)), min_size=1, max_size=12)
    )
    accented, plain = [], []
    for base in letters:
        letter = draw(st.sampled_from(VIETNAMESE.get(base, base)))
        if draw(st.booleans()):
            letter = letter.upper()
        accented.append(letter)
        plain.append(base)
        if draw(st.integers(0, 4)) == 0:
            accented.append(" ")
            plain.append(" ")
    return "".join(accented), "".join(plain)


def script(low: int, high: int):
    """NFC text of one script's block (the form names are typed in), without whitespace."""
    alphabet = st.characters(min_codepoint=low, max_codepoint=high, exclude_categories=["Zs"])
    return st.text(alphabet, min_size=1, max_size=20).filter(
        lambda text: unicodedata.is_normalized("NFC", text)
    )


KHMER = script(0x1780, 0x17FF)
LAO = script(0x0E80, 0x0EFF)
THAI = script(0x0E00, 0x0E7F)


@fast
@given(st.text())
def test_idempotent_on_any_text(text):
    assert fold(fold(text)) == fold(text)


# Latin in all its European and Vietnamese forms (Basic Latin to Latin Extended-B, and Latin
# Extended Additional, where Vietnamese letters live).
LATIN = st.text(
    st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x24F),
        st.characters(min_codepoint=0x1E00, max_codepoint=0x1EFF),
    )
)


@fast
@given(st.text())
def test_the_result_is_trimmed_with_single_spaces(text):
    folded = fold(text)
    assert folded == folded.strip()
    assert "  " not in folded


@fast
@given(LATIN)
def test_latin_comes_out_lower_case(text):
    """(Not for every script: Unicode case-folds Cherokee to its capitals, for instance.)"""
    assert not any(char.isupper() for char in fold(text))


@fast
@given(LATIN.filter(lambda text: "ı" not in text))  # dotless ı: upper "I", lower "i"
def test_latin_case_does_not_matter(text):
    assert fold(text.upper()) == fold(text.lower()) == fold(text.swapcase())


@fast
@given(vietnamese_words())
def test_vietnamese_accents_and_case_do_not_matter(pair):
    accented, plain = pair
    assert fold(accented) == fold(plain) == fold(plain.upper())
    assert fold(accented).isascii()


@fast
@given(vietnamese_words())
def test_decomposed_vietnamese_folds_like_composed(pair):
    accented, _plain = pair
    assert fold(unicodedata.normalize("NFD", accented)) == fold(accented)


@fast
@given(st.text(alphabet="đĐdD", min_size=1))
def test_d_with_stroke_folds_to_d(text):
    assert fold(text) == "d" * len(text)


@fast
@given(st.one_of(KHMER, LAO, THAI))
def test_khmer_lao_and_thai_are_unchanged(name):
    assert fold(name) == name


@fast
@given(st.one_of(KHMER, LAO, THAI), vietnamese_words())
def test_other_scripts_survive_beside_vietnamese(name, pair):
    accented, plain = pair
    assert fold(f"{name} {accented}") == f"{name} {fold(plain)}"


@fast
@given(st.text())
def test_search_terms_are_the_folded_words(query):
    terms = search_terms(query)
    assert all(term and " " not in term for term in terms)
    # The folded words, an in-word hyphen ("chăn-thi") splitting them as a space does.
    assert " ".join(terms) == re.sub(r"(?<=\w)[-\u2010\u2011](?=\w)", " ", fold(query))


@fast
@given(vietnamese_words(), vietnamese_words())
def test_an_accent_free_query_finds_what_was_stored_with_accents(stored, other):
    """What search does: every term of the query is in the row's folded search column."""
    column = join_for_search(stored[0], other[0])
    assert all(term in column for term in search_terms(stored[1]))
