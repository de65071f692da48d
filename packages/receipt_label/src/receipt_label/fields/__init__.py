"""Receipt-level fields read from a whole receipt: merchant, address, phone, date, amounts."""

from receipt_label.fields.extract import extract_fields
from receipt_label.fields.locales import Locale, infer_locale
from receipt_label.fields.model import Candidate, Extracted, ReceiptFields

__all__ = ["Candidate", "Extracted", "Locale", "ReceiptFields", "extract_fields", "infer_locale"]
