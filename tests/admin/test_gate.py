"""Every admin page reads through the one gate (issue 11).

For every registered ModelAdmin, every role (and a manager of another unit) and every
confidentiality the model has: the change, history, history-version, delete, changelist,
raw-id popup and autocomplete pages of a row the user may not see answer 403, 404 or a
redirect and never contain its text; rows the user may see open.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse

from api.models import ApiToken
from contacts.models import (
    Agreement,
    ContactPoint,
    Country,
    FollowUp,
    Interaction,
    Organization,
    Participant,
    Person,
    PillarTag,
    Position,
    Tag,
    Unit,
)
from events.models import Anniversary, CalendarFeed, Event
from tests.admin.conftest import ROLES, SEES_RESTRICTED
from tests.factories import (
    AgreementFactory,
    AnniversaryFactory,
    CalendarFeedFactory,
    ContactPointFactory,
    CountryFactory,
    EventFactory,
    FollowUpFactory,
    InteractionFactory,
    OrganizationFactory,
    ParticipantFactory,
    PersonFactory,
    PositionFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

CONFIDENTIALITIES = ("public", "internal", "restricted")


@dataclass(frozen=True)
class Case:
    """One kind of row of a model: how to make it (with `marker` in a field its change page
    shows) and from which roles it is hidden."""

    label: str
    make: Callable  # (world, marker, user) -> row
    hidden_from: Callable[[str], bool] = lambda role: False
    marker_shown: bool = True  # False: the row has no text of ours to look for


def hidden_unless_allowed(role: str) -> bool:
    return role not in SEES_RESTRICTED


def by_confidentiality(make) -> list[Case]:
    """Public, internal and restricted rows of unit A: restricted ones hidden from all but
    the unit's managers and administrators."""
    return [
        Case(
            conf,
            lambda world, marker, user, conf=conf: make(world, marker, conf),
            hidden_unless_allowed if conf == "restricted" else Case.hidden_from,
        )
        for conf in CONFIDENTIALITIES
    ]


def interaction(world, marker, conf):
    return InteractionFactory(
        subject=f"{marker} subject",
        summary=f"{marker} summary",
        outcome=f"{marker} outcome",
        confidentiality=conf,
        owner_unit=world.unit,
    )


def own_and_others(make, *, administrators_see_others: bool) -> list[Case]:
    """Rows that belong to one user (calendar feeds, API tokens): one's own, and another's."""
    return [
        Case("own", lambda world, marker, user: make(user, marker)),
        Case(
            "others",
            lambda world, marker, user: make(world.owner, marker),
            lambda role: not (administrators_see_others and role == "administrator"),
        ),
    ]


def token(user, marker):
    row, _key = ApiToken.issue(user, name=marker, scopes=["read"])
    return row


def axes_row(model, marker):
    values = {"username": marker, "user_agent": "test", "http_accept": "*/*", "path_info": "/"}
    if model is AccessAttempt:
        values |= {"get_data": "", "post_data": "", "failures_since_start": 1}
    return model.objects.create(**values)


CASES: dict[type, list[Case]] = {
    Country: [Case("-", lambda w, m, u: CountryFactory(code="ZZ", name_vi=m))],
    Unit: [Case("-", lambda w, m, u: UnitFactory(code="gate-c", name_vi=m))],
    Tag: [Case("-", lambda w, m, u: Tag.objects.create(name=m))],
    PillarTag: [Case("-", lambda w, m, u: PillarTag.objects.first(), marker_shown=False)],
    Organization: [Case("-", lambda w, m, u: OrganizationFactory(name_vi=m))],
    Person: [Case("-", lambda w, m, u: PersonFactory(name_vi=m))],
    Position: [Case("-", lambda w, m, u: PositionFactory(title=m))],
    ContactPoint: [Case("-", lambda w, m, u: ContactPointFactory(label=m[:50]))],
    Interaction: by_confidentiality(interaction),
    Participant: by_confidentiality(
        lambda w, m, c: ParticipantFactory(interaction=interaction(w, m, c), role=m)
    ),
    FollowUp: by_confidentiality(
        lambda w, m, c: FollowUpFactory(interaction=interaction(w, m, c), action=m)
    ),
    Agreement: by_confidentiality(
        lambda w, m, c: AgreementFactory(title=m, confidentiality=c, owner_unit=w.unit)
    ),
    Event: by_confidentiality(
        lambda w, m, c: EventFactory(title_vi=m, visibility=c, owner_unit=w.unit)
    ),
    Anniversary: by_confidentiality(
        lambda w, m, c: AnniversaryFactory(title_vi=m, visibility=c, owner_unit=w.unit)
    ),
    CalendarFeed: own_and_others(
        lambda user, m: CalendarFeedFactory(owner=user, name=m), administrators_see_others=False
    ),
    ApiToken: own_and_others(token, administrators_see_others=True),
    get_user_model(): [
        Case("-", lambda w, m, u: get_user_model().objects.create(username=m.lower()[:150]))
    ],
    Group: [Case("-", lambda w, m, u: Group.objects.create(name=m))],
    # django-axes' login records: administrators' (superusers') only, no role has them.
    **{
        model: [Case("-", lambda w, m, u, model=model: axes_row(model, m))]
        for model in (AccessAttempt, AccessLog, AccessFailureLog)
    },
}


