"""The briefing endpoints: formats, headers, options, 404s, access, and constant queries."""

import datetime
import io
from html.parser import HTMLParser

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from markdown_it import MarkdownIt

from contacts.models import Interaction, Participant
from tests.briefings.conftest import client_for
from tests.factories import FollowUpFactory, InteractionFactory, UserFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/briefings"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def api(admin):
    return client_for(admin, ["read", "personal-data"])


class WellFormed(HTMLParser):
    """Checks that every element opened is closed, in order (void elements aside)."""

    VOID = {"meta", "br", "hr", "img", "link", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.texts = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)

    def handle_data(self, data):
        self.texts.append(data)


def docx_text(content: bytes) -> tuple[list[tuple[str, str]], list[list[str]]]:
    document = docx.Document(io.BytesIO(content))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name != "Normal"]
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    return headings, rows


def test_json_is_the_default(api, world, today):
    response = api.get(f"{BASE}/organizations/{world.org.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    name = f"briefing-organization-{world.org.pk}-prey-veng-province-2026-11-26.json"
    assert response["Content-Disposition"] == f'inline; filename="{name}"'
    body = response.json()
    assert body["kind"] == "organization"
    assert body["history"]["summary"]["last_contact"] == "2026-11-19"


def test_docx_opens_and_holds_the_headings_and_rows(api, world, today):
    response = api.get(f"{BASE}/organizations/{world.org.pk}/", {"format": "docx", "lang": "en"})
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('2026-11-26.docx"')
    headings, rows = docx_text(response.content)
    assert headings[0] == ("Title", "Organisation briefing: Prey Veng Province (ខេត្តព្រៃវែង)")
    names = [text for style, text in headings if style == "Heading 1"]
    assert names == [
        "Profile",
        "People in post",
        "Agreements",
        "Contact history",
        "Open follow-ups",
        "Coming up: 26/11/2026 – 25/05/2027",
    ]
    assert ["Official name (own script)", "ខេត្តព្រៃវែង"] in rows
    assert ["Ngài សុខ ចាន់ធី (Sok Chanthy)", "Tỉnh trưởng", "01/12/2024"] in rows
    assert ["Last contact", "19/11/2026"] in rows
    history = [row for row in rows if row[0] == "19/11/2026"]
    assert history[0][1:3] == ["Inbound delegation", "Đoàn Prây Veng làm việc với tỉnh"]


def test_docx_gives_khmer_runs_a_khmer_font(api, world, today):
    content = api.get(f"{BASE}/organizations/{world.org.pk}/", {"format": "docx"}).content
    document = docx.Document(io.BytesIO(content))
    khmer = [
        run
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
        for run in paragraph.runs
        if run.text == "ខេត្តព្រៃវែង"
    ]
    assert khmer
    fonts = khmer[0]._element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cs") == (
        "Khmer OS System"
    )
    assert document.styles["Normal"].font.name == "Times New Roman"


def test_html_is_one_well_formed_page(api, world, today):
    response = api.get(f"{BASE}/organizations/{world.org.pk}/", {"format": "html"})
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    assert page.startswith('<!DOCTYPE html>\n<html lang="vi">')
    assert "<script" not in page and "http" not in page.split("<body>")[0]
    parser = WellFormed()
    parser.feed(page)
    assert parser.errors == [] and parser.stack == []
    assert '<span lang="km">ខេត្តព្រៃវែង</span>' in page
    assert "Noto Sans Khmer" in page and "Phetsarath OT" in page
    assert "Đoàn Prây Veng làm việc với tỉnh" in parser.texts


def test_html_escapes_what_staff_typed(api, world, today):
    world.public.subject = "<script>alert(1)</script> & co"
    world.public.save()
    page = api.get(f"{BASE}/organizations/{world.org.pk}/", {"format": "html"}).content.decode()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page


