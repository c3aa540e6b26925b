"""From a briefing's data to a document: headings, field lists, tables and paragraphs.

The Markdown, HTML and DOCX renderers all draw this one layout, so the three documents say
the same things in the same order; only the JSON format is the data itself. Labels are
translated (`lang`: vi or en) with Django's gettext: kinds and statuses through the models'
choices, section names through the strings below (locale/vi/LC_MESSAGES/django.po).
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import npgettext, pgettext

from contacts.models import (
    Agreement,
    ContactPoint,
    Interaction,
    Organization,
    Person,
    Pillar,
    language_choices,
)
from crm import dates
from events.models import Anniversary, Event

# ---------------------------------------------------------------------------------------------
# Blocks


@dataclass
class Heading:
    level: int  # 1: a top-level section (the document title is above them)
    text: str


@dataclass
class Fields:
    """Label–value pairs, shown as a two-column table."""

    rows: list[tuple[str, str]]


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]


@dataclass
class Paragraph:
    text: str
    note: bool = False  # a remark about the document (what is withheld, an empty section)


Block = Heading | Fields | Table | Paragraph


@dataclass
class Document:
    title: str
    lang: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)


# ---------------------------------------------------------------------------------------------
# Values


def day(value: datetime.date | str | None) -> str:
    """dd/mm/yyyy (24/06/1967) in every language: the one style dates are shown in
    (`crm.dates.format_date`)."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return dates.format_date(value)


def choice(choices, value: str | None) -> str:
    if not value:
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def country_name(country: dict | None) -> str:
    if not country:
        return ""
    if translation.get_language() == "en":
        return country["name_en"] or country["name_vi"]
    return country["name_vi"] or country["name_en"]


def org_name(org: dict) -> str:
    """The name staff use first (Vietnamese, or English in English), then the organisation's
    own (Khmer, Lao… script) in brackets when it differs."""
    first = org["name_en"] if translation.get_language() == "en" else org["name_vi"]
    first = first or org["name_vi"] or org["name_en"] or org["name_native"]
    if org["name_native"] and org["name_native"] != first:
        return f"{first} ({org['name_native']})"
    return first


def person_name(person: dict) -> str:
    """As written in its own script, then the Vietnamese rendering or Latin transliteration."""
    native = person["full_name_native"]
    other = person["name_vi"] if translation.get_language() != "en" else person["name_latin"]
    other = other or person["name_latin"] or person["name_vi"]
    name = native if not other or other == native else f"{native} ({other})"
    return f"{person['honorific']} {name}".strip() if person.get("honorific") else name


def languages(codes: list[str]) -> str:
    names = dict(language_choices())
    return ", ".join(str(names.get(code, code)) for code in codes)


def pillars(codes: list[str]) -> str:
    return ", ".join(choice(Pillar, code) for code in codes)


def period(start, end) -> str:
    if start and end:
        return f"{day(start)} – {day(end)}"
    if start:
        return pgettext("briefing", "since %(date)s") % {"date": day(start)}
    if end:
        return pgettext("briefing", "until %(date)s") % {"date": day(end)}
    return ""


# ---------------------------------------------------------------------------------------------
# Sections


def fields(rows: list[tuple[str, Any]]) -> Fields:
    """Rows with an empty value are left out."""
    return Fields(
        [
            (label[:1].upper() + label[1:], str(value))
            for label, value in rows
            if value not in (None, "", [])
        ]
    )


def none_recorded() -> Paragraph:
    return Paragraph(pgettext("briefing", "None recorded."), note=True)


