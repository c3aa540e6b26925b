"""One CRUD test mixin driven by class attributes, in the manner of NetBox's APITestCase.

A resource's test class names its `endpoint`, a `factory` and the data to create and update;
it inherits list, retrieve, create, PUT, PATCH, delete and anonymous tests.
"""

from typing import Any, ClassVar

import pytest

from tests.factories import CountryFactory

BASE = "/api/v1"


class CRUDTests:
    endpoint: ClassVar[str]
    factory: ClassVar[Any]
    create_data: ClassVar[dict]
    update_data: ClassVar[dict]  # a full representation for PUT
    patch_data: ClassVar[dict]
    read_only: ClassVar[bool] = False
    lookup: ClassVar[str] = "pk"

    @pytest.fixture(autouse=True)
    def _reference(self, db):
        CountryFactory(code="KH")
        CountryFactory(code="LA")
        CountryFactory(code="VN")

    def make(self):
        return self.factory()

    def url(self, obj=None) -> str:
        if obj is None:
            return f"{BASE}/{self.endpoint}/"
        return f"{BASE}/{self.endpoint}/{getattr(obj, self.lookup)}/"

    def resolve(self, data: dict) -> dict:
        """Data may hold callables that build related rows when the test runs."""
        return {k: (v() if callable(v) else v) for k, v in data.items()}

    def test_list(self, api):
        obj = self.make()
        response = api.get(self.url())
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"count", "next", "previous", "results"}
        ids = [row["id"] for row in body["results"]]
        assert str(getattr(obj, self.lookup)) in map(str, ids)
        row = body["results"][0]
        assert {"id", "url", "created_at", "updated_at"} <= set(row)

    def test_retrieve(self, api):
        obj = self.make()
        response = api.get(self.url(obj))
        assert response.status_code == 200
        assert response.json()["url"].endswith(self.url(obj))

    def test_unknown_id_is_404(self, api):
        assert api.get(self.url() + "999999/").status_code == 404

    def test_anonymous_gets_401(self, anonymous):
        obj = self.make()
        assert anonymous.get(self.url()).status_code == 401
        assert anonymous.get(self.url(obj)).status_code == 401

    def test_create(self, api):
        if self.read_only:
            assert api.post(self.url(), {}, format="json").status_code == 405
            return
        response = api.post(self.url(), self.resolve(self.create_data), format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert response["Location"] == body["url"]
        created = self.factory._meta.model.objects.get(pk=body["id"])
        assert created.created_at is not None

    def test_put(self, api):
        obj = self.make()
        if self.read_only:
            assert api.put(self.url(obj), {}, format="json").status_code == 405
            return
        response = api.put(self.url(obj), self.resolve(self.update_data), format="json")
        assert response.status_code == 200, response.json()
        for key, value in self.update_data.items():
            if not callable(value) and not isinstance(value, list | dict):
                assert response.json()[key] == value

    def test_patch(self, api):
        obj = self.make()
        if self.read_only:
            assert api.patch(self.url(obj), {}, format="json").status_code == 405
            return
        response = api.patch(self.url(obj), self.resolve(self.patch_data), format="json")
        assert response.status_code == 200, response.json()
        for key, value in self.patch_data.items():
            if not callable(value):
                assert response.json()[key] == value

    def test_delete(self, api):
        obj = self.make()
        if self.read_only:
            assert api.delete(self.url(obj)).status_code == 405
            return
        assert api.delete(self.url(obj)).status_code == 204
        assert api.get(self.url(obj)).status_code == 404

    def test_wrong_content_type_is_415(self, api):
        if self.read_only:
            return
        response = api.generic("POST", self.url(), "x", content_type="text/plain")
        assert response.status_code == 415
