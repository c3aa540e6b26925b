"""Briefings as plain data: one function per kind computes everything a briefing shows.

The result is a dict of plain values (str, int, bool, None, dates, lists, dicts), ready for
JSON and for the renderers in `briefings.render` (Markdown, HTML, DOCX), which only lay it
out. Every read goes through the selectors and `visible_to(viewer)`, so a briefing shows
exactly what the API shows the same caller:

- the contact history is `contacts.selectors.person_history` / `organization_history` (the
  same rule as the API's contact history) and its summary is `history_summary`;
- upcoming events and anniversary occurrences come from `events.agenda`;
- personal data (a person's contact points, birthday, home commune, notes; the names of
  overseas Vietnamese in a country briefing) only when `viewer.personal_data`.

What is withheld, and when a briefing says how much (`withheld` in every briefing):

- rows the caller may not see (restricted interactions and agreements of other units, internal
  rows for public-only callers, archived rows) are left out and never counted: a count would
  tell the caller that they exist;
- `personal_data: true` says that personal fields were left out (a fact about the caller's
  rights, not about the data: it is true whether or not there was anything to hide);
- `interactions_not_shown` counts the visible interactions of the window beyond `limit`: the
  summary counts them anyway, so stating the number reveals nothing;
- `overseas_vietnamese_names` (country briefings) counts the people listed by region whose
  names were left out: the counts by region are shown to that caller anyway. Public-only
  callers (the publishing pipeline) get no overseas-Vietnamese section at all: who the staff
  keep in touch with abroad is internal work, and they get no count of it.

The number of SQL queries is constant whatever the length of the history (`limit` rows are
loaded with their prefetches; the summary is aggregated in the database).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from contacts import selectors
from contacts.models import (
    Agreement,
    Country,
    FollowUp,
    Interaction,
    Organization,
    Participant,
    Person,
    PillarTag,
    Position,
    held_on,
)
from crm.access import Viewer, as_viewer
from crm.text import in_language
from events import agenda
from events.anniversaries import Occurrence, occurrence_date
from events.models import Anniversary, Event

UPCOMING_DAYS = 180
EXPIRING_MONTHS = 12
DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
LANGUAGES = ("vi", "en")
KINDS = ("organization", "person", "country", "event")


@dataclass(frozen=True)
class Options:
    """What the caller asked for: the history window, how many interactions in full, the
    language of the labels, and the day the briefing is computed for."""

    since: datetime.date | None = None
    until: datetime.date | None = None
    limit: int = DEFAULT_LIMIT
    lang: str = "vi"
    today: datetime.date | None = None

    def day(self) -> datetime.date:
        return self.today or timezone.localdate()

    def as_data(self) -> dict[str, Any]:
        return {"since": self.since, "until": self.until, "limit": self.limit}


# ---------------------------------------------------------------------------------------------
# Short forms


def country_ref(country: Country | None) -> dict[str, Any] | None:
    if country is None:
        return None
    return {"code": country.code, "name_vi": country.name_vi, "name_en": country.name_en}


def organization_ref(organization: Organization) -> dict[str, Any]:
    return {
        "id": organization.pk,
        "name_native": organization.name_native,
        "name_vi": organization.name_vi,
        "name_en": organization.name_en,
        "abbreviation": organization.abbreviation,
    }


def person_ref(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "full_name_native": person.full_name_native,
        "name_latin": person.name_latin,
        "name_vi": person.name_vi,
        "honorific": person.honorific,
    }


def user_name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def contact_point(point) -> dict[str, Any]:
    return {"kind": point.kind, "label": point.label, "value": point.display_value}


def interaction_data(interaction: Interaction, viewer: Viewer) -> dict[str, Any]:
    """An interaction as loaded by `selectors.interactions` (everything prefetched). The staff
    who took part are named only to callers who see internal work (as in the API)."""
    data = {
        "id": interaction.pk,
        "occurred_on": interaction.occurred_on,
        "occurred_time": interaction.occurred_time,
        "kind": interaction.kind,
        "subject": interaction.subject,
        "summary": interaction.summary,
        "outcome": interaction.outcome,
        "location": interaction.location,
        "confidentiality": interaction.confidentiality,
        "people": [
            {**person_ref(participant.person), "role": participant.role}
            for participant in interaction.participants.all()
        ],
        "organizations": [organization_ref(o) for o in interaction.organizations.all()],
        "staff": [user_name(user) for user in interaction.staff.all()],
        "pillars": [pillar.code for pillar in interaction.pillars.all()],
        "follow_ups": [
            {"action": f.action, "due_on": f.due_on, "status": f.status}
            for f in interaction.follow_ups.all()
        ],
    }
    if not viewer.sees_internal:
        del data["staff"]
    return data


def follow_up_data(follow_up: FollowUp, viewer: Viewer) -> dict[str, Any]:
    interaction = follow_up.interaction
    data = {
        "id": follow_up.pk,
        "action": follow_up.action,
        "due_on": follow_up.due_on,
        "assignee": user_name(follow_up.assignee),
        "interaction": {
            "id": interaction.pk,
            "occurred_on": interaction.occurred_on,
            "subject": interaction.subject,
        },
    }
    if not viewer.sees_internal:  # follow-ups are internal anyway: no account name either
        del data["assignee"]
    return data


def agreement_data(agreement: Agreement) -> dict[str, Any]:
    return {
        "id": agreement.pk,
        "title": agreement.title,
        "kind": agreement.kind,
        "status": agreement.status,
        "signed_on": agreement.signed_on,
        "signed_at": agreement.signed_at,
        "valid_from": agreement.valid_from,
        "valid_until": agreement.valid_until,
        "parties": [organization_ref(o) for o in agreement.parties.all()],
        "summary": agreement.summary,
    }


def event_data(event: Event, lang: str) -> dict[str, Any]:
    return {
        "type": "event",
        "id": event.pk,
        "date": event.start_date,
        "end_date": event.end_date,
        "title": (event.title_en or event.title_vi) if lang == "en" else event.title_vi,
        "kind": event.kind,
        "status": event.status,
        "location": event.location,
        "ordinal": None,
        "milestone": False,
        "milestone_kind": None,
    }


def occurrence_data(occurrence: Occurrence, lang: str) -> dict[str, Any]:
    return {
        "type": "anniversary",
        "id": occurrence.anniversary.pk,
        "date": occurrence.date,
        "end_date": occurrence.date,
        "title": occurrence.title(lang),
        "kind": occurrence.anniversary.kind,
        "status": None,
        "location": "",
        "ordinal": occurrence.ordinal,
        "milestone": occurrence.is_milestone,
        "milestone_kind": occurrence.milestone,  # "round" (năm tròn), "even" (năm chẵn)
    }


# ---------------------------------------------------------------------------------------------
# Shared pieces


def add_years(day: datetime.date, years: int) -> datetime.date:
    return agenda.add_years(day, years)


def withheld(viewer: Viewer, **counts: int) -> dict[str, Any]:
    """See the module docstring: only counts the caller is allowed to know."""
    return {"personal_data": not viewer.personal_data, **counts}


def window_history(history: QuerySet[Interaction], options: Options) -> QuerySet[Interaction]:
    if options.since is not None:
        history = history.filter(occurred_on__gte=options.since)
    if options.until is not None:
        history = history.filter(occurred_on__lte=options.until)
    return history


def history_data(
    history: QuerySet[Interaction], viewer: Viewer, options: Options
) -> tuple[dict[str, Any], int]:
    """The windowed history: its summary over every row, the newest `limit` rows in full, and
    how many visible rows were left out by `limit`."""
    windowed = window_history(history, options)
    summary = selectors.history_summary(windowed, viewer)
    rows = list(windowed[: options.limit]) if options.limit else []
    by_kind = summary["by_kind"]
    data = {
        "summary": {
            "count": summary["count"],
            "first_contact": summary["first_contact"],
            "last_contact": summary["last_contact"],
            "by_year": summary["by_year"],
            "by_kind": by_kind,
            "delegations_in": by_kind.get(Interaction.Kind.INBOUND_DELEGATION, 0),
            "delegations_out": by_kind.get(Interaction.Kind.OUTBOUND_DELEGATION, 0),
            "open_follow_ups": len(summary["open_follow_ups"]),
        },
        "interactions": [interaction_data(i, viewer) for i in rows],
    }
    return data, max(summary["count"] - len(rows), 0)


def open_follow_ups(history: QuerySet[Interaction], viewer: Viewer) -> list[dict[str, Any]]:
    """Open follow-ups of the whole history (not only the window: a task stays open)."""
    rows = (
        FollowUp.objects.visible_to(viewer)
        .filter(interaction__in=history.order_by().values("pk"), status=FollowUp.Status.OPEN)
        .select_related("interaction", "assignee")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )
    return [follow_up_data(f, viewer) for f in rows]


def upcoming(
    viewer: Viewer,
    options: Options,
    *,
    organizations: list[int] = (),
    countries: list[str] = (),
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> dict[str, Any]:
    """Events and anniversary occurrences linked to the organisations (directly, or for
    anniversaries through an agreement they are party to) or the countries, from `start`
    (default today) to `end` (default `UPCOMING_DAYS` later), both included."""
    start = start or options.day()
    end = end or start + datetime.timedelta(days=UPCOMING_DAYS)
    window = agenda.Window(start=start, end=end)
    events = (
        agenda.events(viewer, window, prefetch=False)  # a briefing shows no pillars
        .filter(Q(organizations__in=organizations) | Q(country__in=countries))
        .distinct()
    )
    linked = (
        Q(organization__in=organizations)
        | Q(agreement__parties__in=organizations)
        | Q(country__in=countries)
    )
    anniversaries = agenda.anniversaries(viewer, window).filter(linked).distinct()
    items = [event_data(e, options.lang) for e in events]
    items += [
        occurrence_data(o, options.lang)
        for anniversary in anniversaries
        for o in anniversary.occurrences(start, end)
    ]
    items.sort(key=lambda item: (item["date"], item["type"] != "anniversary", item["title"]))
    return {"start": start, "end": end, "items": items}


# ---------------------------------------------------------------------------------------------
# Lookups (None when the caller may not see the row: the API answers 404, as its details do)


def find_organization(who, pk) -> Organization | None:
    return (
        Organization.objects.visible_to(who)
        .select_related("country", "parent")
        .prefetch_related(
            Prefetch("pillars", queryset=PillarTag.objects.all()),
            "contact_points",  # an organisation's contact points are not personal data
        )
        .filter(pk=pk)
        .first()
    )


def find_person(who, pk) -> Person | None:
    return (
        selectors.people(who)
        .select_related("nationality", "residence_country")
        .filter(pk=pk)
        .first()
    )


def find_country(who, code: str) -> Country | None:
    return selectors.countries(who).filter(code=str(code).upper()).first()


def find_event(who, pk) -> Event | None:
    viewer = as_viewer(who)
    return (
        Event.objects.visible_to(viewer)
        .select_related("country")
        .prefetch_related(
            Prefetch("organizations", queryset=Organization.objects.visible_to(viewer)),
            Prefetch("people", queryset=Person.objects.visible_to(viewer)),
        )
        .filter(pk=pk)
        .first()
    )


# ---------------------------------------------------------------------------------------------
# Organisation


def classify_agreements(agreements: list[Agreement], today: datetime.date) -> dict[str, list]:
    """In force, expiring within `EXPIRING_MONTHS` (in force, valid until then), expired or
    terminated (or past their end date), and in negotiation."""
    horizon = add_years(today, EXPIRING_MONTHS // 12)
    groups: dict[str, list] = {"in_force": [], "expiring": [], "expired": [], "in_negotiation": []}
    ended = {Agreement.Status.EXPIRED, Agreement.Status.TERMINATED}
    for agreement in agreements:
        until = agreement.valid_until
        if agreement.status in ended or (until is not None and until < today):
            groups["expired"].append(agreement)
        elif agreement.status == Agreement.Status.DRAFT:
            groups["in_negotiation"].append(agreement)
        elif until is not None and until <= horizon:
            groups["expiring"].append(agreement)
        else:
            groups["in_force"].append(agreement)
    # Newest signature first, unsigned last, on every database (NULLs sort differently).
    groups["in_force"].sort(key=lambda a: a.signed_on or datetime.date.min, reverse=True)
    groups["expiring"].sort(key=lambda a: a.valid_until)
    groups["expired"].sort(key=lambda a: a.valid_until or a.signed_on or today, reverse=True)
    return {name: [agreement_data(a) for a in rows] for name, rows in groups.items()}


def organization_profile(
    organization: Organization, viewer: Viewer, lang: str = "vi"
) -> dict[str, Any]:
    parent = organization.parent
    return {
        "id": organization.pk,
        "name_native": organization.name_native,
        "name_vi": organization.name_vi,
        "name_en": organization.name_en,
        "abbreviation": organization.abbreviation,
        "kind": organization.kind,
        "country": country_ref(organization.country),
        "region": organization.region,
        "subdivision_code": organization.subdivision_code,
        "parent": organization_ref(parent) if parent and not parent.is_archived else None,
        "relationship_status": organization.relationship_status,
        "pillars": [pillar.code for pillar in organization.pillars.all()],
        "website": organization.website,
        "address": organization.address,
        "contact_points": [contact_point(p) for p in organization.contact_points.all()],
        # Notes are internal (the API hides them from public-only callers too).
        "notes": in_language(organization.notes, organization.notes_en, lang)
        if viewer.sees_internal
        else None,
    }


def organization_people(organization: Organization, viewer: Viewer, today) -> dict[str, list]:
    """Who holds a post there on `today` (with their title and since when), and who held
    posts there before (newest departure first). Posts starting later are not shown."""
    positions = (
        Position.objects.visible_to(viewer)
        .filter(organization=organization, person__in=Person.objects.visible_to(viewer))
        .select_related("person")
        .order_by("-is_primary", F("start_date").asc(nulls_first=True), "pk")
    )
    current, former = [], []
    for position in positions:
        row = {
            "person": person_ref(position.person),
            "title": position.title,
            "department": position.department,
            "start_date": position.start_date,
            "end_date": position.end_date,
            "is_primary": position.is_primary,
        }
        if position.is_current(today):
            current.append(row)
        elif position.end_date is not None and position.end_date <= today:
            former.append(row)
    former.sort(key=lambda row: row["end_date"], reverse=True)
    return {"current": current, "former": former}


def organization_briefing(
    organization: Organization, who, options: Options = Options()
) -> dict[str, Any]:
    """Profile, people in post and before, agreements, contact history with its summary, open
    follow-ups, and what is coming up with the organisation or its country."""
    viewer = as_viewer(who)
    today = options.day()
    history = selectors.organization_history(organization, viewer)
    history_part, not_shown = history_data(history, viewer, options)
    agreements = selectors.agreements(viewer).filter(parties=organization)
    return {
        "kind": "organization",
        "generated_on": today,
        "language": options.lang,
        "options": options.as_data(),
        "organization": organization_profile(organization, viewer, options.lang),
        "people": organization_people(organization, viewer, today),
        "agreements": classify_agreements(list(agreements), today),
        "history": history_part,
        "open_follow_ups": open_follow_ups(history, viewer),
        "upcoming": upcoming(
            viewer,
            options,
            organizations=[organization.pk],
            countries=[organization.country_id],
        ),
        "withheld": withheld(viewer, interactions_not_shown=not_shown),
    }


# ---------------------------------------------------------------------------------------------
# Person


def next_birthday(person: Person, today: datetime.date) -> dict[str, Any] | None:
    """The next birthday on or after `today` (29 February: 28 February in common years),
    with the age then when the year is known."""
    if person.birth_month is None or person.birth_day is None:
        return None
    on = occurrence_date(person.birth_month, person.birth_day, today.year)
    if on < today:
        on = occurrence_date(person.birth_month, person.birth_day, today.year + 1)
    age = on.year - person.birth_year if person.birth_year else None
    return {"date": on, "age": age}


def person_profile(person: Person, viewer: Viewer, today) -> dict[str, Any]:
    profile = {
        "id": person.pk,
        "full_name_native": person.full_name_native,
        "name_latin": person.name_latin,
        "name_vi": person.name_vi,
        "honorific": person.honorific,
        "gender": person.gender,
        "category": person.category,
        "nationality": country_ref(person.nationality),
        "residence_country": country_ref(person.residence_country),
        "occupation": person.occupation,
        "languages": list(person.languages or []),
        "tags": [tag.name for tag in person.tags.all()],
    }
    if viewer.personal_data:
        profile |= {
            "contact_points": [contact_point(p) for p in person.contact_points.all()],
            "birth_year": person.birth_year,
            "birth_month": person.birth_month,
            "birth_day": person.birth_day,
            "next_birthday": next_birthday(person, today),
            "home_commune": person.home_commune,
            "home_commune_former": person.home_commune_former,
            "notes": person.notes,
        }
    return profile


def person_positions(person: Person, viewer: Viewer, today) -> list[dict[str, Any]]:
    """Every post, the current ones first, then newest first."""
    positions = (
        Position.objects.visible_to(viewer)
        .filter(person=person, organization__in=Organization.objects.visible_to(viewer))
        .select_related("organization__country")
    )
    rows = [
        {
            "organization": organization_ref(p.organization),
            "country": country_ref(p.organization.country),
            "title": p.title,
            "department": p.department,
            "start_date": p.start_date,
            "end_date": p.end_date,
            "is_primary": p.is_primary,
            "is_current": p.is_current(today),
        }
        for p in positions
    ]
    rows.sort(
        key=lambda r: (not r["is_current"], -(r["start_date"] or datetime.date.min).toordinal())
    )
    return rows


def person_briefing(person: Person, who, options: Options = Options()) -> dict[str, Any]:
    viewer = as_viewer(who)
    today = options.day()
    history = selectors.person_history(person, viewer)
    history_part, not_shown = history_data(history, viewer, options)
    return {
        "kind": "person",
        "generated_on": today,
        "language": options.lang,
        "options": options.as_data(),
        "person": person_profile(person, viewer, today),
        "positions": person_positions(person, viewer, today),
        "history": history_part,
        "open_follow_ups": open_follow_ups(history, viewer),
        "withheld": withheld(viewer, interactions_not_shown=not_shown),
    }


# ---------------------------------------------------------------------------------------------
# Country


def last_contact(viewer: Viewer) -> Subquery:
    """The date of the newest visible interaction of each organisation of the outer query,
    under the rule of `selectors.organization_history` (the organisation took part, or one of
    its people while in post), as a correlated subquery: one query for any number of them."""
    involved = Interaction.organizations.through.objects.filter(
        interaction=OuterRef("pk"), organization=OuterRef(OuterRef("pk"))
    )
    held_then = Position.objects.filter(
        held_on(OuterRef(OuterRef("occurred_on"))),
        organization=OuterRef(OuterRef(OuterRef("pk"))),
        person=OuterRef("person"),
    )
    its_people = Participant.objects.filter(interaction=OuterRef("pk")).filter(Exists(held_then))
    newest = (
        Interaction.objects.visible_to(viewer)
        .filter(Exists(involved) | Exists(its_people))
        .order_by("-occurred_on")
        .values("occurred_on")[:1]
    )
    return Subquery(newest)


def country_history(country: Country, viewer: Viewer) -> QuerySet[Interaction]:
    """Interactions with an organisation of the country or a person of its nationality or
    living there."""
    with_org = Interaction.organizations.through.objects.filter(
        interaction=OuterRef("pk"), organization__country=country
    )
    with_person = Participant.objects.filter(interaction=OuterRef("pk")).filter(
        Q(person__nationality=country) | Q(person__residence_country=country)
    )
    return selectors.interactions(viewer).filter(Exists(with_org) | Exists(with_person))


def next_milestone(country: Country, viewer: Viewer, today) -> dict[str, Any] | None:
    """The next round-year anniversary of diplomatic relations: from the anniversary recorded
    for the country, else from the country's date of relations (every 5 years)."""
    recorded = list(
        Anniversary.objects.visible_to(viewer).filter(
            country=country, kind=Anniversary.Kind.DIPLOMATIC_RELATIONS
        )
    )
    if not recorded and country.diplomatic_relations_on:
        origin = country.diplomatic_relations_on
        recorded = [
            Anniversary(
                title_vi=f"Thiết lập quan hệ ngoại giao Việt Nam – {country.name_vi}",
                title_en=f"the establishment of Vietnam–{country.name_en} diplomatic relations",
                kind=Anniversary.Kind.DIPLOMATIC_RELATIONS,
                origin_year=origin.year,
                origin_month=origin.month,
                origin_day=origin.day,
                milestone_every=5,
            )
        ]
    found = [m for anniversary in recorded if (m := anniversary.next_milestone(today))]
    if not found:
        return None
    return min(found, key=lambda o: o.date)