def history_section(doc: Document, data: dict, *, level: int = 2) -> None:
    history, options = data["history"], data["options"]
    summary = history["summary"]
    doc.add(Heading(level, pgettext("briefing", "Contact history")))
    window = period(options["since"], options["until"])
    by_year = ", ".join(f"{year}: {count}" for year, count in summary["by_year"].items())
    by_kind = ", ".join(
        f"{choice(Interaction.Kind, kind)}: {count}" for kind, count in summary["by_kind"].items()
    )
    doc.add(
        fields(
            [
                (pgettext("briefing", "Period"), window),
                (pgettext("briefing", "Interactions"), summary["count"]),
                (pgettext("briefing", "First contact"), day(summary["first_contact"])),
                (pgettext("briefing", "Last contact"), day(summary["last_contact"])),
                (pgettext("briefing", "By year"), by_year),
                (pgettext("briefing", "By kind"), by_kind),
                (pgettext("briefing", "Delegations in"), summary["delegations_in"]),
                (pgettext("briefing", "Delegations out"), summary["delegations_out"]),
            ]
        )
    )
    rows = history["interactions"]
    if not rows:
        doc.add(none_recorded())
        return
    table = Table(
        [
            pgettext("briefing", "Date"),
            pgettext("briefing", "Kind"),
            pgettext("briefing", "Subject"),
            pgettext("briefing", "Participants"),
            pgettext("briefing", "Summary and outcome"),
        ],
        [],
    )
    for row in rows:
        people = [person_name(p) + (f" – {p['role']}" if p["role"] else "") for p in row["people"]]
        people += [org_name(o) for o in row["organizations"]]
        text = " ".join(part for part in (row["summary"], row["outcome"]) if part)
        table.rows.append(
            [
                day(row["occurred_on"]),
                choice(Interaction.Kind, row["kind"]),
                row["subject"],
                "; ".join(people),
                text,
            ]
        )
    doc.add(table)
    not_shown = data["withheld"].get("interactions_not_shown", 0)
    if not_shown:
        doc.add(
            Paragraph(
                npgettext(
                    "briefing",
                    "%(count)d older interaction is counted above but not shown in full "
                    "(raise limit to see it).",
                    "%(count)d older interactions are counted above but not shown in full "
                    "(raise limit to see them).",
                    not_shown,
                )
                % {"count": not_shown},
                note=True,
            )
        )


def follow_ups_section(doc: Document, data: dict, *, level: int = 2) -> None:
    doc.add(Heading(level, pgettext("briefing", "Open follow-ups")))
    rows = data["open_follow_ups"]
    if not rows:
        doc.add(none_recorded())
        return
    doc.add(
        Table(
            [
                pgettext("briefing", "Due on"),
                pgettext("briefing", "Action"),
                pgettext("briefing", "Assignee"),
                pgettext("briefing", "From the interaction"),
            ],
            [
                [
                    day(row["due_on"]),
                    row["action"],
                    row.get("assignee") or "",
                    f"{day(row['interaction']['occurred_on'])} · {row['interaction']['subject']}",
                ]
                for row in rows
            ],
        )
    )


# The plan's two kinds of milestone, told apart (events.anniversaries.milestone_kind).
MILESTONE_NOTES = {
    "round": lambda: pgettext("briefing", "Round year (every 10th)"),
    "even": lambda: pgettext("briefing", "Milestone year (every 5th)"),
}


def calendar_rows(items: list[dict]) -> list[list[str]]:
    rows = []
    for item in items:
        if item["type"] == "event":
            when = (
                period(item["date"], item["end_date"])
                if item["end_date"] != item["date"]
                else day(item["date"])
            )
            kind = choice(Event.Kind, item["kind"])
            note = choice(Event.Status, item["status"])
        else:
            when = day(item["date"])
            kind = choice(Anniversary.Kind, item["kind"])
            note = MILESTONE_NOTES[item["milestone_kind"]]() if item["milestone_kind"] else ""
        rows.append([when, kind, item["title"], note])
    return rows


def upcoming_section(doc: Document, data: dict, *, level: int = 2) -> None:
    part = data["upcoming"]
    doc.add(
        Heading(
            level,
            pgettext("briefing", "Coming up: %(start)s – %(end)s")
            % {"start": day(part["start"]), "end": day(part["end"])},
        )
    )
    if not part["items"]:
        doc.add(none_recorded())
        return
    doc.add(
        Table(
            [
                pgettext("briefing", "Date"),
                pgettext("briefing", "Kind"),
                pgettext("briefing", "Title"),
                pgettext("briefing", "Note"),
            ],
            calendar_rows(part["items"]),
        )
    )


def withheld_section(doc: Document, data: dict) -> None:
    if data["withheld"]["personal_data"]:
        doc.add(
            Paragraph(
                pgettext(
                    "briefing",
                    "Personal data (contact details, birthdays, home communes, notes on people) "
                    "is not included: your access does not cover it.",
                ),
                note=True,
            )
        )


