"""The briefings as data: what each kind holds, its windows, and what a viewer may see."""

import datetime

import pytest

from briefings.compute import (
    Options,
    country_briefing,
    event_briefing,
    find_organization,
    organization_briefing,
    person_briefing,
)
from contacts import selectors
from crm.access import PUBLIC_ONLY, READ, Viewer
from tests.briefings.conftest import TODAY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def subjects(data) -> list[str]:
    return [row["subject"] for row in data["history"]["interactions"]]


def test_organization_profile_people_and_agreements(world, admin, today):
    data = organization_briefing(find_organization(admin, world.org.pk), admin, Options())
    profile = data["organization"]
    assert profile["name_native"] == "ខេត្តព្រៃវែង"
    assert profile["country"]["code"] == "KH"
    assert profile["notes"] == "Ghi chú nội bộ"
    current = [(row["person"]["name_latin"], row["title"]) for row in data["people"]["current"]]
    assert current == [("Sok Chanthy", "Tỉnh trưởng")]
    former = {(row["person"]["name_latin"], row["title"]) for row in data["people"]["former"]}
    assert former == {("Sok Chanthy", "Phó Tỉnh trưởng"), ("Long Dara", "Tỉnh trưởng")}
    titles = {name: [a["title"] for a in rows] for name, rows in data["agreements"].items()}
    assert titles == {
        "in_force": ["Thỏa thuận kết nghĩa", "Thỏa thuận mật"],
        "expiring": ["MoU 2022–2027"],
        "expired": ["MoU 2017–2021"],
        "in_negotiation": ["Dự thảo MoU 2026–2030"],
    }


def test_organization_history_follows_the_api_rule(world, admin, today):
    data = organization_briefing(world.org, admin, Options())
    # With the organisation, and with its former governor while in post; not after he left.
    assert subjects(data) == [
        "Đoàn Prây Veng làm việc với tỉnh",
        "Trao đổi mật về biên giới",
        "Làm việc với Tỉnh trưởng Long Đa-ra",
    ]
    api_rule = selectors.organization_history(world.org, admin)
    assert [i.subject for i in api_rule] == subjects(data)
    summary = data["history"]["summary"]
    assert summary["count"] == 3
    assert summary["first_contact"] == D(2023, 3, 2)
    assert summary["last_contact"] == D(2026, 11, 19)
    assert summary["by_year"] == {"2023": 1, "2026": 2}
    assert summary["delegations_in"] == summary["delegations_out"] == 1
    assert [f["action"] for f in data["open_follow_ups"]] == ["Gửi biên bản đã ký", "Việc mật"]


def test_history_window_and_limit(world, admin, today):
    options = Options(since=D(2024, 1, 1), until=D(2026, 10, 1), limit=5)
    data = organization_briefing(world.org, admin, options)
    assert subjects(data) == ["Trao đổi mật về biên giới"]
    assert data["history"]["summary"]["count"] == 1
    data = organization_briefing(world.org, admin, Options(limit=1))
    assert len(data["history"]["interactions"]) == 1
    assert data["history"]["summary"]["count"] == 3  # the summary counts them all
    assert data["withheld"]["interactions_not_shown"] == 2
    # Open follow-ups are the whole history's, whatever the window.
    assert len(data["open_follow_ups"]) == 2


def test_upcoming_window_crosses_the_year_end(world, admin, today):
    data = organization_briefing(world.org, admin, Options())
    upcoming = data["upcoming"]
    assert (upcoming["start"], upcoming["end"]) == (TODAY, D(2027, 5, 25))
    items = [(i["date"], i["type"], i["title"], i["milestone"]) for i in upcoming["items"]]
    assert items == [
        (D(2026, 12, 10), "event", "Cuộc họp kín", False),
        (D(2027, 1, 7), "anniversary", items[1][2], True),
        (D(2027, 3, 10), "event", "Đoàn tỉnh Prây Veng thăm và làm việc", False),
    ]
    assert items[1][2].startswith("Kỷ niệm 20 năm")
    english = organization_briefing(world.org, admin, Options(lang="en"))["upcoming"]["items"]
    assert english[1]["title"].startswith("20th anniversary")
    assert english[2]["title"] == "Prey Veng delegation visit"


def test_position_window_on_another_day(world, admin):
    before = organization_briefing(world.org, admin, Options(today=D(2024, 6, 1)))
    current = {(r["person"]["name_latin"], r["title"]) for r in before["people"]["current"]}
    assert current == {("Sok Chanthy", "Phó Tỉnh trưởng"), ("Long Dara", "Tỉnh trưởng")}
    assert before["people"]["former"] == []
    # The end date is not included: on 1 December 2024 the new governor is in post.
    handover = organization_briefing(world.org, admin, Options(today=D(2024, 12, 1)))
    current = {(r["person"]["name_latin"], r["title"]) for r in handover["people"]["current"]}
    assert current == {("Sok Chanthy", "Tỉnh trưởng")}


