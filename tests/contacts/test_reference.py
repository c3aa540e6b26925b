import datetime
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from contacts.models import Country, Organization, Unit
from contacts.reference import ReferenceDataError, default_directory, load_reference

pytestmark = pytest.mark.django_db

ASEAN = {"BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN"}
PARTNERS = {"CN", "JP", "KR", "US", "RU", "IN", "AU", "FR", "DE", "GB"}


@pytest.fixture
def loaded():
    return load_reference()


def snapshot():
    """Every reference row as plain values, to compare two loads."""
    return (
        list(Country.objects.order_by("code").values()),
        list(Unit.objects.order_by("code").values()),
        list(Organization.objects.order_by("subdivision_code").values()),
    )


class TestIdempotence:
    def test_loading_twice_gives_the_same_rows_and_counts(self, loaded):
        before = snapshot()
        again = load_reference()
        assert (
            again
            == loaded
            == {
                "contacts.Country": 21,
                "contacts.Unit": 2,
                "contacts.Organization": 43,
                "events.Anniversary": 29,
            }
        )
        assert snapshot() == before
        assert Country.objects.count() == 21
        assert Unit.objects.count() == 2
        assert Organization.objects.count() == 43

    def test_a_load_with_nothing_to_change_writes_no_history(self, loaded):
        histories = (
            Country.history.count(),
            Unit.history.count(),
            Organization.history.count(),
        )
        load_reference()
        assert histories == (
            Country.history.count(),
            Unit.history.count(),
            Organization.history.count(),
        )

    def test_changes_made_by_the_loader_say_so_in_the_history(self, loaded):
        assert Country.history.filter(code="BN").get().history_change_reason == "load_reference"

    def test_the_management_command_prints_the_counts(self):
        out = StringIO()
        call_command("load_reference", stdout=out)
        assert "contacts.Country: 21" in out.getvalue()
        assert "contacts.Organization: 43" in out.getvalue()


class TestCountries:
    def test_the_eleven_asean_members_include_timor_leste(self, loaded):
        members = set(
            Country.objects.filter(asean_joined_on__isnull=False).values_list("code", flat=True)
        )
        assert members == ASEAN
        assert Country.objects.get(code="TL").asean_joined_on == datetime.date(2025, 10, 26)

    def test_asean_accession_dates(self, loaded):
        joined = dict(Country.objects.filter(code__in=ASEAN).values_list("code", "asean_joined_on"))
        assert joined == {
            **{code: datetime.date(1967, 8, 8) for code in ("ID", "MY", "PH", "SG", "TH")},
            "BN": datetime.date(1984, 1, 7),
            "VN": datetime.date(1995, 7, 28),
            "LA": datetime.date(1997, 7, 23),
            "MM": datetime.date(1997, 7, 23),
            "KH": datetime.date(1999, 4, 30),
            "TL": datetime.date(2025, 10, 26),
        }

    def test_partners_are_not_asean_members(self, loaded):
        partners = Country.objects.filter(code__in=PARTNERS)
        assert partners.count() == len(PARTNERS)
        assert not any(country.is_asean_member for country in partners)

    def test_diplomatic_relations(self, loaded):
        since = dict(Country.objects.values_list("code", "diplomatic_relations_on"))
        assert since["BN"] == datetime.date(1992, 2, 29)  # a leap day: real data
        assert since["KH"] == datetime.date(1967, 6, 24)
        assert since["LA"] == datetime.date(1962, 9, 5)
        assert since["TL"] == datetime.date(2002, 7, 28)
        assert since["CN"] == datetime.date(1950, 1, 18)
        assert since["US"] == datetime.date(1995, 7, 12)
        assert [code for code, date in since.items() if date is None] == ["VN"]

    def test_national_days(self, loaded):
        days = {country.code: country.national_day for country in Country.objects.all()}
        assert days["VN"] == (9, 2)
        assert days["KH"] == (11, 9)
        assert days["LA"] == (12, 2)
        assert days["MM"] == (1, 4)  # Independence Day, not the lunar "National Day"
        assert days["TL"] == (11, 28)
        assert days["TH"] == (12, 5)
        assert days["BN"] == (2, 23)
        assert days["GB"] is None  # unverified: left empty

    def test_timor_leste_keeps_20_may_in_its_notes(self, loaded):
        timor_leste = Country.objects.get(code="TL")
        assert "20 May" in timor_leste.notes_en
        assert "20/5" in timor_leste.notes_vi

    def test_every_country_cites_its_sources(self, loaded):
        assert not Country.objects.filter(source="").exists()
        assert "1992-02-29" in Country.objects.get(code="BN").source

    def test_names_are_searchable_in_every_script(self, loaded):
        assert list(Country.objects.search("campuchia").values_list("code", flat=True)) == ["KH"]
        assert list(Country.objects.search("ລາວ").values_list("code", flat=True)) == ["LA"]


