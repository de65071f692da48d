"""extract_fields and label_receipt on receipts as OCR delivers them: rows split by the engine,
words run together, other countries' dates and phones, totals among lookalikes."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest

from receipt_label import (
    BoundingBox,
    Decision,
    HashingEmbedder,
    InMemoryVectorIndex,
    Label,
    LabelValidator,
    Line,
    Receipt,
    Word,
    extract_fields,
    label_receipt,
    receipt_from_lines,
)
from receipt_label.layout import rows_of
from receipt_label.patterns import find_amounts, find_dates, find_times
from receipt_label.patterns.phone_numbers import find_phone_numbers

IMAGE = "3f2a9c1e-0b7d-4c3e-9a51-6e2d8f0b1c22"


def _line(number: int, text: str, *, x: float, y: float) -> Line:
    words, left = [], x
    for index, piece in enumerate(text.split()):
        width = 0.012 * len(piece)
        box = BoundingBox(x=left, y=y, width=width, height=0.02)
        words.append(Word(word_number=index, text=piece, bounding_box=box, confidence=0.9))
        left += width + 0.01
    box = BoundingBox(x=x, y=y, width=left - x, height=0.02)
    return Line(line_number=number, text=text, bounding_box=box, confidence=0.9, words=tuple(words))


def test_words_of_separate_ocr_lines_on_one_printed_row_share_a_row() -> None:
    # GIVEN an engine that emits the two ends of each printed row as two lines
    receipt = Receipt(
        image_id=IMAGE,
        receipt_number=1,
        lines=(
            _line(0, "CORNER DELI", x=0.3, y=0.05),
            _line(1, "SUBTOTAL", x=0.05, y=0.50),
            _line(2, "$18.50", x=0.80, y=0.505),
            _line(3, "TAX", x=0.05, y=0.53),
            _line(4, "$1.50", x=0.80, y=0.528),
            _line(5, "TOTAL", x=0.05, y=0.56),
            _line(6, "$20.00", x=0.80, y=0.561),
        ),
    )
    # WHEN rows are rebuilt from the boxes
    rows = rows_of(receipt)
    # THEN keyword and amount sit on one row, and the fields pair them
    assert [row.text for row in rows] == [
        "CORNER DELI",
        "SUBTOTAL $18.50",
        "TAX $1.50",
        "TOTAL $20.00",
    ]
    fields = extract_fields(receipt)
    assert (fields.subtotal.value, fields.tax.value, fields.total.value) == (
        Decimal("18.50"), Decimal("1.50"), Decimal("20.00"),
    )  # fmt: skip
    assert fields.total.word_ids == (receipt.word_id(receipt.lines[6], receipt.lines[6].words[0]),)
    assert "subtotal + tax" in fields.total.reason


def test_receipt_from_lines_keeps_order_words_and_stable_ids() -> None:
    receipt = receipt_from_lines(["  THE STORE ", "", "TOTAL   $5.00"])
    assert [line.text for line in receipt.lines] == ["THE STORE", "TOTAL $5.00"]
    assert [word.text for word in receipt.lines[1].words] == ["TOTAL", "$5.00"]
    assert receipt_from_lines(["THE STORE", "TOTAL $5.00"]).image_id == receipt.image_id
    assert receipt_from_lines(["ANOTHER STORE"]).image_id != receipt.image_id


def test_an_amount_on_the_row_below_its_keyword() -> None:
    fields = extract_fields(
        receipt_from_lines(["SHOP", "1 TEA 3.00", "TOTAL", "$3.00", "CASH $5.00"])
    )
    assert fields.total.value == Decimal("3.00")
    assert "row below" in fields.total.reason


@pytest.mark.parametrize(
    ("lines", "total"),
    [
        (["TOTAL QTY: 2 63.60", "TOTAL (EXCLUDING GST): 60.00",
          "TOTAL (INCLUSIVE OF GST): 63.60"], "63.60"),
        (["TOTAL (INCLUSIVE OF GST): 67.98", "ROUNDING ADJ : 0.02", "TOTAL : 68.00",
          "VISA 68.00"], "68.00"),
        (["SUB-TOTAL : 60.60", "COUPON DISCOUNT : 27.60", "GRAND TOTAL : 33.00", "PAYMENT : 50.00",
          "CHANGE DUE : 17.00"], "33.00"),
        (["FOOD 8.44", "TAX 0.61", "PAYMENT 9.05", "CASH 20.00", "CHANGE DUE 10.95"], "9.05"),
        (["TOTAL $11.93", "TOTALSAVED: $44.80"], "11.93"),
        (["SUBTOTAL 30.00", "TOTAL 31.80", "GST SUMMARY AMOUNT TAX", "SR @ 6% 30.00 1.80",
          "TOTAL 30.00 1.80"], "31.80"),
    ],
)  # fmt: skip
def test_the_total_a_careful_reader_picks(lines: list[str], total: str) -> None:
    fields = extract_fields(receipt_from_lines(["A SHOP", *lines]))
    assert fields.total.value == Decimal(total), fields.total.reason


def test_a_malaysian_receipt_reads_day_first_with_e164_phone_and_ringgit() -> None:
    fields = extract_fields(
        receipt_from_lines(
            [
                "KEDAI MAJU SDN BHD (123456-A)",
                "NO. 5, JALAN BESAR,",
                "43000 KAJANG, SELANGOR",
                "TEL: 03-8736 1234",
                "DATE: 06/03/2018 10:22",
                "TOTAL RM 12.50",
            ]
        )
    )
    assert fields.locale.country == "MY"
    assert fields.merchant_name.value == "KEDAI MAJU SDN BHD"
    assert fields.date.value == datetime.date(2018, 3, 6)
    assert fields.phone.value == "+60387361234"
    assert fields.currency.value == "MYR"
    assert fields.address.value == "NO. 5, JALAN BESAR,\n43000 KAJANG, SELANGOR"


def test_a_locale_argument_overrides_the_inference() -> None:
    receipt = receipt_from_lines(["SHOP", "04/05/2018", "TOTAL 1.00"])
    assert extract_fields(receipt).date.value == datetime.date(2018, 4, 5)
    assert extract_fields(receipt, locale="MY").date.value == datetime.date(2018, 5, 4)


def test_a_us_receipt_without_spaces() -> None:
    fields = extract_fields(
        receipt_from_lines(
            [
                "APPROVED888158",
                "HATOFF'SGAS,1",
                "3440WASHINGTONST",
                "617-318-1141",
                "JAMICAPLAIN,MA",
                "02130",
                "Dec26'07 07:26PM",
                "FUELTOTAL $6.69",
            ]
        )
    )
    assert fields.merchant_name.value == "HATOFF'SGAS,1"
    assert fields.address.value == "3440WASHINGTONST\nJAMICAPLAIN,MA\n02130"
    assert fields.phone.value == "+16173181141"
    assert fields.date.value == datetime.date(2007, 12, 26)
    assert fields.time.value == datetime.time(19, 26)
    assert fields.total.value == Decimal("6.69")


def test_rejected_candidates_carry_reasons() -> None:
    fields = extract_fields(
        receipt_from_lines(
            ["SHOP", "TEL 650-555-0142 FAX 650-555-0143", "OPEN 8:00AM TO 9:00PM DAILY",
             "ENTER BIRTHDATE 09-20-1965", "03/14/2024 2:05 PM", "TOTAL 5.00"]
        )
    )  # fmt: skip
    assert fields.date.value == datetime.date(2024, 3, 14)
    assert any("birth" in candidate.reason for candidate in fields.date.rejected)
    assert fields.time.value == datetime.time(14, 5)
    assert any(candidate.reason == "opening hours" for candidate in fields.time.rejected)
    assert fields.phone.value == "+16505550142"


def test_fields_serialise_to_json() -> None:
    fields = extract_fields(receipt_from_lines(["SHOP", "01/02/2024", "TOTAL $5.00"]))
    document = json.loads(json.dumps(fields.to_dict()))
    assert document["total"]["value"] == "5.00"
    assert document["date"]["value"] == "2024-01-02"
    assert document["locale"]["country"] == "US"
    assert fields.values()["merchant_name"] == "SHOP"


def test_label_receipt_proposals_feed_the_validator(history: list[Receipt]) -> None:
    # GIVEN a receipt labelled from its fields
    receipt = receipt_from_lines(
        ["THE HOME DEPOT", "TEL 408-555-0161", "04/07/24 8:00 AM", "SUBTOTAL 57.88", "TAX 5.28",
         "TOTAL 63.16", "TOTAL QTY 7", "AMEX 63.16"]
    )  # fmt: skip
    labelled = label_receipt(receipt)
    proposed = {word.text: word.labels.proposed for _, word in labelled.words()}
    assert labelled.lines[5].words[1].labels.proposed is Label.GRAND_TOTAL
    assert labelled.lines[6].words[0].labels.proposed is None  # TOTAL QTY: not a grand total
    assert proposed["57.88"] is Label.SUBTOTAL
    assert proposed["408-555-0161"] is Label.PHONE_NUMBER
    assert proposed["04/07/24"] is Label.DATE
    assert proposed["THE"] is Label.MERCHANT_NAME
    assert proposed["AMEX"] is Label.PAYMENT_METHOD
    # WHEN the validator judges them THEN every proposal gets a decision, with no glue code
    embedder = HashingEmbedder()
    from receipt_label.records import word_records

    index = InMemoryVectorIndex(r for item in history for r in word_records(item, embedder))
    results = LabelValidator(words=index, embedder=embedder).validate_proposals(labelled)
    assert len(results) == sum(1 for _, word in labelled.words() if word.labels.proposed)
    assert all(result.decision in set(Decision) for result in results)


@pytest.mark.parametrize(
    ("text", "value"),
    [("RM3.00", "3.00"), ("Total2.67", "2.67"), ("TAK8.25% .56", "0.56"), ("$108.85-", "-108.85"),
     ("GRAND TOTAL RM0.02 RM14.20", "14.20"), ("53.40SR", "53.40")],
)  # fmt: skip
def test_amounts_glued_to_currency_or_keyword(text: str, value: str) -> None:
    assert find_amounts(text)[-1][1] == Decimal(value)


def test_numbers_that_are_not_amounts() -> None:
    assert find_amounts("NO.12,JALAN SS4C/5") == []
    assert find_amounts("2.516G $2.659") == []


@pytest.mark.parametrize(
    ("text", "day_first", "expected"),
    [
        ("Aug262017", False, datetime.date(2017, 8, 26)),
        ("JAN31'13", False, datetime.date(2013, 1, 31)),
        ("4/4/20127:33AM", False, datetime.date(2012, 4, 4)),
        ("06/03/2018", True, datetime.date(2018, 3, 6)),
        ("12/13/2016", True, datetime.date(2016, 12, 13)),
        ("05-AUG-2017", True, datetime.date(2017, 8, 5)),
    ],
)
def test_dates_as_ocr_prints_them(text: str, day_first: bool, expected: datetime.date) -> None:
    assert find_dates(text, day_first=day_first)[0][1] == expected


def test_a_promotion_range_and_mixed_separators_are_not_dates() -> None:
    assert find_dates("SALE 6/7-6/13") == []
    assert find_dates("REG #19- 11/05/2018", day_first=True)[0][1] == datetime.date(2018, 5, 11)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7:23:34P", "19:23:34"), ("11:41A 0302", "11:41"), ("2634128815 11.39AM", "11:39"),
     ("7:50.45P", "19:50:45")],
)  # fmt: skip
def test_times_with_one_letter_or_dotted_meridiem(text: str, expected: str) -> None:
    assert find_times(text)[0][1] == expected
    assert find_times("TOTAL 12.99") == []


@pytest.mark.parametrize(
    ("text", "region", "e164"),
    [
        ("TEL:03-3362 4395", "MY", "+60333624395"),
        ("MOBILE : +6012-918 7937", "MY", "+60129187937"),
        ("09/17/2014 (800)275-8777 02:24:20PM", "US", "+18002758777"),
        ("Store#062-(408)446-5055", "US", "+14084465055"),
    ],
)
def test_phone_numbers_of_any_country_in_e164(text: str, region: str, e164: str) -> None:
    assert [match.e164 for match in find_phone_numbers(text, region=region)] == [e164]


def test_document_numbers_are_not_phone_numbers() -> None:
    assert find_phone_numbers("SO00022185") == []
    assert find_phone_numbers("GST NO. : 000584089600", region="MY") == []
