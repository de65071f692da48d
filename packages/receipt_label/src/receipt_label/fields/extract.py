"""`extract_fields`: every receipt-level field of a receipt, each with where it was read."""

from __future__ import annotations

from receipt_label.fields.contact import read_phone
from receipt_label.fields.header import read_address, read_merchant
from receipt_label.fields.locales import Locale, infer_locale
from receipt_label.fields.model import ReceiptFields
from receipt_label.fields.money import read_money
from receipt_label.fields.when import read_date, read_time
from receipt_label.layout import rows_of
from receipt_label.model import Receipt


def extract_fields(receipt: Receipt, *, locale: Locale | str | None = None) -> ReceiptFields:
    """The receipt's merchant, address, phone, date, time, amounts, currency and payment method.

    Rows are rebuilt from the word boxes. `locale` is a `Locale`, a country code (`"MY"`), or
    None to infer it from what the receipt prints (currency, state and ZIP, phone prefixes...).
    """
    rows = rows_of(receipt)
    if locale is None:
        chosen = infer_locale(row.text for row in rows)
    elif isinstance(locale, str):
        chosen = Locale.for_country(locale, ("given",))
    else:
        chosen = locale
    merchant, merchant_row = read_merchant(rows, chosen)
    money = read_money(rows, chosen)
    date = read_date(rows, chosen)
    return ReceiptFields(
        locale=chosen,
        merchant_name=merchant,
        address=read_address(rows, chosen, merchant_row, merchant.value),
        phone=read_phone(rows, chosen),
        date=date,
        time=read_time(rows, date),
        subtotal=money.subtotal,
        tax=money.tax,
        tip=money.tip,
        total=money.total,
        currency=money.currency,
        payment_method=money.payment_method,
    )
