"""Anniversary arithmetic: dates, ordinals and titles of occurrences, free of the database.

The 29 February rule: an anniversary whose origin is 29 February falls on 28 February in
common years (the last day of February, before the date rather than after it: Vietnam–Brunei
relations, established 29 February 1992, are celebrated on 28 February 2027). Calendar clients
disagree on yearly rules from 29 February, which is why feeds list each year's occurrence.
"""

import calendar
import datetime
from dataclasses import dataclass
from typing import Any

ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


ROUND, EVEN = "round", "even"
# The plan's words: năm tròn every 10th year, năm chẵn the other milestones (every 5th).
MILESTONE_WORDS = {
    "vi": {ROUND: "năm tròn", EVEN: "năm chẵn"},
    "en": {ROUND: "round year", EVEN: "milestone year"},
}


def milestone_kind(ordinal: int | None, every: int | None) -> str | None:
    """ "round" for a milestone in a 10th year (năm tròn), "even" for another milestone (năm
    chẵn: the 5th, 15th… year when milestones come every 5 years), None for other years."""
    if not ordinal or not every or ordinal % every:
        return None
    return ROUND if ordinal % 10 == 0 else EVEN


def milestone_word(kind: str | None, language: str) -> str:
    """ "năm tròn" / "năm chẵn" (or their English), "" for an ordinary year."""
    if kind is None:
        return ""
    return MILESTONE_WORDS["en" if language == "en" else "vi"][kind]


@dataclass(frozen=True)
class Occurrence:
    """One year of an anniversary: computed, never stored."""

    anniversary: Any  # events.models.Anniversary
    year: int
    date: datetime.date
    ordinal: int | None  # None for yearly observances whose origin year is not meaningful
    is_milestone: bool
    title_vi: str
    title_en: str
    milestone: str | None = None  # ROUND (năm tròn), EVEN (năm chẵn) or None

    def title(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_vi


def occurrence_date(month: int, day: int, year: int) -> datetime.date:
    """The day `month`/`day` is commemorated in `year` (29 February → 28 February if common)."""
    if month == 2 and day == 29 and not calendar.isleap(year):
        day = 28
    return datetime.date(year, month, day)


def ordinal_en(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 111th…"""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def date_vi(on: datetime.date) -> str:
    """24/6/1967: the way Vietnamese titles write dates."""
    return f"{on.day}/{on.month}/{on.year}"


def date_en(on: datetime.date) -> str:
    return f"{on.day} {ENGLISH_MONTHS[on.month - 1]} {on.year}"


def occurrence_titles(
    title_vi: str,
    title_en: str,
    origin: datetime.date | None,
    on: datetime.date,
    ordinal: int | None,
    milestone: str | None = None,
) -> tuple[str, str]:
    """("Kỷ niệm 60 năm … (24/6/1967 – 24/6/2027), năm tròn", "60th anniversary: … (24 June
    1967 – …), round year"); a milestone says which kind it is (năm tròn or năm chẵn); an
    observance without an ordinal keeps its plain title."""
    if ordinal is None or origin is None:
        return title_vi, title_en
    vi = f"Kỷ niệm {ordinal} năm {title_vi} ({date_vi(origin)} – {date_vi(on)})"
    en = f"{ordinal_en(ordinal)} anniversary: {title_en} ({date_en(origin)} – {date_en(on)})"
    if milestone is not None:
        vi += f", {milestone_word(milestone, 'vi')}"
        en += f", {milestone_word(milestone, 'en')}"
    return vi, en