def country_facts(country: Country, viewer: Viewer, options: Options) -> dict[str, Any]:
    today = options.day()
    national_day = None
    if country.national_day is not None:
        month, day = country.national_day
        on = occurrence_date(month, day, today.year)
        if on < today:
            on = occurrence_date(month, day, today.year + 1)
        national_day = {
            "month": month,
            "day": day,
            "name": in_language(
                country.national_day_name_vi, country.national_day_name_en, options.lang
            ),
            "next": on,
        }
    milestone = next_milestone(country, viewer, today)
    return {
        "code": country.code,
        "name_vi": country.name_vi,
        "name_en": country.name_en,
        "name_native": country.name_native,
        "asean_member": country.is_asean_member,
        "asean_joined_on": country.asean_joined_on,
        "national_day": national_day,
        "diplomatic_relations_on": country.diplomatic_relations_on,
        "next_milestone": occurrence_data(milestone, options.lang) if milestone else None,
    }


def country_organizations(country: Country, viewer: Viewer) -> list[dict[str, Any]]:
    """The country's organisations grouped by kind (in the order of `Organization.Kind`),
    each with its last contact."""
    rows = (
        Organization.objects.visible_to(viewer)
        .filter(country=country)
        .annotate(last_contact=last_contact(viewer))
        .order_by("name_vi", "name_en", "pk")
    )
    grouped: dict[str, list] = defaultdict(list)
    for organization in rows:
        grouped[organization.kind].append(
            {
                **organization_ref(organization),
                "region": organization.region,
                "relationship_status": organization.relationship_status,
                "last_contact": organization.last_contact,
            }
        )
    return [
        {"kind": kind, "organizations": grouped[kind]}
        for kind in Organization.Kind.values
        if grouped[kind]
    ]


