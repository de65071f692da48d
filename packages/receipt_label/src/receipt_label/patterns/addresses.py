"""Street addresses and `CITY, ST 12345` lines, normalised for comparison."""

from __future__ import annotations

import re

_ABBREVIATIONS = {
    "STREET": "ST", "AVENUE": "AVE", "AV": "AVE", "ROAD": "RD", "BOULEVARD": "BLVD",
    "DRIVE": "DR", "LANE": "LN", "PARKWAY": "PKWY", "HIGHWAY": "HWY", "COURT": "CT",
    "PLACE": "PL", "SUITE": "STE", "CIRCLE": "CIR", "TERRACE": "TER", "SQUARE": "SQ",
    "NORTH": "N", "SOUTH": "S", "EAST": "E", "WEST": "W", "CENTER": "CTR", "PLAZA": "PLZ",
}  # fmt: skip
_SUFFIXES = {"ST", "AVE", "RD", "BLVD", "DR", "LN", "PKWY", "HWY", "CT", "PL", "WAY", "CIR",
             "TER", "SQ", "PLZ", "CTR"}  # fmt: skip
_STATES_TEXT = (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC"
)
_STATES = _STATES_TEXT.split()
_CITY_STATE_ZIP = re.compile(
    rf"\b[A-Z][A-Z .'\-]*,?\s+({'|'.join(_STATES)})\.?\s+\d{{5}}(?:-\d{{4}})?\b"
)
# A state code right before a ZIP code, also as OCR without spaces prints it (`LASVEGASNV89123`).
US_STATE_ZIP = re.compile(rf"(?:{'|'.join(_STATES)})[.,]?\s?,?\s?\d{{5}}(?:-\d{{4}})?(?!\d)")
PROVINCES = ("AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT")
# A1A 1A1; OCR reads 1 as I and 0 as O in the digit places (`VIM3A5`, `L4HOA2`).
CANADIAN_POSTCODE = re.compile(r"[ABCEGHJ-NPRSTVXY][0-9IO][A-Z]\s?[0-9IO][A-Z][0-9IO](?![A-Z0-9])")
_DIRECTIONS = {"N", "S", "E", "W", "NE", "NW", "SE", "SW"}
_TOKEN = re.compile(r"[A-Z0-9#]+")


def normalize_address(text: str) -> str:
    """Upper-case tokens with street words abbreviated and punctuation dropped."""
    tokens = _TOKEN.findall(text.upper())
    return " ".join(_ABBREVIATIONS.get(token, token) for token in tokens)


def _is_street(tokens: list[str]) -> bool:
    """A house number, then a street: with a suffix (`MAIN ST`), a direction (`W 3RD`), or at
    least two words (`EL CAMINO REAL`, `BROADWAY PLAZA`): many US streets carry no suffix."""
    if len(tokens) < 2 or not tokens[0].rstrip("ABCD").isdigit():
        return False
    street = tokens[1:]
    if any(token in _SUFFIXES for token in street) or street[0] in _DIRECTIONS:
        return True
    words = [token for token in street if token.isalpha() and len(token) >= 2]
    return len(words) >= 2 and len(words) == len(street)


def is_address_line(text: str) -> bool:
    """A street line (`1600 AMPHITHEATRE PKWY`, `1234 EL CAMINO REAL`) or a `CITY, ST 12345`
    line."""
    normalized = normalize_address(text)
    return _is_street(normalized.split()) or bool(_CITY_STATE_ZIP.search(text.upper()))
