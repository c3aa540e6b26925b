"""Phone numbers: parse as typed (local or international), store E.164, show international."""

import re
from functools import lru_cache

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import PhoneNumber

# Vietnam moved 11-digit mobile numbers to 10 digits from 15/9/2018 (sggp.org.vn, see
# shared/reference/facts.md §7). Prefix mapping from a secondary source (confidence L): used
# only to suggest the new number in an error message, never to rewrite what a user typed.
OLD_VN_MOBILE_PREFIXES = {
    "120": "70", "121": "79", "122": "77", "126": "76", "128": "78",  # MobiFone
    "123": "83", "124": "84", "125": "85", "127": "81", "129": "82",  # VinaPhone
    "162": "32", "163": "33", "164": "34", "165": "35", "166": "36",  # Viettel
    "167": "37", "168": "38", "169": "39",
    "186": "56", "188": "58",  # Vietnamobile
    "199": "59",  # Gmobile
}  # fmt: skip

_OLD_VN_MOBILE = re.compile(r"^(?:\+?84|0)(1\d\d)(\d{7})$")


def _old_vn_mobile_hint(raw: str) -> str:
    digits = re.sub(r"[^\d+]", "", raw)
    match = _OLD_VN_MOBILE.match(digits)
    if not match or match.group(1) not in OLD_VN_MOBILE_PREFIXES:
        return ""
    new = "0" + OLD_VN_MOBILE_PREFIXES[match.group(1)] + match.group(2)
    return " " + _(
        "It looks like an old 11-digit Vietnamese mobile number; since 15/9/2018 it is "
        "probably %(new)s."
    ) % {"new": new}


def normalize_phone(raw: str, region: str) -> str:
    """Return `raw` in E.164, reading local forms as numbers of `region`.

    Raises ValidationError naming the number and the region when it is not a valid number.
    """
    message = _("%(value)s is not a valid phone number for region %(region)s.") % {
        "value": raw,
        "region": region,
    }
    try:
        number = PhoneNumber.from_string(raw, region=region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(message + _old_vn_mobile_hint(raw), code="invalid_phone") from exc
    if not number.is_valid():
        raise ValidationError(message + _old_vn_mobile_hint(raw), code="invalid_phone")
    return number.as_e164


@lru_cache(maxsize=50_000)
def format_international(e164: str) -> str:
    """+85512345678 → "+855 12 345 678". Cached: parsing costs about 0.1 ms, and every list of
    people or organisations shows its phones this way."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def national_digits(e164: str) -> str:
    """+84912345678 → "0912345678": the form staff type, kept for search."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return ""
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return re.sub(r"\D", "", national)
