"""A small world for briefings: Prey Veng (a Cambodian provincial counterpart) with its
governors past and present, agreements in every state, a contact history with one restricted
interaction, a delegation visit, and anniversaries around a year end.

"Today" is 26 November 2026: the 180-day window runs to 25 May 2027, across the year end.
Events and anniversaries are made with the models directly (tests/factories.py has none).
"""

import datetime
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from api.models import ApiToken
from contacts.models import Agreement, Interaction, Organization, Person
from events.models import Anniversary, Event
from tests.factories import (
    AgreementFactory,
    CountryFactory,
    FollowUpFactory,
    InteractionFactory,
    OrganizationFactory,
    ParticipantFactory,
    PersonFactory,
    PositionFactory,
    UnitFactory,
    UserFactory,
)

TODAY = datetime.date(2026, 11, 26)
D = datetime.date


def make_event(**values) -> Event:
    organizations = values.pop("organizations", [])
    people = values.pop("people", [])
    values.setdefault("end_date", values["start_date"])
    event = Event.objects.create(**values)
    event.organizations.set(organizations)
    event.people.set(people)
    return event


def make_anniversary(**values) -> Anniversary:
    return Anniversary.objects.create(**values)


def client_for(user, scopes) -> APIClient:
    _token, key = ApiToken.issue(user, scopes=scopes)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@dataclass
class World:
    cambodia: object
    unit: object
    other_unit: object
    org: Organization
    governor: Person
    former_governor: Person
    interpreter: Person
    diaspora: list
    restricted: Interaction
    public: Interaction
    visit: Event
    agreements: dict


