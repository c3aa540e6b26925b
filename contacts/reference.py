"""Reference data: countries, the staff's units and the counterpart provinces, from TOML files.

The fixtures live in `fixtures/reference/` as TOML rather than JSON so that every record can
carry a comment citing its source; Python's `tomllib` reads them. Rows are matched by natural
key (Country.code, Unit.code, Organization.subdivision_code), never by database id, so the same
files load into any database, any number of times.
"""

import logging
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction

from contacts.models import Country, Organization, Unit
from crm.text import normalize_name

logger = logging.getLogger(__name__)

CHANGE_REASON = "load_reference"


class ReferenceDataError(ValueError):
    """A fixture file is missing, malformed, or holds a record the models reject."""


@dataclass(frozen=True)
class FixtureSpec:
    """How one fixture file maps onto one model.

    `authoritative` fields are written back on every load: the fixture is the source of truth
    for them. `seed` fields only give a new row its first value; after that they belong to the
    staff (a partnership's status, their notes, a unit renamed after a merger). Keys in `ignored`
    may appear in the file for the record (citations) but are not stored.
    """

    model: type[models.Model]
    filename: str
    table: str
    key: str
    authoritative: frozenset[str]
    seed: frozenset[str] = frozenset()
    ignored: frozenset[str] = frozenset()

    @property
    def allowed(self) -> frozenset[str]:
        return frozenset({self.key}) | self.authoritative | self.seed | self.ignored


# In load order: organisations point at countries. Higher apps add theirs with `register()`.
SPECS: list[FixtureSpec] = [
    FixtureSpec(
        model=Country,
        filename="countries.toml",
        table="country",
        key="code",
        authoritative=frozenset(
            {
                "name_vi",
                "name_en",
                "name_native",
                "asean_joined_on",
                "national_day_month",
                "national_day_day",
                "national_day_name_vi",
                "national_day_name_en",
                "diplomatic_relations_on",
                "notes_vi",
                "notes_en",
                "source",
            }
        ),
    ),
    FixtureSpec(
        model=Unit,
        filename="units.toml",
        table="unit",
        key="code",
        # Units are data, not code, and whether the Department of Foreign Affairs survived the
        # 2025 restructuring is unverified: an administrator's rename must survive a reload.
        authoritative=frozenset(),
        seed=frozenset({"name_vi", "name_en", "abbreviation", "status", "source"}),
    ),
    FixtureSpec(
        model=Organization,
        filename="provinces.toml",
        table="organization",
        key="subdivision_code",
        authoritative=frozenset({"kind", "country", "name_native", "name_vi", "name_en", "region"}),
        seed=frozenset({"relationship_status", "notes", "notes_en"}),
        ignored=frozenset({"source"}),
    ),
]


def register(spec: FixtureSpec) -> None:
    """Load `spec` after the ones before it (an app above contacts, from its `ready()`)."""
    if all(existing.filename != spec.filename for existing in SPECS):
        SPECS.append(spec)


def default_directory() -> Path:
    """The fixtures shipped with the project, found from BASE_DIR so any working dir works."""
    return Path(settings.BASE_DIR) / "fixtures" / "reference"


def load_reference(directory: Path | None = None) -> dict[str, int]:
    """Upsert the reference fixtures and return how many rows each file holds, by model label.

    Reference data is authoritative: a load writes every authoritative field back, so a name or
    a date edited by a user returns to the fixture's value, and a field left out of a record is
    cleared (an unverifiable date must not linger). Seed fields (see `FixtureSpec`) are only set
    on rows the load creates. Rows whose authoritative fields already match are not saved at all,
    so a repeated load changes nothing: no duplicates, no new history rows, no new `updated_at`.

    Every row passes `full_clean()` before it is saved, and the whole load is one transaction:
    a bad record leaves the database as it was.
    """
    directory = default_directory() if directory is None else Path(directory)
    parsed = [(spec, _read_records(directory, spec)) for spec in SPECS]
    counts: dict[str, int] = {}
    with transaction.atomic():
        for spec, records in parsed:
            for record in records:
                _upsert(spec, record)
            counts[spec.model._meta.label] = len(records)
    return counts


def _read_records(directory: Path, spec: FixtureSpec) -> list[dict[str, Any]]:
    """The file's records, with file-level keys (e.g. `kind`) applied to each as a default."""
    path = directory / spec.filename
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ReferenceDataError(f"{path}: file not found.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ReferenceDataError(f"{path}: not valid TOML: {exc}") from exc

    tables = data.get(spec.table)
    if not isinstance(tables, list) or not tables:
        raise ReferenceDataError(f"{path}: no [[{spec.table}]] records.")
    file_defaults = {name: value for name, value in data.items() if name != spec.table}
    records = [{**file_defaults, **record} for record in tables]

    seen: set[Any] = set()
    for position, record in enumerate(records, start=1):
        where = f"{path.name}, [[{spec.table}]] #{position}"
        unknown = sorted(set(record) - spec.allowed)
        if unknown:
            raise ReferenceDataError(f"{where}: unknown key(s) {', '.join(unknown)}.")
        key = record.get(spec.key)
        if not key:
            raise ReferenceDataError(f"{where}: no {spec.key}.")
        if key in seen:
            raise ReferenceDataError(f"{where}: {spec.key} {key} appears twice.")
        seen.add(key)
    return records


def _field_values(
    spec: FixtureSpec, record: dict[str, Any], names: frozenset[str]
) -> dict[str, Any]:
    """Model attribute values for `names`; a name missing from the record gets the empty value."""
    values: dict[str, Any] = {}
    for name in sorted(names):
        model_field = spec.model._meta.get_field(name)
        if name in record:
            value = record[name]
            if isinstance(value, list):  # a list of citations or lines, stored one a line
                value = "\n".join(str(item) for item in value)
            if name in getattr(spec.model, "name_fields", ()) and isinstance(value, str):
                value = normalize_name(value)  # as full_clean() stores it: reloads stay no-ops
        else:
            value = model_field.get_default()  # None, "" or the model's default
        values[model_field.attname] = value  # "country" -> "country_id": the code is the key
    return values


def _upsert(spec: FixtureSpec, record: dict[str, Any]) -> None:
    """Create or update one row by natural key; a row that already matches is not saved at all,
    so reloading leaves no history rows and no new `updated_at` behind."""
    manager = spec.model._default_manager
    lookup = {spec.key: record[spec.key]}
    values = _field_values(spec, record, spec.authoritative)
    seed = _field_values(spec, record, spec.seed)

    existing = manager.filter(**lookup).first()
    if existing is None:
        candidate = spec.model(**lookup, **values, **seed)
        changed = sorted(values)
    else:
        candidate = existing
        changed = [name for name, value in values.items() if getattr(existing, name) != value]
        for name in changed:
            setattr(candidate, name, values[name])

    try:
        candidate.full_clean()
    except ValidationError as exc:
        raise ReferenceDataError(
            f"{spec.filename}: {spec.key} {record[spec.key]}: {exc.message_dict}"
        ) from exc

    if existing is not None and not changed:
        return
    # The history row says the loader made this change (it has no user).
    candidate._change_reason = CHANGE_REASON
    candidate.save()
    logger.info(
        "%s %s %s%s",
        "Created" if existing is None else "Updated",
        spec.model._meta.label,
        record[spec.key],
        "" if existing is None else f" ({', '.join(changed)})",
    )