def agreement_rows(rows: list[dict]) -> list[list[str]]:
    return [
        [
            row["title"],
            choice(Agreement.Kind, row["kind"]),
            day(row["signed_on"]),
            period(row["valid_from"], row["valid_until"]),
            "; ".join(org_name(o) for o in row["parties"]),
        ]
        for row in rows
    ]


# ---------------------------------------------------------------------------------------------
# The four documents


def organization_document(doc: Document, data: dict, *, in_pack: bool = False) -> None:
    org = data["organization"]
    sub = 2 if in_pack else 1
    if in_pack:
        doc.add(Heading(1, org_name(org)))
    doc.add(Heading(sub, pgettext("briefing", "Profile")))
    parent = org_name(org["parent"]) if org["parent"] else ""
    doc.add(
        fields(
            [
                (pgettext("briefing", "Official name (own script)"), org["name_native"]),
                (pgettext("briefing", "Vietnamese name"), org["name_vi"]),
                (pgettext("briefing", "English name"), org["name_en"]),
                (pgettext("briefing", "Abbreviation"), org["abbreviation"]),
                (pgettext("briefing", "Kind"), choice(Organization.Kind, org["kind"])),
                (pgettext("briefing", "Country"), country_name(org["country"])),
                (pgettext("briefing", "Province or region"), org["region"]),
                (pgettext("briefing", "ISO 3166-2 code"), org["subdivision_code"]),
                (pgettext("briefing", "Parent organisation"), parent),
                (
                    pgettext("briefing", "Relationship status"),
                    choice(Organization.Status, org["relationship_status"]),
                ),
                (pgettext("briefing", "ASEAN pillars"), pillars(org["pillars"])),
                (pgettext("briefing", "Website"), org["website"]),
                (pgettext("briefing", "Address"), org["address"]),
                (
                    pgettext("briefing", "Contact"),
                    "; ".join(
                        f"{choice(ContactPoint.Kind, p['kind'])}: {p['value']}"
                        for p in org["contact_points"]
                    ),
                ),
                (pgettext("briefing", "Notes"), org["notes"]),
            ]
        )
    )
    people = data["people"]
    doc.add(Heading(sub, pgettext("briefing", "People in post")))
    if people["current"]:
        doc.add(
            Table(
                [
                    pgettext("briefing", "Name"),
                    pgettext("briefing", "Post"),
                    pgettext("briefing", "Since"),
                ],
                [
                    [
                        person_name(row["person"]),
                        ", ".join(filter(None, [row["title"], row["department"]])),
                        day(row["start_date"]),
                    ]
                    for row in people["current"]
                ],
            )
        )
    else:
        doc.add(none_recorded())
    if people["former"]:
        doc.add(Heading(sub + 1, pgettext("briefing", "Held posts before")))
        doc.add(
            Table(
                [
                    pgettext("briefing", "Name"),
                    pgettext("briefing", "Post"),
                    pgettext("briefing", "Period"),
                ],
                [
                    [
                        person_name(row["person"]),
                        ", ".join(filter(None, [row["title"], row["department"]])),
                        period(row["start_date"], row["end_date"]),
                    ]
                    for row in people["former"]
                ],
            )
        )
    doc.add(Heading(sub, pgettext("briefing", "Agreements")))
    groups = [
        ("in_force", pgettext("briefing", "In force")),
        ("expiring", pgettext("briefing", "Expiring within 12 months")),
        ("in_negotiation", pgettext("briefing", "In negotiation")),
        ("expired", pgettext("briefing", "Expired or terminated")),
    ]
    columns = [
        pgettext("briefing", "Title"),
        pgettext("briefing", "Kind"),
        pgettext("briefing", "Signed on"),
        pgettext("briefing", "Validity"),
        pgettext("briefing", "Parties"),
    ]
    if not any(data["agreements"][name] for name, _label in groups):
        doc.add(none_recorded())
    for name, label in groups:
        if data["agreements"][name]:
            doc.add(Heading(sub + 1, label))
            doc.add(Table(columns, agreement_rows(data["agreements"][name])))
    history_section(doc, data, level=sub)
    follow_ups_section(doc, data, level=sub)
    upcoming_section(doc, data, level=sub)


