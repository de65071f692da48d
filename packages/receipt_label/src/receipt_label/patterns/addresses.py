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


# --------------------------------------------------------------------------- address blocks
# Predicates over one printed row, used to find a receipt's address block. They read OCR text as
# it comes, spaces or not (`3440WASHINGTONST`, `LASVEGASNV89123`, `81100 JOHOR BAHRU,`).

_STATE_NAMES = (
    "ALABAMA",
    "ALASKA",
    "ARIZONA",
    "ARKANSAS",
    "CALIFORNIA",
    "COLORADO",
    "CONNECTICUT",
    "DELAWARE",
    "FLORIDA",
    "GEORGIA",
    "HAWAII",
    "IDAHO",
    "ILLINOIS",
    "INDIANA",
    "IOWA",
    "KANSAS",
    "KENTUCKY",
    "LOUISIANA",
    "MAINE",
    "MARYLAND",
    "MASSACHUSETTS",
    "MICHIGAN",
    "MINNESOTA",
    "MISSISSIPPI",
    "MISSOURI",
    "MONTANA",
    "NEBRASKA",
    "NEVADA",
    "NEWHAMPSHIRE",
    "NEWJERSEY",
    "NEWMEXICO",
    "NEWYORK",
    "NORTHCAROLINA",
    "NORTHDAKOTA",
    "OHIO",
    "OKLAHOMA",
    "OREGON",
    "PENNSYLVANIA",
    "RHODEISLAND",
    "SOUTHCAROLINA",
    "SOUTHDAKOTA",
    "TENNESSEE",
    "TEXAS",
    "UTAH",
    "VERMONT",
    "VIRGINIA",
    "WASHINGTON",
    "WESTVIRGINIA",
    "WISCONSIN",
    "WYOMING",
)  # without spaces, as OCR prints them
_TERRITORIES = ("GU", "PR", "VI", "AS", "MP")
_STATE_CODES = "|".join((*_STATES, *_TERRITORIES))
_US_LOCALITY = (
    re.compile(rf"(?:{_STATE_CODES})[.,]?\s?,?\s?\d{{5}}(?:-\d{{4}})?(?!\d)"),  # ST 12345
    re.compile(rf"\d{{5}}\s?(?:{_STATE_CODES})$"),  # 33710FL
    re.compile(rf"[A-Z]{{3,}}[.,]\s?(?:{_STATE_CODES})\.?$"),  # SANDIEGO,CA  SPRINGFIELD.IL
    re.compile(rf"[A-Z]{{3,}},\s?(?:{'|'.join(_STATE_NAMES)})$"),  # ATHENS,GEORGIA
)
_STATE_AT_END = re.compile(rf"[A-Z]{{3,}}(?:{_STATE_CODES}|{'|'.join(PROVINCES)})\.?$")
_MY_STATES = (
    "SELANGOR|JOHOR|KUALA LUMPUR|PERAK|PULAU PINANG|PENANG|KEDAH|SABAH|SARAWAK|MELAKA|PAHANG|"
    "KELANTAN|TERENGGANU|NEGERI SEMBILAN|PUTRAJAYA|PERLIS|LABUAN|MALAYSIA|DARUL EHSAN"
)
_MY_POSTCODE = re.compile(r"(?<![\d\-/])(?<!LOT )(?<!NO )\d{5}(?![\d\-/])")
_MY_STATE = re.compile(rf"\b(?:{_MY_STATES})\b")
_STREET_START = re.compile(
    r"^(?:NO\b\.?|LOT\b|UNIT\b|BLK\b|BLOCK\b|LEVEL\b|[A-Z]?\d+[A-Z]?(?:[-/]\d+[A-Z]?)*\b|"
    r"[A-Z]-?\d+(?:-\d+)*[,\s])"
)
_SQUASHED_STREET = re.compile(r"^\d{1,6}[A-Z]?(?:-\d+)?\s?[A-Z]{2,}")
ADDRESS_WORDS = re.compile(
    r"JALAN|\bJLN\b|\bJL\b|TAMAN|\bTMN\b|\bLOT\b|BANDAR|SEKSYEN|KAWASAN|PERINDUSTRIAN|KAMPUNG|"
    r"\bBATU\b|PUSAT|\bBLOCK\b|\bBLK\b|\bUNIT\b|LEVEL|FLOOR|TINGKAT|WISMA|BANGUNAN|MALL|PLAZA|"
    r"SQUARE|CENTRE|CENTER|TERRACE|LORONG|PERSIARAN|SUITE|\bSTE\b|SHOP(?!PING)|BUILDING|BLDG|AIRPORT|"
    r"TERMINAL|\bSPACE|\bOFF\b|GROUND|AVENUE|\bAVE\b|STREET|\bROAD\b|HIGHWAY|EXIT"
)


def is_locality_line(text: str, *, country: str) -> bool:
    """A row that closes an address: city, state and ZIP (`LASVEGASNV89123`, `SANDIEGO,CA`),
    a Canadian postal code, or a Malaysian postcode or state (`81100 JOHOR BAHRU,`)."""
    upper = text.upper().strip()
    if country == "MY":
        return bool(_MY_STATE.search(upper)) or any(
            re.search(r"[A-Z]{3,}", upper[found.end() :] + upper[: found.start()])
            or upper.strip(" ,.") == found.group(0)
            for found in _MY_POSTCODE.finditer(upper)
        )
    squashed = re.sub(r"\s+", "", upper)
    return bool(CANADIAN_POSTCODE.search(upper)) or any(
        pattern.search(squashed) for pattern in _US_LOCALITY
    )


def is_postcode_only(text: str) -> bool:
    """A row that is only a ZIP or postal code (`02130`, `V3S9N7`)."""
    squashed = re.sub(r"\s+", "", text.upper())
    return bool(
        re.fullmatch(r"\d{5}(?:-\d{4})?", squashed) or CANADIAN_POSTCODE.fullmatch(squashed)
    )


def ends_with_state(text: str) -> bool:
    """`HUNTINGTONBEACHCA`, `VAUGHANON`: a city glued to its state or province code."""
    return bool(_STATE_AT_END.search(re.sub(r"\s+", "", text.upper())))


def is_street_start(text: str) -> bool:
    """A row that opens an address: a house number, `NO.`, `LOT`, `UNIT` (`3440WASHINGTONST`,
    `NO.53 55,57 & 59, JALAN SAGU 18,`, `K3-113,JL IBRAHIM SULTAN`)."""
    upper = text.upper().strip()
    return bool(_SQUASHED_STREET.match(upper) or _STREET_START.match(upper)) and bool(
        re.search(r"[A-Z]{2,}", upper)
    )


def is_address_like(text: str) -> bool:
    """A row that can be part of an address block: street start, address word, or a row that
    continues onto the next one (ends with a comma)."""
    upper = text.upper().strip()
    return (
        is_street_start(upper)
        or bool(ADDRESS_WORDS.search(upper))
        or (upper.endswith(",") and bool(re.search(r"[A-Z]{3,}", upper)))
    )