def test_markdown_renders(api, world, today):
    world.public.subject = "Giá | *không* [đổi]"
    world.public.save()
    response = api.get(f"{BASE}/organizations/{world.org.pk}/", {"format": "md", "lang": "en"})
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    html = MarkdownIt("commonmark").enable("table").render(response.content.decode())
    assert "<h1>Organisation briefing: Prey Veng Province (ខេត្តព្រៃវែង)</h1>" in html
    assert "<h2>Contact history</h2>" in html
    assert "<td>Giá | *không* [đổi]</td>" in html  # escaped: one cell, no markup
    assert html.count("<table>") >= 5


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("people/{governor}", "Person briefing: Ngài សុខ ចាន់ធី (Sok Chanthy)"),
        ("countries/kh", "Country briefing: Cambodia"),
        ("events/{visit}", "Visit briefing: Prey Veng delegation visit"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "md", "html", "docx"])
def test_every_kind_in_every_format(api, world, today, path, heading, fmt):
    url = f"{BASE}/" + path.format(governor=world.governor.pk, visit=world.visit.pk) + "/"
    response = api.get(url, {"format": fmt, "lang": "en"})
    assert response.status_code == 200, response.content
    if fmt == "docx":
        assert docx_text(response.content)[0][0] == ("Title", heading)
    elif fmt != "json":
        assert heading in response.content.decode()


