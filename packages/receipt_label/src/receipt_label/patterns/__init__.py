"""Pattern labelers and normalizers for messy receipt text."""

from receipt_label.patterns.addresses import is_address_line, normalize_address
from receipt_label.patterns.amounts import find_amounts, parse_amount
from receipt_label.patterns.dates import find_dates, parse_date
from receipt_label.patterns.labeler import LabelProposal, propose_labels
from receipt_label.patterns.phones import find_phones, normalize_phone
from receipt_label.patterns.times import find_times, parse_time
from receipt_label.patterns.urls import find_urls, normalize_url

__all__ = [
    "LabelProposal",
    "find_amounts",
    "find_dates",
    "find_phones",
    "find_times",
    "find_urls",
    "is_address_line",
    "normalize_address",
    "normalize_phone",
    "normalize_url",
    "parse_amount",
    "parse_date",
    "parse_time",
    "propose_labels",
]
