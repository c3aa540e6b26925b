"""iCalendar (RFC 5545, RFC 7986) rendering: a pure function from an agenda to bytes.

Written for what subscribed clients (Google Calendar, Outlook, Apple Calendar, Thunderbird)
actually do:
- occurrences are expanded, one VEVENT per anniversary-year, never RRULEs: each year's title
  carries its own ordinal, and clients disagree on yearly rules from 29 February;
- DTSTAMP and LAST-MODIFIED are the record's last change, never "now", so that an unchanged
  feed is byte-for-byte identical (and there is no METHOD, which would make DTSTAMP the time the
  file was made); SEQUENCE grows when time, title or status change;
- all-day items are VALUE=DATE with an exclusive DTEND; timed events carry their TZID and the
  calendar a VTIMEZONE for each zone used, never floating times;
- cancelled events stay, STATUS:CANCELLED and titled "[HỦY] …" (clients differ: Google drops
  them, Apple strikes them through, Outlook shows them as active);
- preparation items, all-day, ahead of milestones, since subscriptions mostly ignore VALARM;
- every TEXT value goes through `text()`: RFC 5545 §3.3.11 escaping (backslash, semicolon,
  comma, newline as \\n), CR and CRLF read as newlines, control characters removed. A raw CR
  or newline would end the content line, and a tolerant parser would read what follows (a
  forged VEVENT, say) as the calendar's own lines; icalendar escapes only the properties it
  knows as TEXT (not NAME or X-WR-CALNAME) and removes no control character.
"""

import datetime
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote

from django.conf import settings
from django.utils import translation
from icalendar import Alarm, Calendar, Timezone, vCategory, vDuration, vText
from icalendar import Event as VEvent

from crm.text import without_control_characters
from events.agenda import Agenda, Preparation
from events.anniversaries import Occurrence, date_en, date_vi, milestone_word
from events.models import Event

PRODID = "-//CRM Doi ngoai//Foreign relations CRM//VI"
DEFAULT_TIME_ZONE = "Asia/Ho_Chi_Minh"
REFRESH = datetime.timedelta(hours=1)  # as the feeds' Cache-Control max-age

WORDS = {
    "vi": {"cancelled": "[HỦY]", "prepare": "Chuẩn bị"},
    "en": {"cancelled": "[CANCELLED]", "prepare": "Preparation"},
}
EVENT_STATUS = {
    Event.Status.PLANNED: "TENTATIVE",
    Event.Status.CONFIRMED: "CONFIRMED",
    Event.Status.DONE: "CONFIRMED",
    Event.Status.CANCELLED: "CANCELLED",
}
CLASS = {"public": "PUBLIC", "internal": "PRIVATE", "restricted": "CONFIDENTIAL"}
TZID_PROPERTIES = ("DTSTART", "DTEND")


class Text(vText):
    """A TEXT value escaped as RFC 5545 §3.3.11 says and nothing more: icalendar's own vText
    also reads a backslash followed by "N" in the text as a line break ("C:\\New" would lose
    its backslash and gain a newline)."""

    def to_ical(self) -> bytes:
        escaped = str(self).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        return escaped.replace("\n", "\\n").encode("utf-8")


def text(value: object) -> Text:
    """A TEXT value (RFC 5545 §3.3.11) from any text: the only way text enters a feed.

    Line breaks (CR, LF, CRLF) become one newline, escaped as \\n along with backslash,
    semicolon and comma; other control characters (C0 but TAB, DEL, C1) are removed. Nothing
    in the value can then end or forge a content line."""
    return Text(without_control_characters(str(value)))


def categories(values: list[str]) -> vCategory:
    """CATEGORIES whose every value went through `text()` (vCategory would make each a
    plain vText)."""
    category = vCategory([])
    category.cats = [text(value) for value in values]
    return category


@dataclass(frozen=True)
class FeedOptions:
    name: str
    language: str = "vi"
    base_url: str = ""  # "https://crm.example.org": links in DESCRIPTION and URL
    uid_domain: str = "crm-doi-ngoai.local"
    alarms: bool = False
    # Links to the records' API addresses: only for staff feeds (the public cannot open them).
    record_links: bool = True


