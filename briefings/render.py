"""The formats of a briefing: JSON (the data itself), Markdown, HTML and DOCX (its layout).

`render(data, fmt)` gives the bytes, `MEDIA_TYPES[fmt]` the Content-Type and
`filename(data, fmt)` a file name that says what it is and the date
(`briefing-organization-12-prey-veng-province-2026-11-26.docx`). The API and the `briefing`
management command both call these, so a file is the same whichever way it was made.
"""

import json
import re
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from briefings import layout
from crm.text import fold

FORMATS = ("json", "md", "html", "docx")
MEDIA_TYPES = {
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def render_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def render(data: dict[str, Any], fmt: str) -> bytes:
    if fmt == "json":
        return render_json(data)
    document = layout.document(data)
    if fmt == "md":
        from briefings.render_md import render_markdown

        return render_markdown(document).encode()
    if fmt == "html":
        from briefings.render_html import render_html

        return render_html(document).encode()
    if fmt == "docx":
        from briefings.render_docx import render_docx

        return render_docx(document)
    raise ValueError(f"Unknown briefing format {fmt!r}; known: {', '.join(FORMATS)}.")


def slug(text: str, limit: int = 40) -> str:
    """ASCII, lower case, hyphens: Latin names lose their accents, other scripts drop out."""
    folded = fold(text)
    ascii_only = folded.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")[:limit].strip("-")


def subject_key_and_name(data: dict[str, Any]) -> tuple[str, str]:
    kind = data["kind"]
    if kind == "organization":
        org = data["organization"]
        return str(org["id"]), org["name_en"] or org["name_vi"] or org["name_native"]
    if kind == "person":
        person = data["person"]
        return str(person["id"]), person["name_latin"] or person["name_vi"]
    if kind == "country":
        country = data["country"]
        return country["code"].lower(), country["name_en"] or country["name_vi"]
    event = data["event"]
    return str(event["id"]), event["title_en"] or event["title_vi"]


def filename(data: dict[str, Any], fmt: str) -> str:
    key, name = subject_key_and_name(data)
    parts = ["briefing", data["kind"], key, slug(name), data["generated_on"].isoformat()]
    return "-".join(part for part in parts if part) + f".{fmt}"
