"""Synthetic events for `generate_synthetic --events N` (registered in `EventsConfig.ready()`).

A step of `contacts.synthetic` (read its docstring: same seed, sizes and `today` give the same
rows; bulk inserts, so no history rows and no `Change` rows). It runs after the contacts steps
and reads what they made from the `Context`: organisations and people by country, staff, units,
pillars. Every event is fictional: its Vietnamese description starts with `EVENT_MARKER`.

When the events fall:
- half of them over the 20 years of history (as the interactions), later years busier;
- the other half from a year back to three years ahead of `today`: the window of a calendar
  feed (`events.agenda.Window.public`), where planned events and recent records cluster.
  So `--events 10000` puts a little over 5,000 events in a feed (what the benchmark's feed
  operation asks for).

Past events are mostly done, some cancelled; future ones planned or confirmed, a few
cancelled. About 40% are timed, in the zone of their country (Asia/Ho_Chi_Minh,
Asia/Phnom_Penh, Asia/Vientiane, Asia/Bangkok); some last several days. Their start and end
dates come from `Event.derive_dates()`, as `full_clean()` would set them.

Interactions that happened at an event (`EventInteraction`): for about a third of the past,
held events, one to three interactions of the event's days (meetings, delegations, event
participation) not yet linked to another event.

Reference anniversaries (29 national days, diplomatic relations, ASEAN dates) are not
generated: they come from `load_reference`, which this step runs if they are missing.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict

from contacts.models import Interaction
from contacts.synthetic import HISTORY_YEARS, Context, SyntheticError, _with_search_columns
from events.models import Anniversary, Event, EventInteraction

EVENT_MARKER = "Sự kiện hư cấu (dữ liệu tổng hợp) / Fictional event (synthetic data)."
WINDOW_SHARE = 0.5  # of the events, in a feed's window (a year back, three years ahead)
WINDOW_DAYS_BACK, WINDOW_YEARS_AHEAD = 365, 3

ZONES = {
    "VN": "Asia/Ho_Chi_Minh",
    "KH": "Asia/Phnom_Penh",
    "LA": "Asia/Vientiane",
    "TH": "Asia/Bangkok",
}
COUNTRY_WEIGHTS = {"VN": 30, "KH": 30, "LA": 20, "TH": 15}
KIND_WEIGHTS = {
    "national_day": 4,
    "diplomatic_anniversary": 4,
    "asean_event": 6,
    "festival": 10,
    "conference": 18,
    "trade_fair": 10,
    "delegation_visit": 30,
    "contest": 4,
    "exchange": 10,
    "other": 4,
}
# (Vietnamese, English) titles; {country} and {org} are the names in each language.
TITLES = {
    "national_day": ("Chiêu đãi mừng Quốc khánh {country}", "{country} National Day reception"),
    "diplomatic_anniversary": (
        "Kỷ niệm quan hệ ngoại giao Việt Nam – {country}",
        "Anniversary of Vietnam–{country} diplomatic relations",
    ),
    "asean_event": (
        "Hội nghị ASEAN cấp địa phương tại {country}",
        "ASEAN local forum in {country}",
    ),
    "festival": ("Lễ hội giao lưu văn hóa với {country}", "Cultural festival with {country}"),
    "conference": ("Hội thảo hợp tác với {org}", "Cooperation seminar with {org}"),
    "trade_fair": ("Hội chợ thương mại biên giới ({country})", "Border trade fair ({country})"),
    "delegation_visit": ("Đón đoàn {org}", "Visit of a delegation of {org}"),
    "contest": ("Cuộc thi tìm hiểu về {country}", "Quiz on {country}"),
    "exchange": ("Giao lưu thể thao với {org}", "Sports exchange with {org}"),
    "other": ("Làm việc với {org}", "Working session with {org}"),
}
LOCATIONS = {
    "VN": ["Cao Lãnh", "Sa Đéc", "Mỹ Tho", "Hồng Ngự", ""],
    "KH": ["Prey Veng", "Phnom Penh", "Svay Rieng", ""],
    "LA": ["Pakse", "Vientiane", "Champasak", ""],
    "TH": ["Udon Thani", "Bangkok", "Khon Kaen", ""],
}
AT_EVENT_KINDS = {"event_participation", "meeting", "inbound_delegation", "outbound_delegation"}


def step_events(context: Context, count: int) -> None:
    rng = context.rng("events")
    if not Anniversary.objects.filter(code__isnull=False).exists():
        from contacts.reference import load_reference

        load_reference()  # idempotent: the reference anniversaries come with it
    if not context.units or not context.pillars:
        raise SyntheticError("Events need the reference units and pillars.")
    today = context.today
    history_start = today.replace(year=today.year - HISTORY_YEARS)
    history_days = (today - history_start).days
    window_start = today - datetime.timedelta(days=WINDOW_DAYS_BACK)
    window_end = today.replace(year=today.year + WINDOW_YEARS_AHEAD)
    window_days = (window_end - window_start).days
    kinds, kind_weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    codes, code_weights = list(COUNTRY_WEIGHTS), list(COUNTRY_WEIGHTS.values())
    others = sorted(set(context.countries) - set(COUNTRY_WEIGHTS))
    plans = []
    for n in range(count):
        if rng.random() < WINDOW_SHARE:
            first = window_start + datetime.timedelta(days=rng.randrange(window_days + 1))
        else:
            ago = rng.randrange(history_days)
            if rng.random() < 0.33:
                ago = min(ago, rng.randrange(history_days))
            first = today - datetime.timedelta(days=ago)
        kind = rng.choices(kinds, weights=kind_weights)[0]
        if rng.random() < 0.9 or not others:
            code = rng.choices(codes, weights=code_weights)[0]
        else:
            code = rng.choice(others)
        country = context.countries.get(code)
        org_pool = context.organizations_by_country.get(code, [])
        org_indexes = sorted(set(rng.sample(org_pool, min(len(org_pool), rng.randint(0, 3)))))
        people_pool = context.people_by_country.get(code, [])
        people = sorted(set(rng.sample(people_pool, min(len(people_pool), rng.randint(0, 4)))))
        event = Event(
            kind=kind,
            country=country if rng.random() < 0.95 else None,
            location=rng.choice(LOCATIONS.get(code, [""])),
            visibility=rng.choices(["public", "internal", "restricted"], weights=[35, 60, 5])[0],
            owner_unit=rng.choice(context.units),
            status=_status(rng, first, today),
        )
        _titles(event, kind, country, context, org_indexes, n + 1)
        _days(rng, event, first, ZONES.get(code, "Asia/Ho_Chi_Minh"))
        if rng.random() < 0.7:
            event.budget_planned = rng.randrange(5, 2000) * 1_000_000  # VND
            if event.status == Event.Status.DONE:
                event.budget_spent = event.budget_planned * rng.randint(60, 110) // 100
        _with_search_columns(
            event,
            organizations=[context.organizations[o] for o in org_indexes],
            people=[context.people[p] for p in people],
        )
        plans.append(
            (
                event,
                org_indexes,
                people,
                rng.sample(context.staff, min(len(context.staff), rng.randint(1, 3))),
                rng.sample(context.pillars, rng.randint(1, 2)),
            )
        )

    saved = context.insert(Event, (plan[0] for plan in plans), "events", count)
    _insert_links(context, plans, saved)
    _link_interactions(context, rng, saved, today)


def _status(rng, first: datetime.date, today: datetime.date) -> str:
    if first < today:
        return rng.choices(["done", "cancelled", "confirmed"], weights=[88, 8, 4])[0]
    return rng.choices(["planned", "confirmed", "cancelled"], weights=[55, 40, 5])[0]


def _titles(event: Event, kind: str, country, context: Context, org_indexes, number: int) -> None:
    title_vi, title_en = TITLES[kind]
    if org_indexes:
        organization = context.organizations[org_indexes[0]]
        org_vi, org_en = organization.name_vi, organization.name_en
    else:
        org_vi = country.name_vi if country else "đối tác nước ngoài"
        org_en = country.name_en if country else "foreign partners"
    country_vi = country.name_vi if country else "các nước ASEAN"
    country_en = country.name_en if country else "ASEAN countries"
    event.title_vi = title_vi.format(country=country_vi, org=org_vi) + f" (#{number})"
    event.title_en = title_en.format(country=country_en, org=org_en) + f" (#{number})"
    event.description_vi = EVENT_MARKER
    event.description_en = "Fictional event (synthetic data)."


def _days(rng, event: Event, first: datetime.date, zone_name: str) -> None:
    """All day (one or several days) or timed in the country's zone; the dates derived."""
    length = rng.choice([1, 1, 1, 1, 1, 1, 2, 2, 3, 5])  # days
    event.time_zone = zone_name
    if rng.random() < 0.6:
        event.all_day = True
        event.start_date = first
        event.end_date = first + datetime.timedelta(days=length - 1)
    else:
        event.all_day = False
        zone = zoneinfo.ZoneInfo(zone_name)
        start = datetime.datetime.combine(
            first, datetime.time(rng.randint(7, 16), rng.choice([0, 30])), tzinfo=zone
        )
        if length == 1:
            end = start + datetime.timedelta(minutes=rng.choice([60, 90, 120, 180, 240]))
        else:
            end = datetime.datetime.combine(
                first + datetime.timedelta(days=length - 1), datetime.time(17, 0), tzinfo=zone
            )
        event.starts_at, event.ends_at = start, end
    event.derive_dates()


