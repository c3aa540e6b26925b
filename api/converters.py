"""Path converters for every id in an API address: a row id is ASCII digits within the 64-bit
range of the id columns (`crm.numbers.parse_int`), a country an ISO alpha-2 code. Anything else
does not match the route, and the API's 404 handler answers (JSON), before a view or the
database sees it."""

from django.urls import register_converter

from crm.numbers import parse_int


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        return parse_int(value, minimum=1)  # ValueError: the route does not match

    def to_url(self, value: int | str) -> str:
        return str(value)


class CountryCodeConverter:
    regex = "[A-Za-z]{2}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return str(value)


# Described in the schema by SPECTACULAR_SETTINGS["PATH_CONVERTER_OVERRIDES"].
ID, COUNTRY_CODE = "id", "country_code"
register_converter(IdConverter, ID)
register_converter(CountryCodeConverter, COUNTRY_CODE)
