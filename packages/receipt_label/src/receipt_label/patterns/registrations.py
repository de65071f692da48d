"""Company registration numbers as Malaysian receipts print them beside the registered name."""

from __future__ import annotations

import re

# 5 to 12 digits and a check letter (`789417-W`, `SA0127959-D`, `(CO.NO.639240 H)`); four digits
# and a letter are a lot number (`LOT 1851-A`), not a company.
COMPANY_REGISTRATION = re.compile(
    r"(?:[A-Z]{2})?\d{5,12}\s?-\s?[A-Z](?![A-Z0-9])"
    r"|(?:CO|ROC|REG|COMPANY)[\s.]*(?:REG[\s.]*)?NO[\s.:]*\d{5,12}\s?[A-Z](?![A-Z0-9])"
)