class TestProvinces:
    def test_25_cambodian_and_18_lao_counterparts(self, loaded):
        provinces = Organization.objects.filter(kind=Organization.Kind.COUNTERPART_PROVINCE)
        assert provinces.filter(country_id="KH").count() == 25
        assert provinces.filter(country_id="LA").count() == 18
        assert not provinces.filter(subdivision_code="").exists()

    def test_prey_veng(self, loaded):
        prey_veng = Organization.objects.get(subdivision_code="KH-14")
        assert prey_veng.name_native == "ខេត្តព្រៃវែង"
        assert prey_veng.name_vi == "tỉnh Prây Veng"
        assert prey_veng.name_en == "Prey Veng Province"
        assert prey_veng.region == "Prey Veng"
        assert prey_veng.country_id == "KH"
        assert prey_veng.relationship_status == Organization.Status.ACTIVE
        assert "biên giới" in prey_veng.notes.lower()
        assert "border" in prey_veng.notes_en.lower()
        assert prey_veng.pillars.count() == 0

    def test_statuses_say_only_what_the_sources_say(self, loaded):
        """Active where a current source says so; to be confirmed where the last known
        agreement has expired (facts.md §4); prospective for the rest."""

        def codes(status: str) -> set[str]:
            rows = Organization.objects.filter(relationship_status=status)
            return set(rows.values_list("subdivision_code", flat=True))

        assert codes(Organization.Status.ACTIVE) == {"KH-14"}
        assert codes(Organization.Status.TO_CONFIRM) == {"KH-1", "KH-15", "LA-CH"}
        assert Organization.objects.filter(relationship_status="prospective").count() == 39

    def test_capitals(self, loaded):
        phnom_penh = Organization.objects.get(subdivision_code="KH-12")
        assert (phnom_penh.name_en, phnom_penh.name_vi) == (
            "Phnom Penh Capital",
            "thủ đô Phnôm Pênh",
        )
        vientiane = Organization.objects.get(subdivision_code="LA-VT")
        assert vientiane.name_vi == "thủ đô Viêng Chăn"

    def test_found_by_vietnamese_spelling_without_accents(self, loaded):
        found = Organization.objects.search("pray veng").values_list("subdivision_code", flat=True)
        assert list(found) == ["KH-14"]


class TestUnits:
    def test_the_two_units(self, loaded):
        assert dict(Unit.objects.values_list("code", "abbreviation")) == {
            "so-ngoai-vu": "SNgV",
            "lhhn": "LHHN",
        }
        assert (
            Unit.objects.get(code="lhhn").name_vi == "Liên hiệp các tổ chức hữu nghị tỉnh Đồng Tháp"
        )


class TestReferenceDataIsAuthoritative:
    def test_a_users_edit_to_a_reference_field_is_restored(self, loaded):
        Country.objects.filter(code="BN").update(
            name_vi="Bru-nây", diplomatic_relations_on=datetime.date(1992, 3, 1)
        )
        prey_veng = Organization.objects.get(subdivision_code="KH-14")
        prey_veng.name_vi = "Prey Veng"
        prey_veng.name_native = "Prey Veng"
        prey_veng.save()

        load_reference()

        brunei = Country.objects.get(code="BN")
        assert brunei.name_vi == "Brunei"
        assert brunei.diplomatic_relations_on == datetime.date(1992, 2, 29)
        prey_veng.refresh_from_db()
        assert (prey_veng.name_vi, prey_veng.name_native) == ("tỉnh Prây Veng", "ខេត្តព្រៃវែង")
        assert "tinh pray veng" in prey_veng.search_text  # rebuilt on the restoring save

    def test_a_value_added_to_a_field_the_fixture_leaves_empty_is_cleared(self, loaded):
        Country.objects.filter(code="GB").update(national_day_month=6, national_day_day=14)
        load_reference()
        assert Country.objects.get(code="GB").national_day is None

    def test_the_staffs_working_fields_survive_a_load(self, loaded):
        """Status and notes of a partnership, and the units, are the staff's once they exist."""
        Organization.objects.filter(subdivision_code="KH-1").update(
            relationship_status=Organization.Status.DORMANT, notes="Agreement lapsed in 2021."
        )
        Unit.objects.filter(code="so-ngoai-vu").update(name_vi="Văn phòng UBND tỉnh Đồng Tháp")

        load_reference()

        banteay_meanchey = Organization.objects.get(subdivision_code="KH-1")
        assert banteay_meanchey.relationship_status == Organization.Status.DORMANT
        assert banteay_meanchey.notes == "Agreement lapsed in 2021."
        assert Unit.objects.get(code="so-ngoai-vu").name_vi == "Văn phòng UBND tỉnh Đồng Tháp"

    def test_rows_the_fixtures_do_not_mention_are_left_alone(self, loaded):
        Country.objects.create(code="NZ", name_vi="New Zealand", name_en="New Zealand")
        load_reference()
        assert Country.objects.filter(code="NZ").exists()


class TestBadFixtures:
    @pytest.fixture
    def fixtures(self, tmp_path):
        shutil.copytree(default_directory(), tmp_path, dirs_exist_ok=True)
        return tmp_path

    def test_an_invalid_record_rolls_the_whole_load_back(self, fixtures):
        countries = fixtures / "countries.toml"
        countries.write_text(
            countries.read_text(encoding="utf-8")
            + '\n[[country]]\ncode = "XX"\nname_vi = "X"\nname_en = "X"\n'
            + "national_day_month = 2\nnational_day_day = 30\n",
            encoding="utf-8",
        )
        with pytest.raises(ReferenceDataError, match="XX"):
            load_reference(fixtures)
        assert not Country.objects.exists()

    def test_an_unknown_key_is_reported(self, fixtures):
        units = fixtures / "units.toml"
        units.write_text(
            units.read_text(encoding="utf-8").replace("abbreviation =", "abbrevation =", 1),
            encoding="utf-8",
        )
        with pytest.raises(ReferenceDataError, match="abbrevation"):
            load_reference(fixtures)

    def test_the_command_turns_errors_into_a_command_error(self, tmp_path):
        with pytest.raises(CommandError, match="not found"):
            call_command("load_reference", directory=tmp_path)