def overseas_vietnamese(country: Country, viewer: Viewer) -> dict[str, Any] | None:
    """Overseas Vietnamese living in the country, counted by region of residence.

    A person has no field for the region they live in; it is taken from the organisation of
    their current post in that country (a hometown association in Udon Thani…), else counted
    as not recorded (region ""). Names only for callers allowed personal data."""
    if viewer.public_only:
        return None
    in_post = (
        Position.objects.visible_to(viewer)
        .current()
        .filter(organization__country=country)
        .select_related("organization")
    )
    people = (
        Person.objects.visible_to(viewer)
        .filter(category=Person.Category.OVERSEAS_VIETNAMESE, residence_country=country)
        .prefetch_related(Prefetch("positions", queryset=in_post, to_attr="posts_there"))
    )
    regions: dict[str, list] = defaultdict(list)
    for person in people:
        region = next(
            (p.organization.region for p in person.posts_there if p.organization.region), ""
        )
        regions[region].append(person)
    ordered = sorted(regions.items(), key=lambda item: (item[0] == "", item[0]))
    return {
        "count": sum(len(people) for _region, people in ordered),
        "by_region": [
            {
                "region": region,
                "count": len(people),
                "people": [person_ref(p) for p in people] if viewer.personal_data else None,
            }
            for region, people in ordered
        ],
    }