@pytest.fixture
def world(db) -> World:
    cambodia = CountryFactory(
        code="KH",
        name_native="កម្ពុជា",
        asean_joined_on=D(1999, 4, 30),
        national_day_month=11,
        national_day_day=9,
        national_day_name_vi="Ngày Độc lập",
        national_day_name_en="Independence Day",
        diplomatic_relations_on=D(1967, 6, 24),
    )
    thailand = CountryFactory(code="TH")
    unit, other_unit = UnitFactory(code="so-ngoai-vu"), UnitFactory(code="lhhn")
    org = OrganizationFactory(
        name_native="ខេត្តព្រៃវែង",
        name_vi="tỉnh Prây Veng",
        name_en="Prey Veng Province",
        kind=Organization.Kind.COUNTERPART_PROVINCE,
        country=cambodia,
        region="Prey Veng",
        subdivision_code="KH-14",
        notes="Ghi chú nội bộ",
    )
    OrganizationFactory(
        name_native="ក្រុមហ៊ុន",
        name_vi="Công ty Mê Kông",
        kind=Organization.Kind.BUSINESS,
        country=cambodia,
    )
    governor = PersonFactory(
        full_name_native="សុខ ចាន់ធី",
        name_latin="Sok Chanthy",
        name_vi="Xốc Chăn-thi",
        honorific="Ngài",
        birth_month=2,
        birth_day=29,
        birth_year=1972,
        home_commune="Phum Ba Phnum",
        languages=["km", "vi"],
    )
    governor.contact_points.create(kind="phone", value="+85512345678")
    former_governor = PersonFactory(
        full_name_native="ឡុង ដារ៉ា", name_latin="Long Dara", name_vi="Long Đa-ra"
    )
    interpreter = PersonFactory(full_name_native="ពេជ្រ រតនា", name_latin="Pich Ratana")
    PositionFactory(
        person=governor, organization=org, title="Tỉnh trưởng", start_date=D(2024, 12, 1)
    )
    PositionFactory(
        person=governor,
        organization=org,
        title="Phó Tỉnh trưởng",
        start_date=D(2020, 11, 1),
        end_date=D(2024, 12, 1),
    )
    PositionFactory(
        person=former_governor,
        organization=org,
        title="Tỉnh trưởng",
        start_date=D(2018, 12, 1),
        end_date=D(2024, 12, 1),
    )
    PositionFactory(
        person=interpreter, organization=org, title="Phiên dịch", start_date=D(2027, 1, 1)
    )  # starts after today: neither current nor former

    # History: with the organisation, with its people while in post (and not after).
    public = InteractionFactory(
        occurred_on=D(2026, 11, 19),
        kind=Interaction.Kind.INBOUND_DELEGATION,
        subject="Đoàn Prây Veng làm việc với tỉnh",
        confidentiality="public",
        owner_unit=unit,
    )
    public.organizations.add(org)
    ParticipantFactory(interaction=public, person=governor, role="Trưởng đoàn")
    FollowUpFactory(interaction=public, action="Gửi biên bản đã ký", due_on=D(2026, 12, 1))
    FollowUpFactory(interaction=public, action="Đã xong", status="cancelled")
    old = InteractionFactory(
        occurred_on=D(2023, 3, 2),
        kind=Interaction.Kind.OUTBOUND_DELEGATION,
        subject="Làm việc với Tỉnh trưởng Long Đa-ra",
        owner_unit=unit,
    )
    ParticipantFactory(interaction=old, person=former_governor)  # in post then: counts
    after = InteractionFactory(
        occurred_on=D(2025, 5, 5), subject="Thư gửi ông Long Đa-ra sau khi nghỉ", owner_unit=unit
    )
    ParticipantFactory(interaction=after, person=former_governor)  # left by then: not the org's
    restricted = InteractionFactory(
        occurred_on=D(2026, 6, 1),
        subject="Trao đổi mật về biên giới",
        confidentiality="restricted",
        owner_unit=unit,
    )
    restricted.organizations.add(org)
    FollowUpFactory(interaction=restricted, action="Việc mật", due_on=D(2026, 12, 5))

    agreements = {
        "in_force": AgreementFactory(
            title="Thỏa thuận kết nghĩa",
            kind=Agreement.Kind.TWINNING,
            status="in_force",
            signed_on=D(2020, 1, 1),
            valid_until=D(2030, 1, 1),
            confidentiality="public",
        ),
        "expiring": AgreementFactory(
            title="MoU 2022–2027",
            status="in_force",
            signed_on=D(2022, 1, 1),
            valid_until=D(2027, 6, 30),
        ),
        "expired": AgreementFactory(
            title="MoU 2017–2021",
            status="in_force",
            signed_on=D(2017, 1, 1),
            valid_until=D(2021, 12, 31),
        ),
        "in_negotiation": AgreementFactory(title="Dự thảo MoU 2026–2030", status="draft"),
        "restricted": AgreementFactory(
            title="Thỏa thuận mật",
            status="in_force",
            confidentiality="restricted",
            owner_unit=unit,
        ),
    }
    for agreement in agreements.values():
        agreement.parties.add(org)

    visit = make_event(
        title_vi="Đoàn tỉnh Prây Veng thăm và làm việc",
        title_en="Prey Veng delegation visit",
        kind=Event.Kind.DELEGATION_VISIT,
        start_date=D(2027, 3, 10),
        end_date=D(2027, 3, 12),
        visibility="internal",
        organizations=[org],
        people=[governor],
    )
    make_event(  # after the window
        title_vi="Hội chợ tháng Sáu",
        kind=Event.Kind.TRADE_FAIR,
        start_date=D(2027, 6, 1),
        country=cambodia,
        visibility="public",
    )
    make_event(  # restricted, of the unit
        title_vi="Cuộc họp kín",
        kind=Event.Kind.OTHER,
        start_date=D(2026, 12, 10),
        organizations=[org],
        visibility="restricted",
        owner_unit=unit,
    )
    make_anniversary(  # 20th in 2027, inside the window, after the year end: a milestone
        title_vi="Thành lập Hội hữu nghị",
        title_en="founding of the friendship association",
        kind=Anniversary.Kind.FOUNDING,
        origin_year=2007,
        origin_month=1,
        origin_day=7,
        organization=org,
    )
    make_anniversary(  # 24 June 2027: after the window, but the next milestone (60th)
        title_vi="Thiết lập quan hệ ngoại giao Việt Nam – Campuchia",
        title_en="the establishment of Vietnam–Cambodia diplomatic relations",
        kind=Anniversary.Kind.DIPLOMATIC_RELATIONS,
        origin_year=1967,
        origin_month=6,
        origin_day=24,
        country=cambodia,
    )
    make_anniversary(  # 9 November: already past this year, next one after the window
        title_vi="Quốc khánh Campuchia",
        kind=Anniversary.Kind.NATIONAL_DAY,
        origin_year=1953,
        origin_month=11,
        origin_day=9,
        country=cambodia,
    )

    diaspora = [
        PersonFactory(
            full_name_native=f"Nguyễn Văn {n}",
            name_latin=f"Nguyen Van {n}",
            category=Person.Category.OVERSEAS_VIETNAMESE,
            nationality=thailand,
            residence_country=cambodia,
        )
        for n in range(3)
    ]
    association = OrganizationFactory(
        kind=Organization.Kind.OVERSEAS_VIETNAMESE_ASSOCIATION, country=cambodia, region="Kandal"
    )
    PositionFactory(person=diaspora[0], organization=association, title="Chủ tịch Hội")
    return World(
        cambodia=cambodia,
        unit=unit,
        other_unit=other_unit,
        org=org,
        governor=governor,
        former_governor=former_governor,
        interpreter=interpreter,
        diaspora=diaspora,
        restricted=restricted,
        public=public,
        visit=visit,
        agreements=agreements,
    )


@pytest.fixture
def admin(db):
    return UserFactory(username="admin-b", role="administrator")


@pytest.fixture
def today(monkeypatch):
    """Freeze the day the briefings (and `timezone.localdate()`) see."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    return TODAY
