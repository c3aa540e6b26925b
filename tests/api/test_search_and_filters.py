"""`q` (accent-free, every script, abbreviations, contact values) and the filters staff use:
each returns the rows it should and leaves out one it should not."""

import datetime

import pytest
from django.utils import timezone

from contacts.models import (
    Agreement,
    Country,
    FollowUp,
    Interaction,
    Organization,
    Person,
    Position,
    Tag,
    Unit,
)
from tests.factories import (
    AgreementFactory,
    ContactPointFactory,
    CountryFactory,
    FollowUpFactory,
    InteractionFactory,
    OrganizationFactory,
    ParticipantFactory,
    PersonFactory,
    PositionFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1"
D = datetime.date


@pytest.fixture
def world(api_user):
    """A small, fictional world: every filter below has a row to find and one to leave out."""
    w = {}
    w["KH"] = CountryFactory(code="KH", asean_joined_on=D(1999, 4, 30))
    w["LA"] = CountryFactory(code="LA", asean_joined_on=D(1997, 7, 23))
    w["VN"] = CountryFactory(code="VN", asean_joined_on=D(1995, 7, 28))
    w["CN"] = CountryFactory(code="CN", name_vi="Trung Quốc", name_en="China")
    w["so"] = UnitFactory(code="so-ngoai-vu", name_vi="Sở Ngoại vụ")
    w["lh"] = UnitFactory(code="lhhn", name_vi="Liên hiệp các tổ chức hữu nghị")
    twinned = Tag.objects.create(name="kết nghĩa")
    scholarship = Tag.objects.create(name="học bổng")

    # Organisations
    w["prey_veng"] = OrganizationFactory(
        name_native="ខេត្តព្រៃវែង",
        name_vi="tỉnh Prây Veng",
        name_en="Prey Veng Province",
        kind=Organization.Kind.COUNTERPART_PROVINCE,
        country=w["KH"],
        relationship_status=Organization.Status.ACTIVE,
        owner_unit=w["so"],
    )
    w["prey_veng"].pillars.set(["economic"])
    w["prey_veng"].tags.set([twinned])
    ContactPointFactory(person=None, organization=w["prey_veng"], value="info@preyveng.gov.kh")
    w["champasak"] = OrganizationFactory(
        name_native="ແຂວງຈໍາປາສັກ",
        name_vi="tỉnh Chăm-pa-xắc",
        name_en="Champasak Province",
        kind=Organization.Kind.COUNTERPART_PROVINCE,
        country=w["LA"],
        relationship_status=Organization.Status.PROSPECTIVE,
    )
    w["champasak"].pillars.set(["political_security"])
    w["vufo"] = OrganizationFactory(
        name_native="Liên hiệp các tổ chức hữu nghị Việt Nam",
        name_vi="Liên hiệp các tổ chức hữu nghị Việt Nam",
        name_en="Viet Nam Union of Friendship Organizations",
        abbreviation="VUFO",
        kind=Organization.Kind.FRIENDSHIP_ASSOCIATION,
        country=w["VN"],
        relationship_status=Organization.Status.DORMANT,
        owner_unit=w["lh"],
    )
    w["vufo"].pillars.set(["socio_cultural"])
    w["vufo"].tags.set([scholarship])
    w["dong_thap"] = OrganizationFactory(
        name_native="Ủy ban nhân dân tỉnh Đồng Tháp",
        name_vi="Ủy ban nhân dân tỉnh Đồng Tháp",
        name_en="Dong Thap Provincial People's Committee",
        kind=Organization.Kind.DOMESTIC_AGENCY,
        country=w["VN"],
    )

    # People
    w["an"] = PersonFactory(
        full_name_native="Nguyễn Văn An",
        name_latin="Nguyen Van An",
        name_vi="Nguyễn Văn An",
        nationality=w["VN"],
        residence_country=w["KH"],
        category=Person.Category.OVERSEAS_VIETNAMESE,
        gender=Person.Gender.MALE,
        owner_unit=w["lh"],
    )
    w["anh"] = PersonFactory(
        full_name_native="Nguyễn Thị Ánh",
        name_latin="",
        name_vi="Nguyễn Thị Ánh",
        nationality=w["VN"],
        category=Person.Category.DOMESTIC,
        gender=Person.Gender.FEMALE,
    )
    ContactPointFactory(person=w["anh"], kind="phone", value="+84912345678")
    w["chanthy"] = PersonFactory(
        full_name_native="សុខ ចាន់ធី",
        name_latin="Sok Chanthy",
        name_vi="Xốc Chăn-thi",
        nationality=w["KH"],
        category=Person.Category.COUNTERPART_OFFICIAL,
        gender=Person.Gender.MALE,
        owner_unit=w["so"],
    )
    w["chanthy"].tags.set([scholarship])
    ContactPointFactory(person=w["chanthy"], kind="phone", value="+85512345678")
    w["somphone"] = PersonFactory(
        full_name_native="ສົມພອນ ແກ້ວມະນີ",
        name_latin="Somphone Keomany",
        name_vi="Xổm-phon Kẹo-ma-ni",
        nationality=w["LA"],
        category=Person.Category.COUNTERPART_OFFICIAL,
        gender=Person.Gender.MALE,
    )
    ContactPointFactory(person=w["somphone"], kind="whatsapp", value="+8562023123456")
    w["dara"] = PersonFactory(
        full_name_native="Dara Meas",
        name_latin="Dara Meas",
        name_vi="Đa-ra Mia",
        nationality=w["CN"],
        category=Person.Category.FOREIGN_PARTNER,
    )

    # Positions: current, past, future
    w["chanthy@prey_veng"] = PositionFactory(
        person=w["chanthy"], organization=w["prey_veng"], start_date=D(2020, 7, 1)
    )
    w["somphone@prey_veng"] = PositionFactory(
        person=w["somphone"],
        organization=w["prey_veng"],
        start_date=D(2015, 1, 1),
        end_date=D(2024, 6, 1),
    )
    w["somphone@champasak"] = PositionFactory(
        person=w["somphone"], organization=w["champasak"], start_date=D(2024, 6, 1)
    )
    w["dara@prey_veng"] = PositionFactory(
        person=w["dara"], organization=w["prey_veng"], start_date=D(2099, 1, 1)
    )

    # Interactions
    w["visit"] = InteractionFactory(
        occurred_on=D(2026, 3, 2),
        kind=Interaction.Kind.INBOUND_DELEGATION,
        subject="Đoàn tỉnh Prây Veng chào xã giao",
        summary="Trao đổi về cửa khẩu Thường Phước – Kaoh Roka.",
        confidentiality="internal",
        owner_unit=w["so"],
    )
    w["visit"].organizations.set([w["prey_veng"]])
    w["visit"].pillars.set(["economic"])
    ParticipantFactory(interaction=w["visit"], person=w["chanthy"])
    w["call"] = InteractionFactory(
        occurred_on=D(2025, 12, 31),
        kind=Interaction.Kind.PHONE_CALL,
        subject="Gọi điện chúc mừng",
        summary="Chúc mừng Quốc khánh Lào.",
        confidentiality="restricted",
        owner_unit=w["lh"],
    )
    w["call"].organizations.set([w["champasak"]])
    w["call"].pillars.set(["political_security"])
    ParticipantFactory(interaction=w["call"], person=w["somphone"])
    w["letter"] = InteractionFactory(
        occurred_on=D(2026, 1, 1),
        kind=Interaction.Kind.LETTER,
        subject="Thư mời hội chợ",
        confidentiality="public",
    )
    w["letter"].organizations.set([w["vufo"]])
    w["letter"].pillars.set(["socio_cultural"])
    ParticipantFactory(interaction=w["letter"], person=w["an"])

    # Follow-ups
    w["send_minutes"] = FollowUpFactory(
        interaction=w["visit"], due_on=D(2026, 3, 31), assignee=api_user
    )
    w["thank_you"] = FollowUpFactory(
        interaction=w["call"],
        due_on=D(2026, 4, 1),
        status=FollowUp.Status.DONE,
        done_at=timezone.now(),
    )
    w["stand"] = FollowUpFactory(
        interaction=w["letter"], due_on=None, status=FollowUp.Status.CANCELLED
    )

    # Agreements
    w["mou"] = AgreementFactory(
        title="Biên bản ghi nhớ hợp tác giai đoạn 2022–2026",
        kind=Agreement.Kind.MOU,
        status=Agreement.Status.IN_FORCE,
        signed_on=D(2022, 3, 1),
        valid_until=D(2026, 12, 31),
        owner_unit=w["so"],
    )
    w["mou"].parties.set([w["prey_veng"]])
    w["twinning"] = AgreementFactory(
        title="Thỏa thuận kết nghĩa",
        kind=Agreement.Kind.TWINNING,
        status=Agreement.Status.DRAFT,
        owner_unit=w["lh"],
    )
    w["twinning"].parties.set([w["champasak"]])
    return w


def found(api, resource: str, params: dict) -> set:
    response = api.get(f"{BASE}/{resource}/", params)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["count"] == len(body["results"])
    return {row["id"] for row in body["results"]}


def keys(world, names) -> set:
    return {world[name].pk for name in names}


MODELS = {
    "countries": Country,
    "units": Unit,
    "organizations": Organization,
    "people": Person,
    "positions": Position,
    "interactions": Interaction,
    "follow-ups": FollowUp,
    "agreements": Agreement,
}


def mismatches(api, world, resource: str, cases) -> list[str]:
    """Run every (params, expected names) case; describe the wrong ones, by name."""
    names = {obj.pk: n for n, obj in world.items() if isinstance(obj, MODELS[resource])}
    wrong = []
    for params, expected in cases:
        got = found(api, resource, resolve(world, params))
        if got != keys(world, expected):
            got_names = sorted(names.get(pk, pk) for pk in got)
            wrong.append(f"{resource} {params}: expected {sorted(expected)}, got {got_names}")
    return wrong


def check(api, world, resource: str, cases) -> None:
    wrong = mismatches(api, world, resource, cases)
    assert not wrong, "\n".join(wrong)


def resolve(world, params: dict) -> dict:
    """Values spelt "@name" are the id (or code) of that row of the world."""
    return {
        k: (world[v[1:]].pk if isinstance(v, str) and v.startswith("@") else v)
        for k, v in params.items()
    }


# ---------------------------------------------------------------------------------------------
# q: accent-free search


Q_ON_PEOPLE = [
    ("nguyen van an", {"an"}),
    ("NGUYỄN VĂN AN", {"an"}),
    ("nguyen", {"an", "anh"}),
    ("anh nguyen", {"anh"}),
    ("ចាន់ធី", {"chanthy"}),  # a Khmer substring
    ("ແກ້ວ", {"somphone"}),  # a Lao substring
    ("xoc chan", {"chanthy"}),
    ("da-ra", {"dara"}),
    ("012 345 678", {"chanthy"}),  # as typed from a Cambodian business card
    ("012345678", {"chanthy"}),
    ("+85512345678", {"chanthy"}),
    ("0912 345 678", {"anh"}),
    ("020 23 123 456", {"somphone"}),
    ("nobody at all", set()),
]


def test_q_on_people(api, world):
    check(api, world, "people", [({"q": query}, expected) for query, expected in Q_ON_PEOPLE])


Q_ON_ORGANIZATIONS = [
    ("dong thap", {"dong_thap"}),
    ("ĐỒNG THÁP", {"dong_thap"}),
    ("ព្រៃវែង", {"prey_veng"}),  # Khmer name
    ("ຈໍາປາສັກ", {"champasak"}),  # Lao name
    ("pray veng", {"prey_veng"}),
    ("prey veng province", {"prey_veng"}),
    ("cham-pa-xac", {"champasak"}),
    ("vufo", {"vufo"}),  # abbreviation
    ("preyveng.gov", {"prey_veng"}),  # contact value
    ("tinh", {"prey_veng", "champasak", "dong_thap"}),
    ("huu nghi", {"vufo"}),
]


def test_q_on_organizations(api, world):
    check(
        api,
        world,
        "organizations",
        [({"q": query}, expected) for query, expected in Q_ON_ORGANIZATIONS],
    )


Q_ON_INTERACTIONS = [
    ("chao xa giao", {"visit"}),  # subject
    ("cua khau thuong phuoc", {"visit"}),  # summary
    ("kaoh roka", {"visit"}),
    ("quoc khanh lao", {"call"}),
    ("chuc mung", {"call"}),
    ("hoi cho", {"letter"}),
    ("pray veng hoi cho", set()),  # every term must match
]


def test_q_on_interactions(api, world):
    check(
        api,
        world,
        "interactions",
        [({"q": query}, expected) for query, expected in Q_ON_INTERACTIONS],
    )


def test_q_on_agreements_and_countries(api, world):
    assert found(api, "agreements", {"q": "ket nghia"}) == keys(world, ["twinning"])
    assert found(api, "agreements", {"q": "bien ban ghi nho"}) == keys(world, ["mou"])
    assert found(api, "countries", {"q": "campuchia"}) == {"KH"}
    assert found(api, "countries", {"q": "trung quoc"}) == {"CN"}


def test_a_number_typed_over_http_is_found_as_typed(api, world):
    """The README's flow: create over HTTP with a local number, search it without the +855."""
    data = {
        "full_name_native": "ស៊ឹម សុភា",
        "name_latin": "Sim Sophea",
        "name_vi": "Xim Xô-phia",
        "category": "counterpart_official",
        "nationality": "KH",
        "contact_points": [
            {"kind": "phone", "value": "097 777 7777"},
            {"kind": "whatsapp", "value": "+856 20 55 123 456"},
        ],
    }
    response = api.post(f"{BASE}/people/", data, format="json")
    assert response.status_code == 201, response.json()
    sophea = response.json()["id"]
    assert found(api, "people", {"q": "097 777 7777"}) == {sophea}
    assert found(api, "people", {"q": "+855977777777"}) == {sophea}
    assert found(api, "people", {"q": "020 55 123 456"}) == {sophea}
    assert found(api, "people", {"q": "xim xo phia"}) == {sophea}


def test_q_follows_a_changed_contact_point(api, world):
    chanthy = world["chanthy"]
    points = api.get(f"{BASE}/people/{chanthy.pk}/").json()["contact_points"]
    changed = [{"id": points[0]["id"], "value": "011 222 333"}]
    response = api.patch(f"{BASE}/people/{chanthy.pk}/", {"contact_points": changed}, format="json")
    assert response.status_code == 200, response.json()
    assert found(api, "people", {"q": "011 222 333"}) == {chanthy.pk}
    assert found(api, "people", {"q": "012 345 678"}) == set()


# ---------------------------------------------------------------------------------------------
# Filters: one row found, one left out


FILTER_CASES = [
    # organizations
    ("organizations", {"country": "KH"}, {"prey_veng"}),
    ("organizations", {"country": "LA"}, {"champasak"}),
    ("organizations", {"kind": "friendship_association"}, {"vufo"}),
    ("organizations", {"kind": "counterpart_province"}, {"prey_veng", "champasak"}),
    ("organizations", {"status": "dormant"}, {"vufo"}),
    ("organizations", {"status": "prospective"}, {"champasak"}),
    ("organizations", {"pillar": "economic"}, {"prey_veng"}),
    ("organizations", {"pillar": "political_security"}, {"champasak"}),
    ("organizations", {"tag": "kết nghĩa"}, {"prey_veng"}),
    ("organizations", {"owner_unit": "@lh"}, {"vufo"}),
    ("organizations", {"country": "VN", "kind": "domestic_agency"}, {"dong_thap"}),
    # people
    ("people", {"country": "KH"}, {"chanthy", "an"}),  # nationality or residence
    ("people", {"nationality": "KH"}, {"chanthy"}),
    ("people", {"residence_country": "KH"}, {"an"}),
    ("people", {"category": "overseas_vietnamese"}, {"an"}),
    ("people", {"category": "counterpart_official"}, {"chanthy", "somphone"}),
    ("people", {"gender": "female"}, {"anh"}),
    ("people", {"tag": "học bổng"}, {"chanthy"}),
    ("people", {"owner_unit": "@so"}, {"chanthy"}),
    ("people", {"organization": "@prey_veng"}, {"chanthy"}),  # not past, not future
    ("people", {"organization": "@champasak"}, {"somphone"}),
    ("people", {"organization": "@vufo"}, set()),
    # positions
    ("positions", {"current": "true"}, {"chanthy@prey_veng", "somphone@champasak"}),
    ("positions", {"current": "false"}, {"somphone@prey_veng", "dara@prey_veng"}),
    ("positions", {"person": "@somphone"}, {"somphone@prey_veng", "somphone@champasak"}),
    ("positions", {"organization": "@champasak"}, {"somphone@champasak"}),
    (
        "positions",
        {"organization": "@prey_veng", "current": "true"},
        {"chanthy@prey_veng"},
    ),
    # interactions
    ("interactions", {"date_after": "2026-01-01"}, {"visit", "letter"}),  # inclusive
    ("interactions", {"date_before": "2026-01-01"}, {"call", "letter"}),  # inclusive
    ("interactions", {"date_after": "2026-01-01", "date_before": "2026-01-01"}, {"letter"}),
    ("interactions", {"date_after": "2026-03-03"}, set()),
    ("interactions", {"kind": "phone_call"}, {"call"}),
    ("interactions", {"pillar": "economic"}, {"visit"}),
    ("interactions", {"confidentiality": "restricted"}, {"call"}),
    ("interactions", {"organization": "@prey_veng"}, {"visit"}),
    ("interactions", {"person": "@somphone"}, {"call"}),
    ("interactions", {"country": "LA"}, {"call"}),
    ("interactions", {"owner_unit": "@so"}, {"visit"}),
    # follow-ups
    ("follow-ups", {"due_before": "2026-03-31"}, {"send_minutes"}),  # inclusive
    ("follow-ups", {"due_before": "2026-03-30"}, set()),
    ("follow-ups", {"due_after": "2026-04-01"}, {"thank_you"}),
    ("follow-ups", {"status": "done"}, {"thank_you"}),
    ("follow-ups", {"status": "open"}, {"send_minutes"}),
    ("follow-ups", {"interaction": "@call"}, {"thank_you"}),
    # agreements
    ("agreements", {"kind": "twinning"}, {"twinning"}),
    ("agreements", {"status": "in_force"}, {"mou"}),
    ("agreements", {"organization": "@prey_veng"}, {"mou"}),
    ("agreements", {"owner_unit": "@lh"}, {"twinning"}),
    ("agreements", {"signed_after": "2022-01-01"}, {"mou"}),
    ("agreements", {"valid_until_before": "2027-01-01"}, {"mou"}),
    # countries
    ("countries", {"asean": "true"}, {"KH", "LA", "VN"}),
    ("countries", {"asean": "false"}, {"CN"}),
]


def test_filters(api, world):
    """Every case above, on one world (each failing case is listed)."""
    wrong = []
    for resource in MODELS:
        cases = [(params, expected) for r, params, expected in FILTER_CASES if r == resource]
        wrong += mismatches(api, world, resource, cases)
    assert not wrong, "\n".join(wrong)


def test_follow_ups_by_assignee(api, world, api_user):
    assert found(api, "follow-ups", {"assignee": api_user.pk}) == keys(world, ["send_minutes"])


@pytest.mark.parametrize(
    ("start", "end", "held"),
    [
        (0, None, True),  # started today
        (-10, 0, False),  # ended today: the end date is the first day out of post
        (-10, 1, True),  # ends tomorrow
        (1, None, False),  # starts tomorrow
        (None, None, True),  # dates unknown
    ],
)
def test_organization_filter_on_people_is_about_today(api, start, end, held):
    today = timezone.localdate()

    def day(offset):
        return None if offset is None else today + datetime.timedelta(days=offset)

    position = PositionFactory(start_date=day(start), end_date=day(end))
    PositionFactory(person=position.person)  # elsewhere, now
    result = found(api, "people", {"organization": position.organization_id})
    assert result == ({position.person_id} if held else set())


# ---------------------------------------------------------------------------------------------
# updated_since: an ISO 8601 datetime, its offset honoured


UPDATED = {
    "countries": ("KH", Country),
    "units": ("so", Unit),
    "organizations": ("prey_veng", Organization),
    "people": ("chanthy", Person),
    "positions": ("chanthy@prey_veng", Position),
    "interactions": ("visit", Interaction),
    "follow-ups": ("send_minutes", FollowUp),
    "agreements": ("mou", Agreement),
}
OLD = datetime.datetime(2025, 12, 31, 23, 30, tzinfo=datetime.UTC)
NEW = datetime.datetime(2026, 1, 1, 0, 30, tzinfo=datetime.UTC)


SINCE = [
    "2026-01-01T00:00:00Z",
    "2026-01-01T00:00:00+00:00",
    "2026-01-01T09:00:00+09:00",  # not the server's offset: it must be honoured
    "2025-12-31T19:00:00-05:00",
    "2026-01-01T07:00:00",  # no offset: the server's time zone (UTC+7)
]


def test_updated_since_on_every_list(api, world):
    wrong = []
    for resource, (name, model) in UPDATED.items():
        model.objects.update(updated_at=OLD)
        model.objects.filter(pk=world[name].pk).update(updated_at=NEW)
        wrong += mismatches(api, world, resource, [({"updated_since": s}, {name}) for s in SINCE])
        everything = found(api, resource, {"updated_since": "2025-12-31T23:30:00Z"})  # inclusive
        assert len(everything) == model.objects.count() > 1, resource
    assert not wrong, "\n".join(wrong)


def test_updated_since_serves_a_sync(api, world):
    """A client that saves the newest `updated_at` it saw gets back only what changed."""
    newest = max(row["updated_at"] for row in api.get(f"{BASE}/people/").json()["results"])
    assert newest.endswith("+07:00")  # datetimes are sent with their offset
    assert found(api, "people", {"updated_since": newest}) != set()
    later = datetime.datetime.fromisoformat(newest) + datetime.timedelta(microseconds=1)
    later = later.isoformat()
    assert found(api, "people", {"updated_since": later}) == set()
    response = api.patch(f"{BASE}/people/{world['anh'].pk}/", {"honorific": "Bà"}, format="json")
    assert response.status_code == 200
    assert found(api, "people", {"updated_since": later}) == {world["anh"].pk}


# ---------------------------------------------------------------------------------------------
# Ordering


def ordered(api, resource: str, ordering: str) -> list[str]:
    body = api.get(f"{BASE}/{resource}/", {"ordering": ordering}).json()
    return [row["name_vi"] for row in body["results"]]


@pytest.mark.parametrize(
    ("resource", "factory"),
    [("people", PersonFactory), ("organizations", OrganizationFactory)],
)
def test_ordering_by_name_vi_both_ways(api, resource, factory):
    names = ["Bùi Cường", "Anh Đào", "Cao Bằng"]  # first letters differ: any collation agrees
    for name in names:
        factory(name_vi=name)
    assert ordered(api, resource, "name_vi") == sorted(names)
    assert ordered(api, resource, "-name_vi") == sorted(names, reverse=True)


def test_ordering_interactions_by_date_both_ways(api, world):
    oldest_first = ["call", "letter", "visit"]
    body = api.get(f"{BASE}/interactions/", {"ordering": "occurred_on"}).json()
    assert [row["id"] for row in body["results"]] == [world[n].pk for n in oldest_first]
    body = api.get(f"{BASE}/interactions/").json()  # default: newest first
    assert [row["id"] for row in body["results"]] == [world[n].pk for n in oldest_first[::-1]]


@pytest.mark.parametrize(
    ("resource", "factory", "ordering"),
    [
        ("people", PersonFactory, "category"),
        ("interactions", InteractionFactory, "kind"),
    ],
)
def test_paging_through_an_ordering_with_ties_sees_every_row_once(api, resource, factory, ordering):
    """Without a unique tie-breaker after `ordering=`, PostgreSQL pages of rows sharing the sort
    key overlap: a row comes twice and another never (SQLite happens to be stable)."""
    extra = {"nationality": CountryFactory(code="KH")} if resource == "people" else {}
    factory._meta.model.objects.bulk_create(factory.build_batch(120, **extra))
    seen = []
    for page in range(1, 7):
        params = {"ordering": ordering, "page_size": 20, "page": page}
        seen += [row["id"] for row in api.get(f"{BASE}/{resource}/", params).json()["results"]]
    assert len(seen) == 120
    assert len(set(seen)) == 120, "a row came twice, so another never came"


def test_ordering_by_two_fields(api, world):
    body = api.get(f"{BASE}/people/", {"ordering": "category,-name_latin"}).json()
    rows = [(row["id"], row["name_latin"]) for row in body["results"]]
    by_id = {person.pk: person.category for person in Person.objects.all()}
    categories = [by_id[pk] for pk, _name in rows]
    assert categories == sorted(categories)
    officials = [name for pk, name in rows if by_id[pk] == "counterpart_official"]
    assert officials == ["Somphone Keomany", "Sok Chanthy"]


def test_country_codes_are_case_insensitive_in_filters(api):
    from tests.factories import CountryFactory, PersonFactory

    cambodian = PersonFactory(nationality=CountryFactory(code="KH"))
    PersonFactory(nationality=CountryFactory(code="LA"))
    for code in ("KH", "kh"):
        body = api.get("/api/v1/people/", {"nationality": code}).json()
        assert [row["id"] for row in body["results"]] == [cambodian.pk]
