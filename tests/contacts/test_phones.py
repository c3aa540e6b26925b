"""Phone numbers typed as staff find them on business cards, for VN, KH and LA owners."""

import pytest
from django.core.exceptions import ValidationError

from contacts.models import ContactPoint
from tests.factories import CountryFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def phone_for(owner_country: str | None, value: str, kind=ContactPoint.Kind.PHONE) -> ContactPoint:
    nationality = CountryFactory(code=owner_country) if owner_country else None
    person = PersonFactory(nationality=nationality)
    point = ContactPoint(person=person, kind=kind, value=value)
    point.full_clean()
    return point


@pytest.mark.parametrize(
    ("country", "typed", "e164"),
    [
        ("VN", "0912 345 678", "+84912345678"),
        ("VN", "+84 912 345 678", "+84912345678"),
        ("VN", "0392.345.678", "+84392345678"),
        ("KH", "012 345 678", "+85512345678"),
        ("KH", "091 234 567", "+85591234567"),
        ("KH", "+855 91 234 567", "+85591234567"),
        ("LA", "020 23 123 456", "+8562023123456"),
        ("LA", "+856 20 23 123 456", "+8562023123456"),
        # An international form wins over the owner's country.
        ("KH", "+84 912 345 678", "+84912345678"),
        # No country known: Vietnam is the default region.
        (None, "0912345678", "+84912345678"),
    ],
)
def test_valid_numbers_are_stored_in_e164(country, typed, e164):
    assert phone_for(country, typed).value == e164


@pytest.mark.parametrize(
    ("country", "typed"),
    [
        ("VN", "01694567890"),  # old 11-digit mobile, retired in 2018
        ("VN", "+84 1694567890"),
        ("VN", "12345"),
        ("KH", "012 34"),
        ("LA", "020 123"),
        ("LA", "not a number"),
    ],
)
def test_invalid_numbers_are_rejected_naming_number_and_region(country, typed):
    with pytest.raises(ValidationError) as exc:
        phone_for(country, typed)
    message = " ".join(exc.value.message_dict["value"])
    assert typed in message
    assert country in message


def test_old_vietnamese_mobile_gets_a_hint_to_the_new_number():
    with pytest.raises(ValidationError) as exc:
        phone_for("VN", "0169 456 7890")
    assert "0394567890" in " ".join(exc.value.message_dict["value"])


def test_residence_country_is_the_default_region_before_nationality():
    person = PersonFactory(
        nationality=CountryFactory(code="VN"), residence_country=CountryFactory(code="TH")
    )
    point = ContactPoint(person=person, kind=ContactPoint.Kind.PHONE, value="081 234 5678")
    point.full_clean()
    assert point.value == "+66812345678"


def test_organisation_phone_uses_its_country_and_displays_internationally():
    org = OrganizationFactory(country=CountryFactory(code="KH"))
    point = ContactPoint(organization=org, kind=ContactPoint.Kind.WHATSAPP, value="012 345 678")
    point.full_clean()
    point.save()
    assert point.value == "+85512345678"
    assert point.display_value == "+855 12 345 678"


def test_email_is_validated_and_lower_cased():
    assert phone_for("KH", "Sok.Chanthy@Example.ORG", ContactPoint.Kind.EMAIL).value == (
        "sok.chanthy@example.org"
    )
    with pytest.raises(ValidationError) as exc:
        phone_for("KH", "sok@", ContactPoint.Kind.EMAIL)
    assert "sok@" in exc.value.message_dict["value"][0]


def test_free_form_kinds_are_kept_as_typed():
    assert phone_for("LA", "@somphone_k", ContactPoint.Kind.TELEGRAM).value == "@somphone_k"


def test_a_contact_point_needs_exactly_one_owner():
    point = ContactPoint(kind=ContactPoint.Kind.EMAIL, value="a@example.org")
    with pytest.raises(ValidationError):
        point.full_clean()
