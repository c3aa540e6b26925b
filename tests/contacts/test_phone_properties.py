"""Properties of phone parsing over generated input: any text either normalises to E.164 or
is refused with a ValidationError (never another exception), and valid numbers round-trip
through every form staff type or see (international, national, with separators)."""

import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from contacts.phones import format_international, national_digits, normalize_phone

REGIONS = ["VN", "KH", "LA", "TH", "MM", "MY", "SG", "ID", "PH", "BN", "CN", "JP", "KR", "US"]
TYPES = [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]

fast = settings(max_examples=150, deadline=None)


@st.composite
def valid_numbers(draw) -> tuple[str, str]:
    """(region, E.164) of a valid number: an example number of the region with its last
    digits replaced at random, kept only if still valid."""
    region = draw(st.sampled_from(REGIONS))
    example = phonenumbers.example_number_for_type(region, draw(st.sampled_from(TYPES)))
    assume(example is not None)
    national = str(example.national_number)
    tail = draw(st.text("0123456789", min_size=1, max_size=min(4, len(national) - 2)))
    number = phonenumbers.parse(f"+{example.country_code}{national[: -len(tail)]}{tail}")
    assume(phonenumbers.is_valid_number(number))
    return region, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_or_none(raw: str, region: str) -> str | None:
    try:
        return normalize_phone(raw, region)
    except ValidationError:
        return None


@fast
@given(st.text(max_size=40), st.sampled_from(REGIONS))
def test_any_text_is_e164_or_a_validation_error(raw, region):
    result = normalize_or_none(raw, region)
    if result is not None:
        assert result.startswith("+")
        assert result[1:].isdigit()
        assert phonenumbers.is_valid_number(phonenumbers.parse(result))


@fast
@given(st.text("0123456789 +-.()/", max_size=25), st.sampled_from(REGIONS))
def test_digit_soup_is_e164_or_a_validation_error(raw, region):
    """Text made of what phone numbers are written with reaches the parser's deeper paths."""
    test_any_text_is_e164_or_a_validation_error.hypothesis.inner_test(raw, region)


@fast
@given(valid_numbers(), st.sampled_from(REGIONS))
def test_e164_and_international_forms_round_trip_from_any_region(number, owner_region):
    _region, e164 = number
    assert normalize_phone(e164, owner_region) == e164
    assert normalize_phone(format_international(e164), owner_region) == e164


@fast
@given(valid_numbers())
def test_the_national_form_round_trips_in_its_own_region(number):
    region, e164 = number
    assert normalize_phone(national_digits(e164), region) == e164


@fast
@given(valid_numbers(), st.sampled_from([" ", ".", "-", " - "]))
def test_separators_as_on_business_cards_do_not_matter(number, separator):
    region, e164 = number
    digits = national_digits(e164)
    typed = separator.join(digits[i : i + 3] for i in range(0, len(digits), 3))
    assert normalize_phone(typed, region) == e164


@fast
@given(valid_numbers())
def test_formatting_is_stable(number):
    _region, e164 = number
    shown = format_international(e164)
    assert shown.startswith("+")
    assert format_international(normalize_phone(shown, "VN")) == shown


@pytest.mark.parametrize(
    "garbage", ["", " ", "+", "++84", "\x00", "０９１２３４５６７８", "+84" + "9" * 40]
)
def test_edge_cases_are_refused_or_parsed_never_crash(garbage):
    normalize_or_none(garbage, "VN")