def country_briefing(country: Country, who, options: Options = Options()) -> dict[str, Any]:
    viewer = as_viewer(who)
    history = country_history(country, viewer)
    history_part, not_shown = history_data(history, viewer, options)
    diaspora = overseas_vietnamese(country, viewer)
    counts = {"interactions_not_shown": not_shown}
    if diaspora is not None and not viewer.personal_data:
        counts["overseas_vietnamese_names"] = diaspora["count"]
    return {
        "kind": "country",
        "generated_on": options.day(),
        "language": options.lang,
        "options": options.as_data(),
        "country": country_facts(country, viewer, options),
        "organizations": country_organizations(country, viewer),
        "history": history_part,
        "overseas_vietnamese": diaspora,
        "upcoming": upcoming(viewer, options, countries=[country.code]),
        "withheld": withheld(viewer, **counts),
    }


# ---------------------------------------------------------------------------------------------
# Visit (an event)


def event_briefing(event: Event, who, options: Options = Options()) -> dict[str, Any]:
    """One pack for an event: its facts, what falls during it, and the briefing of every
    organisation and person linked to it that the caller may see."""
    viewer = as_viewer(who)
    organizations = list(event.organizations.all())
    people = list(event.people.all())
    countries = sorted({event.country_id, *(o.country_id for o in organizations)} - {None})
    lang = options.lang
    during = upcoming(
        viewer,
        options,
        organizations=[o.pk for o in organizations],
        countries=countries,
        start=event.start_date,
        end=event.end_date,
    )
    during["items"] = [item for item in during["items"] if item["type"] == "anniversary"]
    found_orgs = [find_organization(viewer, o.pk) for o in organizations]
    found_people = [find_person(viewer, p.pk) for p in people]
    return {
        "kind": "event",
        "generated_on": options.day(),
        "language": lang,
        "options": options.as_data(),
        "event": {
            "id": event.pk,
            "title": (event.title_en or event.title_vi) if lang == "en" else event.title_vi,
            "title_vi": event.title_vi,
            "title_en": event.title_en,
            "description": (event.description_en or event.description_vi)
            if lang == "en"
            else event.description_vi,
            "kind": event.kind,
            "status": event.status,
            "start_date": event.start_date,
            "end_date": event.end_date,
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "location": event.location,
            "country": country_ref(event.country),
            "organizations": [organization_ref(o) for o in organizations],
            "people": [person_ref(p) for p in people],
        },
        "anniversaries_during": during["items"],
        "organizations": [organization_briefing(o, viewer, options) for o in found_orgs if o],
        "people": [person_briefing(p, viewer, options) for p in found_people if p],
        "withheld": withheld(viewer),
    }


def briefing(kind: str, key, who, options: Options = Options()) -> dict[str, Any] | None:
    """The briefing of `kind` for the row `key` (an id, or a country code), or None when
    the caller may not see that row (or it does not exist)."""
    finders = {
        "organization": (find_organization, organization_briefing),
        "person": (find_person, person_briefing),
        "country": (find_country, country_briefing),
        "event": (find_event, event_briefing),
    }
    find, compute = finders[kind]
    viewer = as_viewer(who)
    row = find(viewer, key)
    if row is None:
        return None
    return compute(row, viewer, options)