def test_visit_pack_holds_each_linked_briefing(api, world, today):
    response = api.get(f"{BASE}/events/{world.visit.pk}/", {"format": "docx", "lang": "en"})
    headings, rows = docx_text(response.content)
    top = [text for style, text in headings if style == "Heading 1"]
    assert top == [
        "The event",
        "Anniversaries during the event",
        "Prey Veng Province (ខេត្តព្រៃវែង)",
        "Ngài សុខ ចាន់ធី (Sok Chanthy)",
    ]
    assert response["Content-Disposition"].endswith(
        f'briefing-event-{world.visit.pk}-prey-veng-delegation-visit-2026-11-26.docx"'
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "2026-13-01"}, "since"),
        ({"until": "yesterday"}, "until"),
        ({"since": "2026-05-01", "until": "2026-01-01"}, "until"),
        ({"limit": "1001"}, "limit"),
        ({"limit": "-1"}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"lang": "fr"}, "lang"),
        ({"format": "pdf"}, "format"),
    ],
)
def test_bad_options_answer_400_naming_the_parameter(api, world, params, field):
    response = api.get(f"{BASE}/organizations/{world.org.pk}/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == [field]
    assert str(next(iter(params.values()))) in response.json()[field][0] or field == "until"


def test_errors_are_in_vietnamese_by_default(admin, world):
    client = client_for(admin, ["read"])
    client.defaults.pop("HTTP_ACCEPT_LANGUAGE")
    response = client.get(f"{BASE}/organizations/{world.org.pk}/", {"lang": "fr"})
    assert response.json() == {"lang": ["Hãy dùng vi hoặc en (nhận được 'fr')."]}


def test_unknown_and_invisible_rows_answer_404(api, world, today):
    assert api.get(f"{BASE}/organizations/999999/", {"format": "docx"}).status_code == 404
    assert api.get(f"{BASE}/countries/ZZ/").status_code == 404
    world.org.archived_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    world.org.save()
    assert api.get(f"{BASE}/organizations/{world.org.pk}/").status_code == 404
    pipeline = client_for(UserFactory(role="viewer"), ["public-only"])
    assert pipeline.get(f"{BASE}/events/{world.visit.pk}/").status_code == 404  # internal


def test_anonymous_and_roleless_callers_are_refused(world, client):
    assert client.get(f"{BASE}/organizations/{world.org.pk}/").status_code == 401
    nobody = client_for(UserFactory(), ["read"])
    assert nobody.get(f"{BASE}/organizations/{world.org.pk}/").status_code == 403


def test_public_only_token_gets_public_rows_only(world, today):
    pipeline = client_for(UserFactory(role="viewer"), ["public-only"])
    body = pipeline.get(f"{BASE}/organizations/{world.org.pk}/").json()
    assert [i["subject"] for i in body["history"]["interactions"]] == [
        "Đoàn Prây Veng làm việc với tỉnh"
    ]
    assert body["withheld"] == {"personal_data": True, "interactions_not_shown": 0}
    page = pipeline.get(f"{BASE}/people/{world.governor.pk}/", {"format": "html"})
    assert "+855" not in page.content.decode()
    assert "Phum Ba Phnum" not in page.content.decode()


def test_a_viewer_of_another_unit_gets_no_restricted_row(world, today):
    manager = client_for(UserFactory(role="manager", units=[world.other_unit]), ["read"])
    page = manager.get(f"{BASE}/organizations/{world.org.pk}/", {"format": "md"})
    text = page.content.decode()
    assert "Trao đổi mật" not in text and "Việc mật" not in text and "Cuộc họp kín" not in text
    assert "Thỏa thuận mật" not in text


# ---------------------------------------------------------------------------------------------
# Query counts: the same for 5 interactions as for 500


def grow_history(world, count: int) -> None:
    """`count` interactions with the organisation, each with a participant and a follow-up,
    inserted in bulk (what is measured is the reading)."""
    rows = Interaction.objects.bulk_create(
        InteractionFactory.build_batch(count, occurred_on=datetime.date(2025, 1, 2))
    )
    Interaction.organizations.through.objects.bulk_create(
        [Interaction.organizations.through(interaction=i, organization=world.org) for i in rows]
    )
    Participant.objects.bulk_create(
        [Participant(interaction=i, person=world.governor, role="Khách") for i in rows]
    )
    FollowUpFactory._meta.model.objects.bulk_create(
        [FollowUpFactory.build(interaction=i, due_on=datetime.date(2027, 1, 1)) for i in rows]
    )


def measure(client, url: str, params: dict) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return [query["sql"] for query in context.captured_queries]


# The token, ATOMIC_REQUESTS' savepoint (2), the viewer's role and units (2), then the
# briefing's own: organisation (+ pillars, contact points), positions, agreements (+ parties),
# history summary (4), the page of interactions (+ 5 prefetches), open follow-ups, events
# (+ 2 prefetches), anniversaries.
ORGANIZATION_QUERIES = 24  # 26 before the upcoming events' unused prefetches were dropped


@pytest.mark.parametrize("fmt", ["json", "docx"])
def test_organization_briefing_queries_are_constant(api, world, today, monkeypatch, fmt):
    monkeypatch.setattr("api.authentication.LAST_USED_RESOLUTION", datetime.timedelta(days=365))
    url = f"{BASE}/organizations/{world.org.pk}/"
    params = {"format": fmt, "limit": 1000}
    api.get(url, params)  # warm up: the token's last use is written once
    grow_history(world, 5 - 3)
    few = measure(api, url, params)
    grow_history(world, 500 - 5)
    many = measure(api, url, params)
    assert len(few) == len(many) == ORGANIZATION_QUERIES, "\n".join(many)


def test_person_and_country_briefing_queries_are_constant(api, world, today, monkeypatch):
    monkeypatch.setattr("api.authentication.LAST_USED_RESOLUTION", datetime.timedelta(days=365))
    urls = [f"{BASE}/people/{world.governor.pk}/", f"{BASE}/countries/KH/"]
    for url in urls:
        api.get(url)
    grow_history(world, 5)
    few = [len(measure(api, url, {"limit": 1000})) for url in urls]
    grow_history(world, 495)
    many = [len(measure(api, url, {"limit": 1000})) for url in urls]
    assert few == many


def test_the_schema_describes_the_options_and_the_four_formats(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"][f"{BASE}/organizations/{{id}}/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
    assert set(parameters) == {"format", "since", "until", "limit", "lang"}
    assert set(parameters["format"]["schema"]["enum"]) == {"json", "md", "html", "docx"}
    assert parameters["since"]["schema"]["format"] == "date"
    assert set(operation["responses"]["200"]["content"]) == {
        "application/json",
        "text/markdown",
        "text/html",
        DOCX,
    }
