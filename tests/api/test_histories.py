"""Contact histories: who was met, when, and the organisation window rule."""

import datetime

import pytest

from contacts.models import FollowUp, Interaction
from tests.factories import (
    FollowUpFactory,
    InteractionFactory,
    OrganizationFactory,
    ParticipantFactory,
    PersonFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def meet(person, on, **kwargs):
    interaction = InteractionFactory(occurred_on=on, **kwargs)
    ParticipantFactory(interaction=interaction, person=person)
    return interaction


@pytest.fixture
def governor_story():
    """A governor in office 2020-07-01 → 2024-12-01, met before, during and after."""
    province = OrganizationFactory(name_vi="tỉnh Prây Veng")
    other = OrganizationFactory(name_vi="Bộ Ngoại giao (demo)")
    governor = PersonFactory(name_vi="Xốc Chăn-thi")
    PositionFactory(
        person=governor,
        organization=province,
        title="Tỉnh trưởng",
        start_date=D(2020, 7, 1),
        end_date=D(2024, 12, 1),
    )
    PositionFactory(person=governor, organization=other, start_date=D(2024, 12, 1))
    return {
        "province": province,
        "governor": governor,
        "before": meet(governor, D(2020, 6, 30), subject="before"),
        "first_day": meet(governor, D(2020, 7, 1), subject="first day"),
        "during": meet(
            governor, D(2023, 3, 15), subject="during", kind=Interaction.Kind.INBOUND_DELEGATION
        ),
        "left": meet(governor, D(2024, 12, 1), subject="after leaving"),
        "direct": InteractionFactory(occurred_on=D(2025, 5, 5), subject="direct"),
    }


def subjects(response):
    return [row["subject"] for row in response.json()["results"]]


def test_organisation_history_includes_its_people_only_while_in_post(api, governor_story):
    province = governor_story["province"]
    governor_story["direct"].organizations.add(province)
    response = api.get(f"/api/v1/organizations/{province.pk}/contact-history/")
    assert response.status_code == 200
    assert subjects(response) == ["direct", "during", "first day"]  # newest first


def test_person_history_has_everything_they_took_part_in(api, governor_story):
    governor = governor_story["governor"]
    response = api.get(f"/api/v1/people/{governor.pk}/contact-history/")
    assert subjects(response) == ["after leaving", "during", "first day", "before"]


def test_filters_and_summary(api, governor_story):
    governor = governor_story["governor"]
    FollowUpFactory(
        interaction=governor_story["during"], action="Gửi biên bản", due_on=D(2023, 4, 1)
    )
    FollowUpFactory(
        interaction=governor_story["during"],
        action="Xong rồi",
        status=FollowUp.Status.DONE,
        done_at="2023-04-02T10:00:00+07:00",
    )
    url = f"/api/v1/people/{governor.pk}/contact-history/"

    body = api.get(url, {"since": "2020-07-01", "until": "2024-11-30"}).json()
    assert [row["subject"] for row in body["results"]] == ["during", "first day"]
    summary = body["summary"]
    assert summary["count"] == 2
    assert summary["first_contact"] == "2020-07-01"
    assert summary["last_contact"] == "2023-03-15"
    assert summary["by_year"] == {"2020": 1, "2023": 1}
    assert summary["by_kind"] == {"inbound_delegation": 1, "meeting": 1}
    assert [f["action"] for f in summary["open_follow_ups"]] == ["Gửi biên bản"]

    assert subjects(api.get(url, {"kind": "inbound_delegation"})) == ["during"]


def test_summary_counts_all_pages(api, governor_story):
    governor = governor_story["governor"]
    body = api.get(f"/api/v1/people/{governor.pk}/contact-history/", {"page_size": 1}).json()
    assert len(body["results"]) == 1
    assert body["count"] == body["summary"]["count"] == 4
    assert body["next"] is not None


def test_pillar_filter_and_bad_values(api, governor_story):
    governor = governor_story["governor"]
    governor_story["before"].pillars.add("economic")
    url = f"/api/v1/people/{governor.pk}/contact-history/"
    assert subjects(api.get(url, {"pillar": "economic"})) == ["before"]
    bad = api.get(url, {"kind": "bogus", "since": "yesterday"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"kind", "since"}


def test_empty_history(api):
    person = PersonFactory()
    body = api.get(f"/api/v1/people/{person.pk}/contact-history/").json()
    assert body["count"] == 0
    assert body["summary"] == {
        "count": 0,
        "first_contact": None,
        "last_contact": None,
        "by_year": {},
        "by_kind": {},
        "open_follow_ups": [],
    }


def test_unknown_owner_is_404(api):
    assert api.get("/api/v1/organizations/999999/contact-history/").status_code == 404