def _insert_links(context: Context, plans, saved) -> None:
    organizations = Event.organizations.through
    people = Event.people.through
    staff = Event.staff.through
    pillars = Event.pillars.through
    rows: dict[str, list] = defaultdict(list)
    for (_e, org_indexes, person_indexes, users, tags), event in zip(plans, saved, strict=True):
        rows["orgs"] += [
            organizations(event_id=event.pk, organization_id=context.organizations[i].pk)
            for i in org_indexes
        ]
        rows["people"] += [
            people(event_id=event.pk, person_id=context.people[i].pk) for i in person_indexes
        ]
        rows["staff"] += [staff(event_id=event.pk, user_id=user.pk) for user in users]
        rows["pillars"] += [pillars(event_id=event.pk, pillartag_id=tag.pk) for tag in tags]
    context.insert(organizations, rows["orgs"], "event orgs", len(rows["orgs"]))
    context.insert(people, rows["people"], "event people", len(rows["people"]))
    context.insert(staff, rows["staff"], "event staff", len(rows["staff"]))
    context.insert(pillars, rows["pillars"], "event pillars", len(rows["pillars"]))


def _link_interactions(context: Context, rng, events: list[Event], today: datetime.date) -> None:
    """About a third of the past, held events get one to three interactions of their days."""
    held = [
        event
        for event in events
        if event.end_date < today and event.status in (Event.Status.DONE, Event.Status.CONFIRMED)
    ]
    if not held:
        return
    first_day = min(event.start_date for event in held)
    by_day: dict[datetime.date, list[int]] = defaultdict(list)
    taken = set(EventInteraction.objects.values_list("interaction_id", flat=True))
    candidates = (
        Interaction.objects.filter(occurred_on__gte=first_day, kind__in=AT_EVENT_KINDS)
        .order_by("occurred_on", "pk")
        .values_list("pk", "occurred_on")
    )
    for pk, day in candidates.iterator(chunk_size=10_000):
        if pk not in taken:
            by_day[day].append(pk)
    links = []
    for event in held:
        if rng.random() >= 0.33:
            continue
        pool = [
            pk
            for offset in range((event.end_date - event.start_date).days + 1)
            for pk in by_day.get(event.start_date + datetime.timedelta(days=offset), ())
            if pk not in taken
        ]
        for pk in rng.sample(pool, min(len(pool), rng.randint(1, 3))):
            taken.add(pk)
            links.append(EventInteraction(interaction_id=pk, event_id=event.pk))
    context.insert(EventInteraction, links, "interactions at events", len(links))
