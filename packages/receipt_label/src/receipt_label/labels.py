"""The label taxonomy for words on a receipt."""

from __future__ import annotations

import enum


class Label(enum.StrEnum):
    """What a word on a receipt is. Values are the names stored in metadata."""

    MERCHANT_NAME = "MERCHANT_NAME"
    STORE_HOURS = "STORE_HOURS"
    PHONE_NUMBER = "PHONE_NUMBER"
    WEBSITE = "WEBSITE"
    LOYALTY_ID = "LOYALTY_ID"
    ADDRESS_LINE = "ADDRESS_LINE"
    DATE = "DATE"
    TIME = "TIME"
    PAYMENT_METHOD = "PAYMENT_METHOD"
    COUPON = "COUPON"
    DISCOUNT = "DISCOUNT"
    PRODUCT_NAME = "PRODUCT_NAME"
    QUANTITY = "QUANTITY"
    UNIT_PRICE = "UNIT_PRICE"
    LINE_TOTAL = "LINE_TOTAL"
    SUBTOTAL = "SUBTOTAL"
    TAX = "TAX"
    GRAND_TOTAL = "GRAND_TOTAL"


def parse_label(text: str) -> Label:
    """The label named `text` (case-insensitive), or ValueError listing the taxonomy."""
    try:
        return Label(text.strip().upper())
    except ValueError:
        known = ", ".join(label.value for label in Label)
        raise ValueError(f"unknown label {text!r}: the taxonomy is {known}") from None
