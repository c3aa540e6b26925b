"""Fictional demo data for the admin, the API and the briefings: `load_demo()`.

The data lives in `fixtures/demo/*.toml` (a directory of staff, organisations and people, and a
contact log) and stands on the reference data (`load_reference`): countries by ISO code, the
units `so-ngoai-vu` and `lhhn`, and the counterpart provinces by ISO 3166-2 code (KH-14 Prey
Veng, LA-CH Champasak).

Every person is invented, and every person's notes start with `PERSON_MARKER`; organisations
that are not reference data say `ORGANIZATION_MARKER` in their notes.

Dates are relative to the day of the load (`timezone.localdate()`), so the demo always shows
three years of history up to today. Given that day the load is deterministic: the routine calls
and e-mails are drawn with `random.Random(SEED)`.

Rows are upserted by natural key and saved only when something differs, so a second load (the
same day) creates, changes and records nothing:

- staff user: username; tag: name;
- organisation: subdivision_code for reference provinces, else (name_native, country);
- person: (full_name_native, owner_unit); contact point: (owner, kind, E.164 or value);
- position: (person, organisation, title);
- interaction: subject, unique across the demo (so a load on a later day moves the dates
  rather than adding a second copy); participant: (interaction, person);
  follow-up: (interaction, action);
- agreement: title.
"""

import calendar
import datetime
import random
import tomllib
import zoneinfo
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

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
from crm.models import SearchableModel

SEED = 20250701
PERSON_MARKER = "Nhân vật hư cấu (dữ liệu demo) / Fictional person (demo data)."
ORGANIZATION_MARKER = "Dữ liệu demo / demo data."
CHANGE_REASON = "load_demo"
HISTORY_DAYS = 3 * 365  # greetings and routine contacts cover the last three years
DONE_AT = datetime.time(16, 30)
LOCAL_ZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

REQUIRED_COUNTRIES = ("VN", "KH", "LA", "TH", "AU")
REQUIRED_UNITS = ("so-ngoai-vu", "lhhn")
REQUIRED_PROVINCES = ("KH-14", "LA-CH")


# Steps that apps above contacts add (events: demo events), run after the contact log with the
# loader (its lookups by key, `_upsert`, `today`). Registered from their AppConfig.ready().
EXTRA_STEPS: list = []


def register_step(step) -> None:
    if step not in EXTRA_STEPS:
        EXTRA_STEPS.append(step)


class DemoDataError(ValueError):
    """A demo fixture is malformed or holds a record the models reject."""


class MissingReferenceDataError(DemoDataError):
    """The reference data the demo stands on is not in the database."""


def default_directory() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "demo"


def load_demo(today: datetime.date | None = None, directory: Path | None = None) -> dict[str, int]:
    """Upsert the demo data and return how many demo rows of each kind exist.

    The counts are of the rows the demo defines (not of the whole tables), plus `created` and
    `changed`: the rows (and many-to-many sets) this run wrote, 0 and 0 on a repeated load.
    One transaction: a bad record leaves the database as it was.
    """
    today = today or timezone.localdate()
    directory_data, log_data = read_fixtures(directory)
    with transaction.atomic():
        loader = _Loader(today, directory_data, log_data)
        loader.run()
    return loader.summary()


