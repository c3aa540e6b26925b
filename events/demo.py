"""Fictional demo events (fixtures/demo/events.toml), loaded by `load_demo` after the contact
log, with the same loader (lookups by key, upsert by natural key: the Vietnamese title)."""

import datetime
import tomllib
import zoneinfo
from pathlib import Path
from typing import Any

from django.conf import settings

from contacts.demo import DemoDataError
from contacts.models import Interaction
from events.models import Anniversary, Event, EventInteraction


def events_file() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "demo" / "events.toml"


def load_demo_events(loader) -> None:
    with events_file().open("rb") as handle:
        specs = tomllib.load(handle).get("event", [])
    links = 0
    for spec in specs:
        what = f"event {spec['title_vi']!r}"
        event = loader._upsert(Event, {"title_vi": spec["title_vi"]}, _values(loader, spec), what)
        loader._set(
            event.organizations,
            [
                loader._lookup(loader.orgs, key, "organisation")
                for key in spec.get("organizations", [])
            ],
        )
        loader._set(
            event.people,
            [loader._lookup(loader.people, key, "person") for key in spec.get("people", [])],
        )
        loader._set(
            event.staff,
            [loader._lookup(loader.users, name, "staff") for name in spec.get("staff", [])],
        )
        loader._set(
            event.pillars,
            [loader._lookup(loader.pillars, code, "pillar") for code in spec.get("pillars", [])],
        )
        for subject in spec.get("interactions", []):
            interaction = Interaction.objects.filter(subject=subject).first()
            if interaction is None:
                raise DemoDataError(f"{what}: no demo interaction {subject!r}.")
            loader._upsert(EventInteraction, {"interaction": interaction}, {"event": event}, what)
            links += 1
    loader.counts["events"] = len(specs)
    loader.counts["interactions_at_events"] = links


def _values(loader, spec: dict[str, Any]) -> dict[str, Any]:
    start, end = _days(loader.today, spec)
    values = {
        "title_en": spec.get("title_en", ""),
        "description_vi": spec.get("description_vi", ""),
        "kind": spec["kind"],
        "status": spec["status"],
        "all_day": "time" not in spec,
        "start_date": start,
        "end_date": end,
        "starts_at": None,
        "ends_at": None,
        "time_zone": spec.get("time_zone", "Asia/Ho_Chi_Minh"),
        "location": spec.get("location", ""),
        "country": loader.countries.get(spec["country"]) if "country" in spec else None,
        "visibility": spec.get("visibility", "internal"),
        "owner_unit": loader._lookup(loader.units, spec["owner"], "unit"),
        "budget_planned": spec.get("budget_planned"),
        "budget_spent": spec.get("budget_spent"),
    }
    if "time" in spec:
        zone = zoneinfo.ZoneInfo(values["time_zone"])
        values["starts_at"] = _at(start, spec["time"], zone)
        values["ends_at"] = _at(start, spec["until"], zone)
    return values


def _days(today: datetime.date, spec: dict[str, Any]) -> tuple[datetime.date, datetime.date]:
    if "on_anniversary" in spec:
        anniversary = Anniversary.objects.filter(code=spec["on_anniversary"]).first()
        if anniversary is None:
            raise DemoDataError(
                f"No reference anniversary {spec['on_anniversary']!r}: load_reference first."
            )
        milestone = anniversary.next_milestone(today)
        if milestone is None:
            raise DemoDataError(f"{spec['on_anniversary']!r} has no milestones.")
        return milestone.date, milestone.date
    start = today + datetime.timedelta(days=spec["starts_in"])
    return start, start + datetime.timedelta(days=spec.get("days", 1) - 1)


def _at(day: datetime.date, hhmm: str, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime.datetime.combine(day, datetime.time(hours, minutes), tzinfo=zone)