def public_base_url(request) -> str:
    """Where links point: PUBLIC_BASE_URL when set (behind a proxy), else the request's host
    over https (calendar clients subscribe over https)."""
    configured = settings.PUBLIC_BASE_URL
    return configured.rstrip("/") if configured else f"https://{request.get_host()}"


def subscription_links(base_url: str, key: str) -> dict[str, str]:
    """A feed's https URL, its webcal:// twin (opens the calendar app) and Google Calendar's
    add-by-URL link. Built only when the token is shown: at creation and regeneration."""
    feed_url = f"{base_url}/calendar/{key}.ics"
    webcal_url = "webcal://" + feed_url.split("://", 1)[1]
    google_url = "https://calendar.google.com/calendar/render?cid=" + quote(webcal_url, safe="")
    return {"feed_url": feed_url, "webcal_url": webcal_url, "google_url": google_url}


def render_calendar(agenda: Agenda, options: FeedOptions) -> bytes:
    """The whole feed as bytes: identical input gives identical bytes."""
    return build_calendar(agenda, options).to_ical()


def build_calendar(agenda: Agenda, options: FeedOptions) -> Calendar:
    """The feed as an icalendar `Calendar`, its VTIMEZONEs included (not yet serialised)."""
    calendar = new_calendar(options)
    tzids: set[str] = set()
    with translation.override(options.language):
        for item in agenda.items():
            if isinstance(item, Event):
                component = event_component(item, options)
                if not item.all_day:  # only a timed event's DTSTART and DTEND carry a TZID
                    tzids.update(component[name].params.get("TZID") for name in TZID_PROPERTIES)
                calendar.add_component(component)
            else:
                calendar.add_component(occurrence_component(item, options))
        for preparation in agenda.preparations:
            calendar.add_component(preparation_component(preparation, options))
    add_time_zones(calendar, tzids - {None, "UTC"})
    return calendar


def render_event(event: Event, options: FeedOptions) -> bytes:
    """One event as a `.ics` file to download."""
    return render_calendar(Agenda(events=[event]), options)


def new_calendar(options: FeedOptions) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", text(PRODID))
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", text(options.name))
    calendar.add("x-wr-calname", text(options.name))
    calendar.add("x-wr-timezone", text(DEFAULT_TIME_ZONE))
    # icalendar's refresh_interval setter omits VALUE=DURATION, which RFC 7986 requires.
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    return calendar


@cache
def time_zone_component(tzid: str) -> Timezone:
    """The VTIMEZONE for `tzid`, built once per process (it costs more than a feed's events)."""
    return Timezone.from_tzid(tzid)


def add_time_zones(calendar: Calendar, tzids: set[str] | None = None) -> None:
    """A VTIMEZONE for every TZID used: icalendar's `add_missing_timezones`, cached. `tzids`:
    the TZIDs the caller knows it used (UTC excluded), which spares walking every property of
    the calendar (`get_missing_tzids()`, a tenth of a large feed's time)."""
    missing = calendar.get_missing_tzids() if tzids is None else tzids
    for tzid in sorted(missing):
        calendar.add_component(time_zone_component(tzid))


@cache
def kind_label(model: type, kind: str, language: str | None) -> str:
    """`get_kind_display()` in `language` (Django rebuilds the choices dict at every call)."""
    with translation.override(language):
        return str(dict(model._meta.get_field("kind").flatchoices).get(kind, kind))


def uid(kind: str, pk: int, options: FeedOptions, *suffix: object) -> str:
    """Stable for the same record (and year): never depends on titles, dates or the host."""
    return "-".join([kind, str(pk), *(str(part) for part in suffix)]) + f"@{options.uid_domain}"


def record_url(options: FeedOptions, resource: str, pk: int) -> str:
    """The record's API address, for staff feeds; none where the reader could not open it."""
    if not (options.base_url and options.record_links):
        return ""
    return f"{options.base_url}/api/v1/{resource}/{pk}/"


def _stamps(component: VEvent, record) -> None:
    changed = record.updated_at.astimezone(datetime.UTC)
    component.add("dtstamp", changed)
    component.add("last-modified", changed)
    component.add("created", record.created_at.astimezone(datetime.UTC))
    component.add("sequence", record.sequence)


