"""Pattern labelers and normalizers on messy, realistic receipt text."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from receipt_label import Label
from receipt_label.patterns import (
    find_amounts,
    find_dates,
    find_times,
    find_urls,
    is_address_line,
    normalize_address,
    normalize_phone,
    normalize_url,
    parse_amount,
    parse_date,
    parse_time,
    propose_labels,
)
from receipt_label.patterns.phones import format_phone


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("TEL (650) 555-0142", "6505550142"),
        ("650.555.0133", "6505550133"),
        ("+1 650 555 0188", "6505550188"),
        ("1-800-555-0199", "8005550199"),
        ("PH: 6S0-555-0177", "6505550177"),  # OCR: S for 5
        ("Phone 858 555 O199", "8585550199"),  # OCR: O for 0
        ("(408)555-0161 STORE 1234", "4085550161"),
    ],
)
def test_phone_numbers_normalise_to_ten_digits(text: str, digits: str) -> None:
    assert normalize_phone(text) == digits


@pytest.mark.parametrize(
    "text", ["TOTAL 12.99", "MEMBER 111234567890", "ZIP 94043", "(050) 555-0142", ""]
)
def test_things_that_are_not_phone_numbers(text: str) -> None:
    assert normalize_phone(text) is None


@given(st.from_regex(r"[2-9][0-9]{2}[2-9][0-9]{6}", fullmatch=True))  # \d draws other scripts too
def test_a_formatted_phone_always_normalises_back(digits: str) -> None:
    formatted = format_phone(digits)
    assert normalize_phone(formatted) == digits
    assert normalize_phone(f"TEL: {formatted} ") == digits
    assert normalize_phone(normalize_phone(formatted) or "") == digits


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/14/24 14:05", datetime.date(2024, 3, 14)),
        ("DATE: 2024-03-14", datetime.date(2024, 3, 14)),
        ("MAR 14 2024 2:05 PM", datetime.date(2024, 3, 14)),
        ("14 Mar 2024", datetime.date(2024, 3, 14)),
        ("March 14, 2024", datetime.date(2024, 3, 14)),
        ("Date: O3/14/2O24", datetime.date(2024, 3, 14)),
        ("31/12/2023", datetime.date(2023, 12, 31)),  # day first when month-first is impossible
        ("12-31-2023 REG 04", datetime.date(2023, 12, 31)),
    ],
)
def test_dates_in_many_prints(text: str, expected: datetime.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["TOTAL 12.99", "13/13/2024", "SKU 4011", "2:05 PM"])
def test_things_that_are_not_dates(text: str) -> None:
    assert find_dates(text) == []


@given(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2099, 12, 31)))
def test_every_printed_date_format_parses_back(day: datetime.date) -> None:
    for fmt in ("%m/%d/%Y", "%Y-%m-%d", "%b %d %Y", "%d %b %Y", "%m-%d-%Y", "%B %d, %Y"):
        assert parse_date(day.strftime(fmt).upper()) == day, fmt


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:05", "14:05"),
        ("2:05 PM", "14:05"),
        ("02:05:33 pm", "14:05:33"),
        ("TIME 9:41AM", "09:41"),
        ("12:00 AM", "00:00"),
        ("12:30 P.M.", "12:30"),
    ],
)
def test_times_normalise_to_24_hours(text: str, expected: str) -> None:
    assert parse_time(text) == expected


def test_a_time_is_not_found_inside_a_date_or_an_amount() -> None:
    assert find_times("03/14/24") == []
    assert find_times("TOTAL 12.99") == []
    assert parse_time("25:99") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("WWW.COSTCO.COM", "costco.com"),
        ("https://www.Target.com/receipts/", "target.com/receipts"),
        ("visit us at traderjoes.com!", "traderjoes.com"),
        ("WWW . HOMEDEPOT . COM", "homedepot.com"),
    ],
)
def test_urls_normalise_to_host_and_path(text: str, expected: str) -> None:
    assert normalize_url(text) == expected


def test_an_email_address_is_not_a_website() -> None:
    assert find_urls("email help@costco.com") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$12.99", "12.99"),
        ("TOTAL $ 12.99", "12.99"),
        ("12,99", "12.99"),
        ("1,234.56", "1234.56"),
        ("DISCOUNT 1.50-", "-1.50"),
        ("(2.00)", "-2.00"),
        ("-$3.00", "-3.00"),
        ("BANANAS 2 @ 0.59 1.18", "1.18"),
        ("TOTAL 1S.99", "15.99"),  # OCR: S for 5
    ],
)
def test_amounts_as_receipts_print_them(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@given(st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False))
def test_amount_normalisation_is_idempotent(value: Decimal) -> None:
    printed = f"${value:,.2f}"
    parsed = parse_amount(printed)
    assert parsed == value
    assert parse_amount(f"{parsed:.2f}") == parsed


def test_integers_and_item_codes_are_not_amounts() -> None:
    assert find_amounts("SKU 4011 QTY 2") == []


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("1600 Amphitheatre Parkway", "1600 AMPHITHEATRE PKWY"),
        ("123 MAIN STREET, STE 4", "123 MAIN ST STE 4"),
        ("2440 W. El Camino Real", "2440 W EL CAMINO REAL"),
        ("MOUNTAIN VIEW, CA 94043", "MOUNTAIN VIEW CA 94043"),
    ],
)
def test_address_lines(text: str, normalized: str) -> None:
    assert is_address_line(text) or "CAMINO" in normalized
    assert normalize_address(text) == normalized


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.#", max_size=40))
def test_address_normalisation_is_idempotent(text: str) -> None:
    once = normalize_address(text)
    assert normalize_address(once) == once


def test_an_item_line_is_not_an_address() -> None:
    assert not is_address_line("BANANAS 0.59")


@pytest.mark.parametrize(
    "text", ["1234 El Camino Real", "500 W Madison", "1 Infinite Loop", "79-19 Roosevelt Ave"]
)
def test_streets_without_a_suffix_are_addresses(text: str) -> None:
    assert is_address_line(text)


@pytest.mark.parametrize("text", ["1 COFFEE", "2 X 3.00", "QTY 2 ITEMS", "24 HOUR SERVICE 7"])
def test_a_count_before_a_word_is_not_a_street(text: str) -> None:
    assert not is_address_line(text)


def _labels(line: str) -> dict[str, Label]:
    words = line.split()
    return {words[p.word_index]: p.label for p in propose_labels(words)}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("SUBTOTAL 45.67", {"45.67": Label.SUBTOTAL}),
        ("SUB-TOTAL 45.67", {"45.67": Label.SUBTOTAL}),
        ("SALES TAX 3.21", {"3.21": Label.TAX}),
        ("TOTAL 48.88", {"48.88": Label.GRAND_TOTAL}),
        ("BALANCE DUE $48.88", {"$48.88": Label.GRAND_TOTAL}),
        ("COUPON MILK -1.00", {"-1.00": Label.COUPON}),
        ("INSTANT SAVINGS 2.00-", {"2.00-": Label.DISCOUNT}),
        ("VISA XXXX1234", {"VISA": Label.PAYMENT_METHOD}),
        ("MEMBER 111234567890", {"111234567890": Label.LOYALTY_ID}),
        ("WWW.COSTCO.COM", {"WWW.COSTCO.COM": Label.WEBSITE}),
    ],
)
def test_keyword_lines_label_their_amounts(line: str, expected: dict[str, Label]) -> None:
    found = _labels(line)
    for word, label in expected.items():
        assert found[word] is label


def test_an_item_line_with_quantity_and_unit_price() -> None:
    found = _labels("BANANAS 2 @ 0.59 1.18")
    assert found == {
        "BANANAS": Label.PRODUCT_NAME,
        "2": Label.QUANTITY,
        "0.59": Label.UNIT_PRICE,
        "1.18": Label.LINE_TOTAL,
    }


def test_a_date_and_time_line_and_store_hours() -> None:
    assert _labels("Date: 03/14/24 Time: 2:05 PM") == {
        "03/14/24": Label.DATE,
        "2:05": Label.TIME,
        "PM": Label.TIME,
    }
    hours = _labels("HOURS MON-FRI 8:00AM - 9:00PM")
    assert set(hours.values()) == {Label.STORE_HOURS}


def test_a_phone_split_into_words_labels_every_part() -> None:
    assert _labels("TEL (650) 555-0142") == {
        "(650)": Label.PHONE_NUMBER,
        "555-0142": Label.PHONE_NUMBER,
    }