def read_fixtures(directory: Path | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The parsed `directory.toml` and `log.toml`."""
    directory = default_directory() if directory is None else Path(directory)
    return _read(directory / "directory.toml"), _read(directory / "log.toml")


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise DemoDataError(f"{path}: file not found.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DemoDataError(f"{path}: not valid TOML: {exc}") from exc


# ---------------------------------------------------------------------------------------------
# Dates


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _position_date(
    value: int | str | None, today: datetime.date, anchors: dict[str, int]
) -> datetime.date | None:
    """`N` days ago, or an anchor's days ago, rounded down to the first of the month."""
    if value is None:
        return None
    if isinstance(value, str):
        if value not in anchors:
            raise DemoDataError(f"Unknown date anchor {value!r}.")
        value = anchors[value]
    return month_start(today - datetime.timedelta(days=value))


def _held_on(position: dict[str, Any], day: datetime.date) -> bool:
    started = position["start_date"] is None or position["start_date"] <= day
    return started and (position["end_date"] is None or position["end_date"] > day)


# ---------------------------------------------------------------------------------------------
# The plan: plain data computed from the fixtures, the day and the seed (no database)


def plan_positions(directory_data: dict[str, Any], today: datetime.date) -> list[dict[str, Any]]:
    anchors = directory_data.get("anchors", {})
    positions = []
    for person in directory_data.get("person", []):
        for spec in person.get("positions", []):
            positions.append(
                {
                    "person": person["key"],
                    "org": spec["org"],
                    "title": spec["title"],
                    "department": spec.get("department", ""),
                    "start_date": _position_date(spec.get("start_ago"), today, anchors),
                    "end_date": _position_date(spec.get("end_ago"), today, anchors),
                    "is_primary": spec.get("primary", False),
                }
            )
    return positions


def plan_interactions(
    directory_data: dict[str, Any], log_data: dict[str, Any], today: datetime.date
) -> list[dict[str, Any]]:
    """Every demo interaction as a dict of resolved values (dates, time), oldest first."""
    positions = plan_positions(directory_data, today)
    people = {person["key"]: person for person in directory_data.get("person", [])}
    plan = [_scripted(spec, today) for spec in log_data.get("interaction", [])]
    plan += _greetings(log_data.get("greeting", []), positions, today)
    used = {item["subject"] for item in plan}
    plan += _routine(log_data.get("routine", {}), directory_data, people, used, today)

    subjects = Counter(item["subject"] for item in plan)
    duplicates = [subject for subject, count in subjects.items() if count > 1]
    if duplicates:
        raise DemoDataError(f"Interaction subjects must be unique; repeated: {duplicates}.")
    for item in plan:
        for follow_up in item["follow_ups"]:
            if follow_up["done_at"] is not None and follow_up["done_at"].date() >= today:
                raise DemoDataError(
                    f"{item['subject']!r}: follow-up {follow_up['action']!r} is done in the future."
                )
    return sorted(plan, key=lambda item: (item["occurred_on"], item["subject"]))


def _follow_up(spec: dict[str, Any], occurred_on: datetime.date) -> dict[str, Any]:
    status = spec.get("status", FollowUp.Status.OPEN)
    done_at = None
    if status == FollowUp.Status.DONE:
        done_on = occurred_on + datetime.timedelta(days=spec["done_after"])
        done_at = datetime.datetime.combine(done_on, DONE_AT, tzinfo=LOCAL_ZONE)
    due_after = spec.get("due_after")
    return {
        "action": spec["action"],
        "details": spec.get("details", ""),
        "assignee": spec.get("assignee"),
        "due_on": None if due_after is None else occurred_on + datetime.timedelta(days=due_after),
        "status": status,
        "done_at": done_at,
    }


def _interaction(spec: dict[str, Any], occurred_on: datetime.date) -> dict[str, Any]:
    time = spec.get("time")
    return {
        "occurred_on": occurred_on,
        "occurred_time": datetime.time.fromisoformat(time) if time else None,
        "time_zone": spec.get("time_zone", "Asia/Ho_Chi_Minh"),
        "kind": spec["kind"],
        "subject": spec["subject"],
        "summary": spec.get("summary", ""),
        "outcome": spec.get("outcome", ""),
        "location": spec.get("location", ""),
        "confidentiality": spec.get("confidentiality", "internal"),
        "owner": spec["owner"],
        "organizations": list(spec.get("organizations", [])),
        "participants": [tuple(pair) for pair in spec.get("participants", [])],
        "staff": list(spec.get("staff", [])),
        "pillars": list(spec.get("pillars", [])),
        "follow_ups": [_follow_up(item, occurred_on) for item in spec.get("follow_ups", [])],
    }


def _scripted(spec: dict[str, Any], today: datetime.date) -> dict[str, Any]:
    return _interaction(spec, today - datetime.timedelta(days=spec["days_ago"]))


def _greetings(
    specs: list[dict[str, Any]], positions: list[dict[str, Any]], today: datetime.date
) -> list[dict[str, Any]]:
    """Each greeting on its calendar date in every year of the last three (up to today)."""
    earliest = today - datetime.timedelta(days=HISTORY_DAYS)
    plan = []
    for spec in specs:
        for year in range(earliest.year, today.year + 1):
            day = spec["day"]
            if (spec["month"], day) == (2, 29) and not calendar.isleap(year):
                day = 28
            sent_on = datetime.date(year, spec["month"], day)
            if not earliest <= sent_on <= today:
                continue
            words = {"year": year, "nth": year - spec["since"] if "since" in spec else ""}
            item = _interaction(
                {
                    **spec,
                    "kind": "greetings",
                    "subject": spec["subject"].format(**words),
                    "summary": spec.get("summary", "").format(**words),
                    "confidentiality": spec.get("confidentiality", "public"),
                },
                sent_on,
            )
            recipient = _recipient(spec.get("recipient", {}), positions, sent_on)
            if recipient:
                item["participants"] = [(recipient, "Người nhận")]
            plan.append(item)
    return plan


def _recipient(
    spec: dict[str, Any], positions: list[dict[str, Any]], day: datetime.date
) -> str | None:
    """Who held the post (org, title) on `day`; or the named person if in post then."""
    if "person" in spec:
        held = [p for p in positions if p["person"] == spec["person"]]
        if not held or any(_held_on(p, day) for p in held):
            return spec["person"]
        return None
    for position in positions:
        if (
            position["org"] == spec.get("org")
            and position["title"] == spec.get("title")
            and _held_on(position, day)
        ):
            return position["person"]
    return None


ROUTINE_WORDING = {
    "phone_call": ("Điện thoại với {who} về {topic}", "Trao đổi qua điện thoại về {topic}."),
    "email": ("Thư điện tử với {who} về {topic}", "Trao đổi qua thư điện tử về {topic}."),
    "video_call": ("Gọi video với {who} về {topic}", "Họp trực tuyến ngắn về {topic}."),
}


def _routine(
    spec: dict[str, Any],
    directory_data: dict[str, Any],
    people: dict[str, dict[str, Any]],
    used: set[str],
    today: datetime.date,
) -> list[dict[str, Any]]:
    """Routine calls and e-mails drawn with a fixed seed: the same list for the same day."""
    if not spec:
        return []
    rng = random.Random(SEED)
    staff_by_unit: dict[str, list[str]] = {}
    for member in directory_data.get("staff", []):
        for unit in member["units"]:
            staff_by_unit.setdefault(unit, []).append(member["username"])
    actions = spec.get("follow_ups", {}).get("actions", [])
    # A contact is not called before they took up their first post.
    in_post_since: dict[str, int] = {}
    for position in plan_positions(directory_data, today):
        if position["start_date"] is not None:
            days = (today - position["start_date"]).days
            in_post_since[position["person"]] = max(days, in_post_since.get(position["person"], 0))
    plan: list[dict[str, Any]] = []
    attempts = 0
    while len(plan) < spec["count"]:
        attempts += 1
        if attempts > spec["count"] * 20:
            raise DemoDataError("Too few routine contacts and topics for `count` unique ones.")
        # Every round draws the same values in the same order whatever the day, so the subjects
        # (the natural key) are the same from one day to the next; only the dates move.
        contact = rng.choice(spec["contact"])
        topic, pillar = rng.choice(contact["topics"])
        kind = rng.choice(spec["kinds"])
        when = rng.random()
        hour, minute = rng.randint(8, 16), rng.choice([0, 15, 30, 45])
        confidentiality = rng.choices(["internal", "public", "restricted"], weights=[80, 12, 8])[0]
        staff = rng.choice(staff_by_unit[contact["owner"]])
        wants_follow_up = rng.random() < 0.35
        action = rng.choice(actions) if actions else ""
        assignee = rng.choice(staff_by_unit[contact["owner"]])
        due_after = rng.randint(5, 21)
        outcome = rng.choices(["done", "cancelled", "open"], weights=[70, 15, 15])[0]
        done_after = rng.randint(1, due_after + 3)

        person = people[contact["person"]]
        who = " ".join(filter(None, [person.get("honorific"), person.get("name_vi")]))
        subject_template, summary_template = ROUTINE_WORDING[kind]
        subject = subject_template.format(who=who, topic=topic)
        if subject in used:
            continue
        used.add(subject)
        latest = min(HISTORY_DAYS, in_post_since.get(contact["person"], HISTORY_DAYS))
        days_ago = 2 + int(when * (latest - 2))
        follow_ups = []
        if wants_follow_up and action:
            follow_ups.append(
                {
                    "action": action,
                    "assignee": assignee,
                    "due_after": due_after,
                    # Due date passed: mostly done by now; else still open.
                    "status": outcome if days_ago > due_after else "open",
                    "done_after": min(done_after, days_ago - 1),
                }
            )
        plan.append(
            _interaction(
                {
                    "kind": kind,
                    "subject": subject,
                    "summary": summary_template.format(topic=topic) + " (Nội dung demo.)",
                    "time": None if kind == "email" else f"{hour:02d}:{minute:02d}",
                    "confidentiality": confidentiality,
                    "owner": contact["owner"],
                    "organizations": [contact["org"]] if contact.get("org") else [],
                    "participants": [(contact["person"], "Đầu mối liên hệ")],
                    "staff": [staff],
                    "pillars": [pillar],
                    "follow_ups": follow_ups,
                },
                today - datetime.timedelta(days=days_ago),
            )
        )
    return plan


# ---------------------------------------------------------------------------------------------
# Writing


def _comparable(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


class _Loader:
    def __init__(
        self, today: datetime.date, directory_data: dict[str, Any], log_data: dict[str, Any]
    ):
        self.today = today
        self.directory = directory_data
        self.log = log_data
        self.created = 0
        self.changed = 0
        self.counts: dict[str, int] = {}
        self.countries: dict[str, Country] = {}
        self.units: dict[str, Unit] = {}
        self.pillars: dict[str, PillarTag] = {}
        self.orgs: dict[str, Organization] = {}
        self.people: dict[str, Person] = {}
        self.users: dict[str, Any] = {}
        self.tags: dict[str, Tag] = {}

    def run(self) -> None:
        self.check_reference()
        self.load_staff()
        self.load_tags()
        self.load_organizations()
        self.load_people()
        self.load_interactions()
        self.load_agreements()
        for step in EXTRA_STEPS:
            step(self)

    def summary(self) -> dict[str, int]:
        return {**self.counts, "created": self.created, "changed": self.changed}

    # --- helpers ---

    def _save(self, obj: models.Model, what: str) -> None:
        try:
            obj.full_clean()
        except ValidationError as exc:
            raise DemoDataError(f"{what}: {exc.message_dict}") from exc
        obj._change_reason = CHANGE_REASON  # django-simple-history's history_change_reason
        obj.save()

    def _upsert(
        self,
        model: type[models.Model],
        lookup: dict[str, Any],
        values: dict[str, Any],
        what: str,
        on_create=None,
    ) -> Any:
        obj = model._default_manager.filter(**lookup).order_by("pk").first()
        if obj is None:
            obj = model(**lookup, **values)
            if on_create is not None:
                on_create(obj)
            self._save(obj, what)
            self.created += 1
            return obj
        changed = False
        for name, value in values.items():
            field = model._meta.get_field(name)
            current = getattr(obj, field.attname)
            if current != _comparable(value):
                setattr(obj, name, value)
                changed = True
        if changed:
            self._save(obj, what)
            self.changed += 1
        return obj

    def _set(self, manager, objs: Iterable[models.Model]) -> None:
        objs = list(objs)
        if set(manager.values_list("pk", flat=True)) != {obj.pk for obj in objs}:
            manager.set(objs)
            self.changed += 1
            if isinstance(manager.instance, SearchableModel):
                manager.instance.refresh_search()  # it is found by its related rows' names

    def _lookup(self, table: dict[str, Any], key: str, what: str) -> Any:
        try:
            return table[key]
        except KeyError:
            raise DemoDataError(f"Unknown {what} {key!r} in the demo fixtures.") from None

    # --- reference data ---

    def check_reference(self) -> None:
        self.countries = {c.code: c for c in Country.objects.filter(code__in=REQUIRED_COUNTRIES)}
        self.units = {u.code: u for u in Unit.objects.filter(code__in=REQUIRED_UNITS)}
        provinces = Organization.objects.filter(subdivision_code__in=REQUIRED_PROVINCES)
        self.orgs = {org.subdivision_code: org for org in provinces}
        self.pillars = {p.code: p for p in PillarTag.objects.all()}
        missing = [f"country {code}" for code in REQUIRED_COUNTRIES if code not in self.countries]
        missing += [f"unit {code!r}" for code in REQUIRED_UNITS if code not in self.units]
        missing += [
            f"counterpart province {code}" for code in REQUIRED_PROVINCES if code not in self.orgs
        ]
        missing += [
            f"ASEAN pillar {code}"
            for code in ("political_security", "economic", "socio_cultural")
            if code not in self.pillars
        ]
        if missing:
            raise MissingReferenceDataError(
                "The demo data needs the reference data, which is missing: "
                + ", ".join(missing)
                + ". Run `python manage.py migrate` and `python manage.py load_reference` "
                "first, then `python manage.py load_demo`."
            )

    # --- directory ---

    def load_staff(self) -> None:
        user_model = get_user_model()
        for spec in self.directory.get("staff", []):
            user = self._upsert(
                user_model,
                {"username": spec["username"]},
                {
                    "first_name": spec["first_name"],
                    "last_name": spec["last_name"],
                    "email": spec["email"],
                    "is_active": True,
                },
                f"staff {spec['username']}",
                on_create=lambda user: user.set_unusable_password(),
            )
            self.users[spec["username"]] = user
            role = Group.objects.get(name=spec["role"])
            if not user.groups.filter(pk=role.pk).exists():
                user.groups.add(role)
                self.changed += 1
            for code in spec["units"]:
                unit = self._lookup(self.units, code, "unit")
                if not unit.members.filter(pk=user.pk).exists():
                    unit.members.add(user)
                    self.changed += 1
        self.counts["staff"] = len(self.users)

    def load_tags(self) -> None:
        for name in self.directory.get("tags", {}).get("names", []):
            self.tags[name] = self._upsert(Tag, {"name": name}, {}, f"tag {name}")
        self.counts["tags"] = len(self.tags)

    def _contact_points(self, owner: Person | Organization, specs: list[dict], what: str) -> int:
        for spec in specs:
            point = ContactPoint(
                kind=spec["kind"],
                value=spec["value"],
                label=spec.get("label", ""),
                is_primary=spec.get("primary", False),
            )
            if isinstance(owner, Person):
                point.person = owner
            else:
                point.organization = owner
            try:
                point.full_clean()  # normalises phones to E.164, e-mails to lower case
            except ValidationError as exc:
                raise DemoDataError(f"{what}, contact {spec['value']}: {exc.messages}") from exc
            owner_field = "person" if isinstance(owner, Person) else "organization"
            self._upsert(
                ContactPoint,
                {owner_field: owner, "kind": point.kind, "value": point.value},
                {"label": point.label, "is_primary": point.is_primary},
                f"{what}, contact {spec['value']}",
            )
        return len(specs)

    def load_organizations(self) -> None:
        contact_count = 0
        for spec in self.directory.get("organization", []):
            what = f"organisation {spec['key']}"
            country = self._lookup(self.countries, spec["country"], "country")
            notes = " ".join(filter(None, [ORGANIZATION_MARKER, spec.get("notes", "")]))
            org = self._upsert(
                Organization,
                {"name_native": spec["name_native"], "country": country},
                {
                    "name_vi": spec.get("name_vi", ""),
                    "name_en": spec.get("name_en", ""),
                    "abbreviation": spec.get("abbreviation", ""),
                    "kind": spec["kind"],
                    "region": spec.get("region", ""),
                    "relationship_status": spec.get("relationship_status", "active"),
                    "notes": notes,
                    "owner_unit": self._lookup(self.units, spec["owner"], "unit"),
                },
                what,
            )
            self._set(
                org.pillars,
                [self._lookup(self.pillars, p, "pillar") for p in spec.get("pillars", [])],
            )
            self._set(org.tags, [self._lookup(self.tags, t, "tag") for t in spec.get("tags", [])])
            contact_count += self._contact_points(org, spec.get("contacts", []), what)
            self.orgs[spec["key"]] = org
        self.counts["organizations"] = len(self.directory.get("organization", []))
        self.counts["organization_contact_points"] = contact_count

    def load_people(self) -> None:
        contact_count = 0
        for spec in self.directory.get("person", []):
            what = f"person {spec['key']}"
            birth = list(spec.get("birth", []))  # [year], [year, month, day]; year 0: unknown
            year = (birth[0] or None) if birth else None
            month, day = (birth[1], birth[2]) if len(birth) == 3 else (None, None)
            country = {
                field: self._lookup(self.countries, spec[field], "country")
                if spec.get(field)
                else None
                for field in ("nationality", "residence")
            }
            person = self._upsert(
                Person,
                {
                    "full_name_native": spec["full_name_native"],
                    "owner_unit": self._lookup(self.units, spec["owner"], "unit"),
                },
                {
                    "name_latin": spec.get("name_latin", ""),
                    "name_vi": spec.get("name_vi", ""),
                    "honorific": spec.get("honorific", ""),
                    "gender": spec.get("gender", ""),
                    "nationality": country["nationality"],
                    "residence_country": country["residence"],
                    "category": spec["category"],
                    "home_commune": spec.get("home_commune", ""),
                    "home_commune_former": spec.get("home_commune_former", ""),
                    "occupation": spec.get("occupation", ""),
                    "languages": list(spec.get("languages", [])),
                    "birth_year": year,
                    "birth_month": month,
                    "birth_day": day,
                    "notes": " ".join(filter(None, [PERSON_MARKER, spec.get("notes", "")])),
                },
                what,
            )
            self._set(
                person.tags, [self._lookup(self.tags, t, "tag") for t in spec.get("tags", [])]
            )
            contact_count += self._contact_points(person, spec.get("contacts", []), what)
            self.people[spec["key"]] = person
        self.counts["people"] = len(self.people)
        self.counts["person_contact_points"] = contact_count

        positions = plan_positions(self.directory, self.today)
        for position in positions:
            person = self.people[position["person"]]
            org = self._lookup(self.orgs, position["org"], "organisation")
            self._upsert(
                Position,
                {"person": person, "organization": org, "title": position["title"]},
                {
                    "department": position["department"],
                    "start_date": position["start_date"],
                    "end_date": position["end_date"],
                    "is_primary": position["is_primary"],
                },
                f"position {position['title']} of {position['person']}",
            )
        self.counts["positions"] = len(positions)

    # --- log ---

    def load_interactions(self) -> None:
        plan = plan_interactions(self.directory, self.log, self.today)
        participants = follow_ups = 0
        for item in plan:
            what = f"interaction {item['subject']!r}"
            interaction = self._upsert(
                Interaction,
                {"subject": item["subject"]},
                {
                    "occurred_on": item["occurred_on"],
                    "occurred_time": item["occurred_time"],
                    "time_zone": item["time_zone"],
                    "kind": item["kind"],
                    "summary": item["summary"],
                    "outcome": item["outcome"],
                    "location": item["location"],
                    "confidentiality": item["confidentiality"],
                    "owner_unit": self._lookup(self.units, item["owner"], "unit"),
                },
                what,
            )
            self._set(
                interaction.organizations,
                [self._lookup(self.orgs, key, "organisation") for key in item["organizations"]],
            )
            self._set(
                interaction.staff,
                [self._lookup(self.users, name, "staff") for name in item["staff"]],
            )
            self._set(
                interaction.pillars,
                [self._lookup(self.pillars, code, "pillar") for code in item["pillars"]],
            )
            for person_key, role in item["participants"]:
                self._upsert(
                    Participant,
                    {
                        "interaction": interaction,
                        "person": self._lookup(self.people, person_key, "person"),
                    },
                    {"role": role},
                    f"{what}, participant {person_key}",
                )
                participants += 1
            for follow_up in item["follow_ups"]:
                assignee = follow_up["assignee"]
                self._upsert(
                    FollowUp,
                    {"interaction": interaction, "action": follow_up["action"]},
                    {
                        "details": follow_up["details"],
                        "due_on": follow_up["due_on"],
                        "assignee": self._lookup(self.users, assignee, "staff")
                        if assignee
                        else None,
                        "status": follow_up["status"],
                        "done_at": follow_up["done_at"],
                    },
                    f"{what}, follow-up {follow_up['action']!r}",
                )
                follow_ups += 1
        self.counts["interactions"] = len(plan)
        self.counts["participants"] = participants
        self.counts["follow_ups"] = follow_ups

    def load_agreements(self) -> None:
        specs = self.log.get("agreement", [])
        for spec in specs:
            signed_on = None
            if "signed_ago" in spec:
                signed_on = self.today - datetime.timedelta(days=spec["signed_ago"])
            valid_until = spec.get("valid_until")
            if valid_until is None and signed_on is not None and "valid_years" in spec:
                valid_until = _add_years(signed_on, spec["valid_years"])
            agreement = self._upsert(
                Agreement,
                {"title": spec["title"]},
                {
                    "kind": spec["kind"],
                    "signed_on": signed_on,
                    "signed_at": spec.get("signed_at", ""),
                    "valid_until": valid_until,
                    "status": spec["status"],
                    "summary": spec.get("summary", ""),
                    "owner_unit": self._lookup(self.units, spec["owner"], "unit"),
                },
                f"agreement {spec['title']!r}",
            )
            self._set(
                agreement.parties,
                [self._lookup(self.orgs, key, "organisation") for key in spec.get("parties", [])],
            )
        self.counts["agreements"] = len(specs)


def _add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later, less one day (a five-year term ends the day before)."""
    target_year = day.year + years
    if (day.month, day.day) == (2, 29) and not calendar.isleap(target_year):
        return datetime.date(target_year, 3, 1) - datetime.timedelta(days=1)
    return datetime.date(target_year, day.month, day.day) - datetime.timedelta(days=1)
