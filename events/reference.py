"""Reference anniversaries (fixtures/reference/anniversaries.toml), loaded by `load_reference`
with the contacts fixtures: the same upsert by natural key, the same sources beside the data."""

from contacts.reference import FixtureSpec
from events.models import Anniversary

ANNIVERSARIES = FixtureSpec(
    model=Anniversary,
    filename="anniversaries.toml",
    table="anniversary",
    key="code",
    authoritative=frozenset(
        {
            "kind",
            "country",
            "title_vi",
            "title_en",
            "origin_year",
            "origin_month",
            "origin_day",
            "visibility",
            "source",
        }
    ),
    # How often a milestone comes and the staff's notes are theirs after the first load.
    seed=frozenset({"milestone_every", "notes", "notes_en"}),
)