def person_document(doc: Document, data: dict, *, in_pack: bool = False) -> None:
    person = data["person"]
    sub = 2 if in_pack else 1
    if in_pack:
        doc.add(Heading(1, person_name(person)))
    doc.add(Heading(sub, pgettext("briefing", "Profile")))
    rows = [
        (pgettext("briefing", "Name as written"), person["full_name_native"]),
        (pgettext("briefing", "Latin transliteration"), person["name_latin"]),
        (pgettext("briefing", "Vietnamese rendering"), person["name_vi"]),
        (pgettext("briefing", "Honorific"), person["honorific"]),
        (pgettext("briefing", "Gender"), choice(Person.Gender, person["gender"])),
        (pgettext("briefing", "Category"), choice(Person.Category, person["category"])),
        (pgettext("briefing", "Nationality"), country_name(person["nationality"])),
        (pgettext("briefing", "Country of residence"), country_name(person["residence_country"])),
        (pgettext("briefing", "Occupation"), person["occupation"]),
        (pgettext("briefing", "Languages"), languages(person["languages"])),
        (pgettext("briefing", "Tags"), ", ".join(person["tags"])),
    ]
    if "contact_points" in person:
        birthday = ""
        if person["birth_month"]:
            birthday = f"{person['birth_day']}/{person['birth_month']}"
            if person["birth_year"]:
                birthday += f"/{person['birth_year']}"
        upcoming_birthday = ""
        if person["next_birthday"]:
            upcoming_birthday = day(person["next_birthday"]["date"])
            if person["next_birthday"]["age"]:
                upcoming_birthday += " " + pgettext("briefing", "(%(age)d years)") % {
                    "age": person["next_birthday"]["age"]
                }
        rows += [
            (
                pgettext("briefing", "Contact"),
                "; ".join(
                    f"{choice(ContactPoint.Kind, p['kind'])}: {p['value']}"
                    + (f" ({p['label']})" if p["label"] else "")
                    for p in person["contact_points"]
                ),
            ),
            (pgettext("briefing", "Birthday"), birthday),
            (pgettext("briefing", "Next birthday"), upcoming_birthday),
            (pgettext("briefing", "Home commune or ward"), person["home_commune"]),
            (pgettext("briefing", "Former home address names"), person["home_commune_former"]),
            (pgettext("briefing", "Notes"), person["notes"]),
        ]
    doc.add(fields(rows))
    doc.add(Heading(sub, pgettext("briefing", "Positions")))
    if data["positions"]:
        doc.add(
            Table(
                [
                    pgettext("briefing", "Organisation"),
                    pgettext("briefing", "Post"),
                    pgettext("briefing", "Period"),
                    pgettext("briefing", "Current"),
                ],
                [
                    [
                        org_name(row["organization"]),
                        ", ".join(filter(None, [row["title"], row["department"]])),
                        period(row["start_date"], row["end_date"]),
                        pgettext("briefing", "yes") if row["is_current"] else "",
                    ]
                    for row in data["positions"]
                ],
            )
        )
    else:
        doc.add(none_recorded())
    history_section(doc, data, level=sub)
    follow_ups_section(doc, data, level=sub)


