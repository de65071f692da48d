"""Undo the OCR confusions that turn digits into letters inside numbers."""

from __future__ import annotations

import re

_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "I": "1", "l": "1", "|": "1", "S": "5",
                             "B": "8", "Z": "2"})  # fmt: skip
# A run that is mostly digits (separators allowed), with a few look-alike letters mixed in. It
# neither starts inside a word (`Total2.67`) nor ends inside one (`53.40SR`).
_NUMERIC_ISH = re.compile(r"(?<![A-Za-z])[0-9OoDIl|SBZ]+(?:[/.:,\-][0-9OoDIl|SBZ]+)*(?![A-Za-z])")
_CODE_PREFIX = re.compile(r"[A-Za-z|]{2}")  # `SO00022185` is a document number, not digits


def fix_digits(text: str) -> str:
    """Replace look-alike letters with digits in runs that already hold at least two digits."""

    def repair(found: re.Match[str]) -> str:
        run = found.group(0)
        digits = sum(character.isdigit() for character in run)
        letters = sum(character.isalpha() or character == "|" for character in run)
        if _CODE_PREFIX.match(run):
            return run
        return run.translate(_LOOKALIKES) if digits >= 2 and digits > letters else run

    return _NUMERIC_ISH.sub(repair, text)
