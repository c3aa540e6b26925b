"""Which script a piece of text is in, so documents can give Khmer, Lao and Thai text a font
that has their letters (Word picks the complex-script font per run, not per character)."""

import re

KHMER, LAO, THAI = "km", "lo", "th"
_RANGES = {
    KHMER: ("\u1780", "\u17ff", "\u19e0", "\u19ff"),  # Khmer, Khmer Symbols
    LAO: ("\u0e80", "\u0eff"),
    THAI: ("\u0e00", "\u0e7f"),
}
_NEUTRAL = re.compile(r"[\s\d\W_]", re.UNICODE)


def script_of(char: str) -> str | None:
    for script, bounds in _RANGES.items():
        for low, high in zip(bounds[::2], bounds[1::2], strict=True):
            if low <= char <= high:
                return script
    return None


def segments(text: str) -> list[tuple[str | None, str]]:
    """`text` cut into (script, piece) runs: "km" for Khmer, "lo" Lao, "th" Thai, None for
    the rest (Latin, Vietnamese). Spaces and punctuation stay with the run they are in."""
    result: list[tuple[str | None, str]] = []
    current: str | None = None
    piece = ""
    for char in text:
        script = script_of(char)
        if script is None and piece and _NEUTRAL.match(char) and char not in "()[]":
            piece += char  # a space inside a Khmer name does not end the Khmer run
            continue
        if piece and script != current:
            result.append((current, piece))
            piece = ""
        current = script
        piece += char
    if piece:
        result.append((current, piece))
    return _trim(result)


def _trim(result: list[tuple[str | None, str]]) -> list[tuple[str | None, str]]:
    """Trailing spaces and punctuation of a script run go back to the Latin text after it."""
    trimmed: list[tuple[str | None, str]] = []
    for script, piece in result:
        if script is not None:
            core = piece.rstrip(" ,;:.-–")
            tail = piece[len(core) :]
            trimmed.append((script, core))
            if tail:
                trimmed.append((None, tail))
        elif trimmed and trimmed[-1][0] is None:
            trimmed[-1] = (None, trimmed[-1][1] + piece)
        else:
            trimmed.append((None, piece))
    return [(script, piece) for script, piece in trimmed if piece]