def _all_day(component: VEvent, first: datetime.date, last: datetime.date) -> None:
    component.add("dtstart", first)
    component.add("dtend", last + datetime.timedelta(days=1))  # exclusive


def _link(component: VEvent, description: str, url: str) -> None:
    # Line breaks are read before joining: a description ending in a bare CR would otherwise
    # meet the joining LF as one CRLF, and lose a line.
    description = without_control_characters(description)
    if url:
        component.add("url", url)
        description = f"{description}\n\n{url}" if description else url
    if description:
        component.add("description", text(description))


def _alarm(component: VEvent, summary: str, options: FeedOptions) -> None:
    if not options.alarms:
        return
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text(summary))
    alarm.add("trigger", datetime.timedelta(days=-1))
    component.add_component(alarm)


def event_component(event: Event, options: FeedOptions) -> VEvent:
    words = WORDS[options.language]
    english = options.language == "en"
    summary = (event.title_en if english else "") or event.title_vi
    if event.status == Event.Status.CANCELLED:
        summary = f"{words['cancelled']} {summary}"
    component = VEvent()
    component.add("uid", text(uid("event", event.pk, options)))
    _stamps(component, event)
    component.add("summary", text(summary))
    if event.all_day:
        _all_day(component, event.start_date, event.end_date)
    else:
        component.add("dtstart", event.starts_at.astimezone(event.zone))
        component.add("dtend", event.ends_at.astimezone(event.zone))
    component.add("status", EVENT_STATUS[event.status])
    component.add("class", CLASS[event.visibility])
    if event.location:
        component.add("location", text(event.location))
    labels = [kind_label(Event, event.kind, translation.get_language())]
    labels += [str(pillar) for pillar in event.pillars.all()]
    component.add("categories", categories(labels))
    description = (event.description_en if english else "") or event.description_vi
    _link(component, description, record_url(options, "events", event.pk))
    _alarm(component, summary, options)
    return component


def milestone_category(occurrence: Occurrence, language: str) -> str:
    """ "Năm tròn" (every 10th year) or "Năm chẵn" (the other milestones), told apart."""
    word = milestone_word(occurrence.milestone, language)
    return word[:1].upper() + word[1:]


def occurrence_component(occurrence: Occurrence, options: FeedOptions) -> VEvent:
    anniversary = occurrence.anniversary
    summary = occurrence.title(options.language)
    component = VEvent()
    component.add("uid", text(uid("anniversary", anniversary.pk, options, occurrence.year)))
    _stamps(component, anniversary)
    component.add("summary", text(summary))
    _all_day(component, occurrence.date, occurrence.date)
    component.add("transp", "TRANSPARENT")  # a date to remember, not a busy day
    component.add("status", "CONFIRMED")
    component.add("class", CLASS[anniversary.visibility])
    labels = [kind_label(type(anniversary), anniversary.kind, translation.get_language())]
    if occurrence.milestone is not None:  # "Năm tròn" or "Năm chẵn"
        labels.append(milestone_category(occurrence, options.language))
    component.add("categories", categories(labels))
    _link(
        component,
        anniversary.notes_in(options.language),
        record_url(options, "anniversaries", anniversary.pk),
    )
    _alarm(component, summary, options)
    return component


def preparation_component(preparation: Preparation, options: FeedOptions) -> VEvent:
    occurrence = preparation.occurrence
    anniversary = occurrence.anniversary
    words = WORDS[options.language]
    title = occurrence.title(options.language)
    on = date_en(occurrence.date) if options.language == "en" else date_vi(occurrence.date)
    component = VEvent()
    component.add("uid", text(uid("anniversary", anniversary.pk, options, occurrence.year, "prep")))
    _stamps(component, anniversary)
    component.add("summary", text(f"{words['prepare']}: {title}"))
    _all_day(component, preparation.date, preparation.date)
    component.add("transp", "TRANSPARENT")
    component.add("status", "CONFIRMED")
    component.add("class", CLASS[anniversary.visibility])
    component.add(
        "categories",
        categories([milestone_category(occurrence, options.language), words["prepare"]]),
    )
    _link(component, f"{title}: {on}", record_url(options, "anniversaries", anniversary.pk))
    return component