def test_every_registered_admin_has_its_cases():
    assert set(CASES) == set(admin.site._registry)


def url(model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def autocomplete_url(model) -> str | None:
    """The autocomplete of some foreign key or many-to-many field that points to `model`."""
    for source in apps.get_models():
        for field in source._meta.get_fields():
            if field.concrete and field.is_relation and field.related_model is model:
                return reverse("admin:autocomplete") + (
                    f"?app_label={source._meta.app_label}&model_name={source._meta.model_name}"
                    f"&field_name={field.name}&term="
                )
    return None


PARAMS = [
    pytest.param(model, case, role, id=f"{model.__name__}-{case.label}-{role}")
    for model, cases in CASES.items()
    for case in cases
    for role in ROLES
]


@pytest.mark.parametrize(("model", "case", "role"), PARAMS)
def test_the_admin_shows_a_row_only_to_those_who_may_see_it(client, world, model, case, role):
    user = world.users[role]
    marker = f"Gatemark{model.__name__}{case.label.title()}"
    row = case.make(world, marker, user)
    row.save()  # a second version in the history
    versions = []
    if hasattr(row, "history"):  # the models django-simple-history tracks
        versions = list(row.history.values_list("history_id", flat=True))
        assert versions
    client.force_login(user)
    opts = model._meta
    may_view = user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )
    pages = {
        "change": url(model, "change", row.pk),
        "history": url(model, "history", row.pk),
        "delete": url(model, "delete", row.pk),
        **{f"version {v}": url(model, "simple_history", row.pk, v) for v in versions},
    }
    lists = {
        "changelist": url(model, "changelist"),
        "popup": url(model, "changelist") + f"?_popup=1&_to_field={opts.pk.attname}",
    }
    if (autocomplete := autocomplete_url(model)) is not None:
        lists["autocomplete"] = autocomplete

    if case.hidden_from(role):
        for name, page in pages.items():
            response = client.get(page)
            assert response.status_code in {302, 403, 404}, (name, response.status_code)
            assert marker not in response.content.decode(), name
        for name, page in lists.items():
            response = client.get(page)
            assert marker not in response.content.decode(), name
        return

    for name, page in pages.items():
        response = client.get(page)
        if name == "delete":
            model_admin = admin.site._registry[model]
            request = RequestFactory().get(page)
            request.user = user
            expected = 200 if model_admin.has_delete_permission(request, row) else 403
            assert response.status_code == expected, name
            continue
        assert response.status_code == (200 if may_view else 403), (name, response.status_code)
        if may_view and case.marker_shown and name != "history":
            assert marker in response.content.decode(), name
    if may_view and case.marker_shown:
        assert marker in client.get(lists["popup"]).content.decode()
        if "autocomplete" in lists:
            response = client.get(lists["autocomplete"])
            if response.status_code == 200:
                assert marker in response.content.decode()


# ---------------------------------------------------------------------------------------------
# A visible row never names a hidden one: choices, read-only values, inlines, saves


@pytest.fixture
def linked(world):
    """A public anniversary of a restricted agreement, a public event at which a restricted
    interaction happened, and an internal interaction with a restricted one's follow-up
    nowhere near it (follow-ups go with their interaction)."""
    from events.models import EventInteraction

    agreement = AgreementFactory(
        title="Hiệp định mật KJH", confidentiality="restricted", owner_unit=world.unit
    )
    anniversary = AnniversaryFactory(
        title_vi="Kỷ niệm công khai", visibility="public", agreement=agreement
    )
    event = EventFactory(title_vi="Hội chợ công khai", visibility="public")
    secret = interaction(world, "Gặp mật PLM", "restricted")
    EventInteraction.objects.create(interaction=secret, event=event)
    public = interaction(world, "Gặp công khai", "public")
    EventInteraction.objects.create(interaction=public, event=event)
    return agreement, anniversary, event, secret


