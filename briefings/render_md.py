"""A briefing's layout as Markdown (CommonMark with GitHub tables)."""

import re

from briefings.layout import Document, Fields, Heading, Paragraph, Table

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!])")


def escape(text: str) -> str:
    """Plain text as Markdown that renders to the same text: no markup, one line."""
    text = _SPECIAL.sub(r"\\\1", text)
    text = re.sub(r"^(\s*)([-+]|\d+[.)])(\s)", r"\1\\\2\3", text)  # no accidental lists
    return re.sub(r"\s*\n\s*", " ", text).strip()


def table(columns: list[str], rows: list[list[str]], *, bold_first: bool = False) -> list[str]:
    lines = ["| " + " | ".join(escape(c) for c in columns) + " |"]
    lines.append("|" + "|".join(" --- " for _c in columns) + "|")
    for row in rows:
        cells = [escape(cell) for cell in row]
        if bold_first and cells and cells[0]:
            cells[0] = f"**{cells[0]}**"
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def render_markdown(document: Document) -> str:
    lines = [f"# {escape(document.title)}", ""]
    for block in document.blocks:
        if isinstance(block, Heading):
            lines += ["#" * min(block.level + 1, 6) + " " + escape(block.text), ""]
        elif isinstance(block, Fields):
            rows = [[label, value] for label, value in block.rows]
            lines += [*table(["", ""], rows, bold_first=True), ""]
        elif isinstance(block, Table):
            lines += [*table(block.columns, block.rows), ""]
        elif isinstance(block, Paragraph):
            text = escape(block.text)
            lines += [f"*{text}*" if block.note else text, ""]
    return "\n".join(lines)
