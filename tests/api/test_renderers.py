"""The orjson renderer writes what DRF's JSONRenderer writes."""

import datetime
import decimal

from django.utils.translation import gettext_lazy as _
from rest_framework.renderers import JSONRenderer

from api.renderers import ORJSONRenderer

DATA = {
    "names": ["Nguyễn Văn An", "ស៊ឹម សុភា", "ສົມພອນ", "สมชาย", "line\u2028separator\u2029"],
    "date": datetime.date(2024, 2, 29),
    "utc": datetime.datetime(2026, 1, 2, 3, 4, 5, 600000, tzinfo=datetime.UTC),
    "local": datetime.datetime(
        2026, 1, 2, 3, 4, tzinfo=datetime.timezone(datetime.timedelta(hours=7))
    ),
    "time": datetime.time(9, 30),
    "amount": decimal.Decimal("1500000.50"),
    "lazy": _("Meeting"),
    2026: {"count": 3, "empty": None, "ok": True, "ratio": 0.25},
}


def test_same_bytes_as_drf():
    assert ORJSONRenderer().render(DATA) == JSONRenderer().render(DATA)


def test_indent_request_is_honoured():
    rendered = ORJSONRenderer().render({"a": [1]}, "application/json; indent=2", {})
    assert rendered == JSONRenderer().render({"a": [1]}, "application/json; indent=2", {})
    assert b"\n" in rendered


def test_none_renders_nothing():
    assert ORJSONRenderer().render(None) == b""


def test_api_answers_with_it(api):
    response = api.get("/api/v1/units/")
    assert response["Content-Type"] == "application/json"
    assert isinstance(response.accepted_renderer, ORJSONRenderer)