HIDDEN_TEXTS = ("mật KJH", "mật PLM")  # with a diacritic: never in a CSRF token


@pytest.mark.parametrize("role", ROLES)
def test_visible_pages_never_name_hidden_related_rows(client, world, linked, role):
    agreement, anniversary, event, secret = linked
    client.force_login(world.users[role])
    pages = [
        url(Anniversary, "change", anniversary.pk),
        url(Anniversary, "simple_history", anniversary.pk, anniversary.history.first().pk),
        url(Event, "change", event.pk),
        url(Anniversary, "add"),
        url(Event, "add"),
        reverse("admin:autocomplete")
        + "?app_label=events&model_name=anniversary&field_name=agreement&term=",
        reverse("admin:autocomplete")
        + "?app_label=events&model_name=eventinteraction&field_name=interaction&term=",
    ]
    for page in pages:
        response = client.get(page)
        text = response.content.decode()
        if role in SEES_RESTRICTED:
            continue
        for hidden in HIDDEN_TEXTS:
            assert hidden not in text, (page, hidden)
    if role in SEES_RESTRICTED:
        text = client.get(url(Event, "change", event.pk)).content.decode()
        assert "mật PLM" in text
        assert "mật KJH" in client.get(url(Anniversary, "change", anniversary.pk)).content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_history_changes_never_name_hidden_related_rows(client, world, linked, role):
    agreement, anniversary, _event, _secret = linked
    anniversary.agreement = None
    anniversary.save()  # a change from the restricted agreement to none
    client.force_login(world.users[role])
    page = client.get(url(Anniversary, "history", anniversary.pk)).content.decode()
    assert ("mật KJH" in page) is (role in SEES_RESTRICTED)


def anniversary_form(anniversary, **changes) -> dict:
    data = {
        "title_vi": anniversary.title_vi,
        "title_en": anniversary.title_en,
        "kind": anniversary.kind,
        "origin_day": anniversary.origin_day,
        "origin_month": anniversary.origin_month,
        "origin_year": anniversary.origin_year,
        "milestone_every": anniversary.milestone_every,
        "visibility": anniversary.visibility,
        "notes": "",
        "source": "",
    }
    return data | changes


def test_saving_a_form_keeps_the_hidden_link_it_could_not_show(client, world, linked):
    agreement, anniversary, _event, _secret = linked
    editor = world.users["editor"]
    client.force_login(editor)
    response = client.post(
        url(Anniversary, "change", anniversary.pk), anniversary_form(anniversary, notes="Mới")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    anniversary.refresh_from_db()
    assert anniversary.notes == "Mới"
    assert anniversary.agreement_id == agreement.pk


def test_a_hidden_row_cannot_be_chosen(client, world, linked):
    agreement, anniversary, _event, _secret = linked
    client.force_login(world.users["editor"])
    other = AnniversaryFactory(title_vi="Khác", visibility="public")
    response = client.post(
        url(Anniversary, "change", other.pk), anniversary_form(other, agreement=agreement.pk)
    )
    assert response.status_code == 200  # the form again, with the error
    other.refresh_from_db()
    assert other.agreement_id is None


def test_an_event_inline_keeps_the_links_it_does_not_show(client, world, linked):
    from events.models import EventInteraction

    _agreement, _anniversary, event, secret = linked
    client.force_login(world.users["editor"])
    page = client.get(url(Event, "change", event.pk))
    formset = page.context["inline_admin_formsets"][0].formset
    assert [form.instance.interaction.subject for form in formset.forms if form.instance.pk] == [
        "Gặp công khai subject"
    ]
    assert EventInteraction.objects.filter(interaction=secret, event=event).exists()


def test_a_viewer_cannot_revert_through_a_history_version(client, world):
    row = InteractionFactory(subject="Cũ", confidentiality="internal", owner_unit=world.unit)
    row.subject = "Mới"
    row.save()
    first = row.history.earliest("history_date")
    client.force_login(world.users["viewer"])
    page = url(Interaction, "simple_history", row.pk, first.pk)
    assert client.get(page).status_code == 200
    data = {"subject": "Cũ", "occurred_on": "2026-03-02", "kind": "meeting"}
    assert client.post(page, data).status_code == 403
    row.refresh_from_db()
    assert row.subject == "Mới"
