"""Times of day, normalised to 24-hour `HH:MM` (or `HH:MM:SS` when seconds are printed).

`7:23:34P`, `11:41A`, `2:35pm`, `11.39AM` and `7:50.45P` are times; a dot between hours and
minutes counts only before AM/PM or seconds, so amounts (`12.99`) are never times.
"""

from __future__ import annotations

import re

from receipt_label.patterns.ocr import fix_digits

_MERIDIEM = r"(?P<meridiem>[AaPp]\.?\s?[Mm]\.?|[AaPp](?![A-Za-z]))"
_TIME = re.compile(
    r"(?<![\d:/.])(?P<hour>[01]?\d|2[0-3])"
    r"(?:\s?:\s?(?P<minute>[0-5]\d)(?:[:.](?P<second>[0-5]\d))?"
    r"|\.(?P<dot_minute>[0-5]\d)(?:\.(?P<dot_second>[0-5]\d))?(?=\s*[AaPp]))"
    rf"(?:\s*{_MERIDIEM})?(?![\d:])"
)


def _normalise(match: re.Match[str]) -> str | None:
    hour = int(match["hour"])
    minute = match["minute"] or match["dot_minute"]
    second = match["second"] or match["dot_second"]
    meridiem = match["meridiem"]
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        afternoon = meridiem[0].upper() == "P"
        hour = (hour % 12) + (12 if afternoon else 0)
    clock = f"{hour:02d}:{minute}"
    return f"{clock}:{second}" if second else clock


def find_time_spans(text: str) -> list[tuple[int, int, str]]:
    """Every time of day in `text` as (start, end, normalised time)."""
    found = []
    for match in _TIME.finditer(fix_digits(text)):
        value = _normalise(match)
        if value:
            found.append((match.start(), match.end(), value))
    return found


def find_times(text: str) -> list[tuple[str, str]]:
    """Every time of day in `text` as (matched text, normalised time)."""
    return [(text[start:end].strip(), value) for start, end, value in find_time_spans(text)]


def parse_time(text: str) -> str | None:
    """The first time of day in `text`, normalised, or None."""
    found = find_times(text)
    return found[0][1] if found else None