def country_document(doc: Document, data: dict) -> None:
    country = data["country"]
    sub = 1
    doc.add(Heading(sub, pgettext("briefing", "Facts")))
    national_day = ""
    if country["national_day"]:
        nd = country["national_day"]
        national_day = f"{nd['day']}/{nd['month']}"
        if nd["name"]:
            national_day += f" ({nd['name']})"
    milestone = country["next_milestone"]
    doc.add(
        fields(
            [
                (pgettext("briefing", "Native name"), country["name_native"]),
                (
                    pgettext("briefing", "ASEAN member"),
                    pgettext("briefing", "yes")
                    if country["asean_member"]
                    else pgettext("briefing", "no"),
                ),
                (pgettext("briefing", "Joined ASEAN on"), day(country["asean_joined_on"])),
                (pgettext("briefing", "National day"), national_day),
                (
                    pgettext("briefing", "Diplomatic relations with Vietnam since"),
                    day(country["diplomatic_relations_on"]),
                ),
                (
                    pgettext("briefing", "Next milestone anniversary"),
                    f"{day(milestone['date'])}: {milestone['title']}" if milestone else "",
                ),
            ]
        )
    )
    doc.add(Heading(sub, pgettext("briefing", "Organisations")))
    if not data["organizations"]:
        doc.add(none_recorded())
    for group in data["organizations"]:
        doc.add(Heading(sub + 1, choice(Organization.Kind, group["kind"])))
        doc.add(
            Table(
                [
                    pgettext("briefing", "Organisation name"),
                    pgettext("briefing", "Province or region"),
                    pgettext("briefing", "Relationship status"),
                    pgettext("briefing", "Last contact"),
                ],
                [
                    [
                        org_name(o),
                        o["region"],
                        choice(Organization.Status, o["relationship_status"]),
                        day(o["last_contact"]),
                    ]
                    for o in group["organizations"]
                ],
            )
        )
    history_section(doc, data, level=sub)
    diaspora = data["overseas_vietnamese"]
    if diaspora is not None:
        doc.add(Heading(sub, pgettext("briefing", "Overseas Vietnamese living there")))
        if not diaspora["count"]:
            doc.add(none_recorded())
        else:
            doc.add(
                Table(
                    [
                        pgettext("briefing", "Region of residence"),
                        pgettext("briefing", "Number of people"),
                        pgettext("briefing", "Names"),
                    ],
                    [
                        [
                            row["region"] or pgettext("briefing", "not recorded"),
                            str(row["count"]),
                            "; ".join(person_name(p) for p in row["people"])
                            if row["people"] is not None
                            else pgettext("briefing", "(personal data)"),
                        ]
                        for row in diaspora["by_region"]
                    ],
                )
            )
    upcoming_section(doc, data, level=sub)


def event_document(doc: Document, data: dict) -> None:
    event = data["event"]
    doc.add(Heading(1, pgettext("briefing", "The event")))
    doc.add(
        fields(
            [
                (pgettext("briefing", "Kind"), choice(Event.Kind, event["kind"])),
                (pgettext("briefing", "Status"), choice(Event.Status, event["status"])),
                (pgettext("briefing", "Dates"), period(event["start_date"], event["end_date"])),
                (pgettext("briefing", "Location"), event["location"]),
                (pgettext("briefing", "Country"), country_name(event["country"])),
                (
                    pgettext("briefing", "Organisations"),
                    "; ".join(org_name(o) for o in event["organizations"]),
                ),
                (
                    pgettext("briefing", "People"),
                    "; ".join(person_name(p) for p in event["people"]),
                ),
                (pgettext("briefing", "Description"), event["description"]),
            ]
        )
    )
    doc.add(Heading(1, pgettext("briefing", "Anniversaries during the event")))
    if data["anniversaries_during"]:
        doc.add(
            Table(
                [
                    pgettext("briefing", "Date"),
                    pgettext("briefing", "Kind"),
                    pgettext("briefing", "Title"),
                    pgettext("briefing", "Note"),
                ],
                calendar_rows(data["anniversaries_during"]),
            )
        )
    else:
        doc.add(none_recorded())
    for part in data["organizations"]:
        organization_document(doc, part, in_pack=True)
    for part in data["people"]:
        person_document(doc, part, in_pack=True)


TITLES = {
    "organization": lambda: pgettext("briefing", "Organisation briefing"),
    "person": lambda: pgettext("briefing", "Person briefing"),
    "country": lambda: pgettext("briefing", "Country briefing"),
    "event": lambda: pgettext("briefing", "Visit briefing"),
}
BUILDERS = {
    "organization": organization_document,
    "person": person_document,
    "country": country_document,
    "event": event_document,
}


def subject_name(data: dict) -> str:
    kind = data["kind"]
    if kind == "organization":
        return org_name(data["organization"])
    if kind == "person":
        return person_name(data["person"])
    if kind == "country":
        return country_name(data["country"])
    return data["event"]["title"]


def document(data: dict) -> Document:
    """The document of a briefing, in the briefing's language."""
    lang = data["language"]
    with translation.override(lang):
        title = f"{TITLES[data['kind']]()}: {subject_name(data)}"
        doc = Document(title=title, lang=lang)
        doc.add(
            Paragraph(
                pgettext(
                    "briefing",
                    "Prepared on %(date)s from the CRM; only what your access allows is shown.",
                )
                % {"date": day(data["generated_on"])},
                note=True,
            )
        )
        withheld_section(doc, data)
        BUILDERS[data["kind"]](doc, data)
    return doc
