"""Where a receipt is from: its country, date order and currency, inferred from what it prints.

Each country has signs that a receipt prints (a currency, a state and ZIP code, a province and
postal code, a phone prefix, a legal company suffix); the country with the most signs wins. With
no sign at all a receipt is read as US (month-first dates, North American phones): pass a locale
to `extract_fields` to read it otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from receipt_label.patterns.addresses import CANADIAN_POSTCODE, PROVINCES, US_STATE_ZIP


@dataclass(frozen=True, slots=True, kw_only=True)
class Locale:
    """A receipt's country (ISO 3166 alpha-2), date order and currency (ISO 4217)."""

    country: str
    day_first: bool
    currency: str
    evidence: tuple[str, ...] = ()

    @classmethod
    def for_country(cls, country: str, evidence: tuple[str, ...] = ()) -> Locale:
        """The conventions of `country` (US, CA or MY; another code reads day-first)."""
        code = country.strip().upper()
        known = _CONVENTIONS.get(code)
        if known is None:
            return cls(country=code, day_first=True, currency="", evidence=evidence)
        day_first, currency = known
        return cls(country=code, day_first=day_first, currency=currency, evidence=evidence)

    def to_dict(self) -> dict[str, object]:
        return {
            "country": self.country,
            "day_first": self.day_first,
            "currency": self.currency,
            "evidence": list(self.evidence),
        }


_CONVENTIONS = {"US": (False, "USD"), "CA": (False, "CAD"), "MY": (True, "MYR")}
DEFAULT_COUNTRY = "US"

_MY_STATES = (
    "SELANGOR|JOHOR|KUALA LUMPUR|PERAK|PULAU PINANG|PENANG|KEDAH|SABAH|SARAWAK|MELAKA|PAHANG|"
    "KELANTAN|TERENGGANU|NEGERI SEMBILAN|PUTRAJAYA|PERLIS|LABUAN|MALAYSIA"
)
# (country, sign, pattern over the upper-case text of a row)
_SIGNS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("MY", "ringgit amount", re.compile(r"\bRM\s?-?\d*[.,]\d{2}\b|\(RM\)|\bMYR\b|RINGGIT")),
    ("MY", "Malaysian company suffix", re.compile(r"\bSDN\.?\s?BH?D\b|\bS/B\b")),
    ("MY", "Malaysian state", re.compile(rf"\b(?:{_MY_STATES})\b")),
    ("MY", "Malaysian phone", re.compile(r"\+60|\(603\)|\b603-|\b0\d-\d{3,4}\s?\d{4}\b")),
    ("CA", "Canadian postal code", CANADIAN_POSTCODE),
    ("CA", "Canadian province", re.compile(rf"\b(?:{'|'.join(PROVINCES)})\b\W*$")),
    ("CA", "Canadian sales tax", re.compile(r"\bHST\b|\bPST\b|\bQST\b|\bTVQ\b|INTERAC")),
    ("US", "US state and ZIP code", US_STATE_ZIP),
    ("US", "sales tax", re.compile(r"SALES\s?TAX")),
)


def infer_locale(rows: Iterable[str]) -> Locale:
    """The locale a receipt's rows point to (US when nothing points anywhere)."""
    counts: dict[str, list[str]] = {}
    for text in rows:
        upper = text.upper()
        for country, sign, pattern in _SIGNS:
            if pattern.search(upper):
                counts.setdefault(country, []).append(sign)
    if not counts:
        return Locale.for_country(DEFAULT_COUNTRY, ("no country signs: read as US",))
    country = max(counts, key=lambda code: len(counts[code]))
    signs = counts[country]
    evidence = tuple(f"{sign} x{signs.count(sign)}" for sign in dict.fromkeys(signs))
    return Locale.for_country(country, evidence)
