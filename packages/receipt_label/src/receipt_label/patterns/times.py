"""Times of day, normalised to 24-hour `HH:MM` (or `HH:MM:SS` when seconds are printed)."""

from __future__ import annotations

import re

from receipt_label.patterns.ocr import fix_digits

_TIME = re.compile(
    r"(?<![\d:/.])([01]?\d|2[0-3])\s?:\s?([0-5]\d)(?::([0-5]\d))?\s*([AaPp]\.?\s?[Mm]\.?)?(?![\d:])"
)


def _normalise(match: re.Match[str]) -> str | None:
    hour, minute, second, meridiem = int(match[1]), match[2], match[3], match[4]
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        afternoon = meridiem[0].upper() == "P"
        hour = (hour % 12) + (12 if afternoon else 0)
    clock = f"{hour:02d}:{minute}"
    return f"{clock}:{second}" if second else clock


def find_times(text: str) -> list[tuple[str, str]]:
    """Every time of day in `text` as (matched text, normalised time)."""
    found = []
    for match in _TIME.finditer(fix_digits(text)):
        value = _normalise(match)
        if value:
            found.append((text[match.start() : match.end()].strip(), value))
    return found


def parse_time(text: str) -> str | None:
    """The first time of day in `text`, normalised, or None."""
    found = find_times(text)
    return found[0][1] if found else None