def test_person_briefing(world, admin, today):
    data = person_briefing(world.governor, admin, Options())
    person = data["person"]
    assert person["languages"] == ["km", "vi"]
    assert person["home_commune"] == "Phum Ba Phnum"
    assert person["contact_points"][0]["value"] == "+855 12 345 678"
    # Born 29 February 1972; 2027 is a common year: 28 February, aged 55.
    assert person["next_birthday"] == {"date": D(2027, 2, 28), "age": 55}
    assert [(p["title"], p["is_current"]) for p in data["positions"]] == [
        ("Tỉnh trưởng", True),
        ("Phó Tỉnh trưởng", False),
    ]
    assert subjects(data) == ["Đoàn Prây Veng làm việc với tỉnh"]
    assert [f["action"] for f in data["open_follow_ups"]] == ["Gửi biên bản đã ký"]
    assert data["withheld"]["personal_data"] is False


def test_country_briefing(world, admin, today):
    data = country_briefing(world.cambodia, admin, Options())
    facts = data["country"]
    assert facts["asean_member"] is True
    assert facts["national_day"]["next"] == D(2027, 11, 9)
    assert facts["next_milestone"]["date"] == D(2027, 6, 24)
    assert facts["next_milestone"]["ordinal"] == 60
    groups = {g["kind"]: g["organizations"] for g in data["organizations"]}
    assert list(groups) == ["counterpart_province", "overseas_vietnamese_association", "business"]
    prey_veng = groups["counterpart_province"][0]
    assert prey_veng["last_contact"] == D(2026, 11, 19)
    assert groups["business"][0]["last_contact"] is None
    diaspora = data["overseas_vietnamese"]
    assert diaspora["count"] == 3
    assert [(r["region"], r["count"]) for r in diaspora["by_region"]] == [("Kandal", 1), ("", 2)]
    assert diaspora["by_region"][0]["people"][0]["name_latin"] == "Nguyen Van 0"
    assert "Đoàn Prây Veng làm việc với tỉnh" in subjects(data)


def test_country_last_contact_is_the_organisation_history_rule(world, admin, today):
    """The correlated subquery agrees with `organization_history` for every organisation."""
    data = country_briefing(world.cambodia, admin, Options())
    for group in data["organizations"]:
        for org in group["organizations"]:
            history = selectors.organization_history(find_organization(admin, org["id"]), admin)
            newest = history.first()
            assert org["last_contact"] == (newest.occurred_on if newest else None)


def test_country_without_anniversary_falls_back_on_the_date_of_relations(world, admin, today):
    from events.models import Anniversary

    Anniversary.objects.filter(kind="diplomatic_relations").delete()
    milestone = country_briefing(world.cambodia, admin, Options())["country"]["next_milestone"]
    assert (milestone["date"], milestone["ordinal"]) == (D(2027, 6, 24), 60)


def test_event_briefing_is_a_pack(world, admin, today):
    data = event_briefing(world.visit, admin, Options())
    assert data["event"]["title"] == "Đoàn tỉnh Prây Veng thăm và làm việc"
    assert [b["organization"]["id"] for b in data["organizations"]] == [world.org.pk]
    assert [b["person"]["id"] for b in data["people"]] == [world.governor.pk]


# ---------------------------------------------------------------------------------------------
# Visibility


def test_a_viewer_of_another_unit_sees_no_restricted_row_and_no_count_of_them(world, today):
    manager = UserFactory(role="manager", units=[world.other_unit])
    viewer = Viewer.of(manager, scopes={READ})
    data = organization_briefing(world.org, viewer, Options())
    assert "Trao đổi mật về biên giới" not in subjects(data)
    assert data["history"]["summary"]["count"] == 2
    assert [f["action"] for f in data["open_follow_ups"]] == ["Gửi biên bản đã ký"]
    assert "Thỏa thuận mật" not in str(data["agreements"])
    assert "Cuộc họp kín" not in str(data["upcoming"])
    assert data["withheld"] == {"personal_data": True, "interactions_not_shown": 0}
    person = person_briefing(world.governor, viewer, Options())["person"]
    for field in ("contact_points", "home_commune", "next_birthday", "birth_year", "notes"):
        assert field not in person
    diaspora = country_briefing(world.cambodia, viewer, Options())
    assert all(r["people"] is None for r in diaspora["overseas_vietnamese"]["by_region"])
    assert diaspora["withheld"]["overseas_vietnamese_names"] == 3


def test_a_manager_of_the_owner_unit_sees_the_restricted_rows(world, today):
    manager = UserFactory(role="manager", units=[world.unit])
    data = organization_briefing(world.org, manager, Options())
    assert "Trao đổi mật về biên giới" in subjects(data)


def test_public_only_sees_public_rows_and_no_internal_counts(world, today):
    pipeline = UserFactory(role="viewer")
    viewer = Viewer.of(pipeline, scopes={PUBLIC_ONLY})
    data = organization_briefing(world.org, viewer, Options())
    assert subjects(data) == ["Đoàn Prây Veng làm việc với tỉnh"]
    assert data["history"]["summary"]["count"] == 1
    assert data["history"]["interactions"][0]["people"] == []  # participants are internal
    assert data["open_follow_ups"] == []
    assert data["organization"]["notes"] is None
    assert [a["title"] for a in data["agreements"]["in_force"]] == ["Thỏa thuận kết nghĩa"]
    assert [i["title"] for i in data["upcoming"]["items"]] == [
        data["upcoming"]["items"][0]["title"]
    ]  # the public anniversary only
    assert data["upcoming"]["items"][0]["type"] == "anniversary"
    country = country_briefing(world.cambodia, viewer, Options())
    assert country["overseas_vietnamese"] is None
    assert "overseas_vietnamese_names" not in country["withheld"]
