"""A briefing's layout as one self-contained, printable HTML page (no scripts, no links to
fetch: styles inline). Every value is escaped; Khmer, Lao and Thai runs are marked with their
`lang`, so browsers and screen readers pick the right font and voice."""

from html import escape

from briefings.layout import Document, Fields, Heading, Paragraph, Table
from briefings.scripts import segments

FONTS = (
    '"Noto Sans", "Segoe UI", Arial, "Noto Sans Khmer", "Khmer OS", "Khmer OS System", '
    '"Noto Sans Lao", "Phetsarath OT", "Saysettha OT", "Noto Sans Thai", Tahoma, sans-serif'
)

STYLE = f"""
body {{ font-family: {FONTS}; font-size: 11pt; line-height: 1.45; color: #111;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }}
:lang(km) {{ font-family: "Noto Sans Khmer", "Khmer OS System", "Khmer OS", {FONTS}; }}
:lang(lo) {{ font-family: "Noto Sans Lao", "Phetsarath OT", "Saysettha OT", {FONTS}; }}
:lang(th) {{ font-family: "Noto Sans Thai", "Leelawadee UI", Tahoma, {FONTS}; }}
h1 {{ font-size: 1.6rem; border-bottom: 2px solid #333; padding-bottom: .3rem; }}
h2 {{ font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid #999; }}
h3 {{ font-size: 1.1rem; margin-top: 1.5rem; }}
h4, h5, h6 {{ font-size: 1rem; margin-top: 1rem; }}
table {{ border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }}
th, td {{ border: 1px solid #bbb; padding: .25rem .45rem; text-align: left;
          vertical-align: top; }}
th {{ background: #eee; }}
table.fields th {{ width: 28%; font-weight: 600; }}
p.note {{ font-style: italic; color: #444; }}
@media print {{
  body {{ margin: 0; max-width: none; font-size: 10pt; }}
  h1, h2, h3, h4 {{ break-after: avoid; }}
  tr {{ break-inside: avoid; }}
  thead {{ display: table-header-group; }}
}}
@page {{ size: A4; margin: 18mm 15mm; }}
"""


def text(value: str) -> str:
    """Escaped, with runs of Khmer, Lao or Thai script in a `<span lang>`."""
    parts = []
    for script, piece in segments(value):
        if script is None:
            parts.append(escape(piece))
        else:
            parts.append(f'<span lang="{script}">{escape(piece)}</span>')
    return "".join(parts)


def render_html(document: Document) -> str:
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(document.lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(document.title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{text(document.title)}</h1>",
    ]
    for block in document.blocks:
        if isinstance(block, Heading):
            level = min(block.level + 1, 6)
            out.append(f"<h{level}>{text(block.text)}</h{level}>")
        elif isinstance(block, Fields):
            out.append('<table class="fields"><tbody>')
            out += [
                f'<tr><th scope="row">{text(label)}</th><td>{text(value)}</td></tr>'
                for label, value in block.rows
            ]
            out.append("</tbody></table>")
        elif isinstance(block, Table):
            out.append("<table><thead><tr>")
            out += [f'<th scope="col">{text(column)}</th>' for column in block.columns]
            out.append("</tr></thead><tbody>")
            for row in block.rows:
                out.append("<tr>" + "".join(f"<td>{text(cell)}</td>" for cell in row) + "</tr>")
            out.append("</tbody></table>")
        elif isinstance(block, Paragraph):
            css = ' class="note"' if block.note else ""
            out.append(f"<p{css}>{text(block.text)}</p>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)
