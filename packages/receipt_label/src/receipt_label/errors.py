"""receipt_label's errors: one tree, each message naming the input and field at fault."""

from __future__ import annotations


class ReceiptLabelError(Exception):
    """Base of every error this package raises on purpose."""


class ReceiptFormatError(ReceiptLabelError, ValueError):
    """A receipt document (JSON) is malformed: the message names the source and the field path."""

    def __init__(self, *, source: str, field: str, problem: str) -> None:
        self.source = source
        self.field = field
        self.problem = problem
        super().__init__(f"{source}: field {field!r}: {problem}")


class InvalidIdentifierError(ReceiptLabelError, ValueError):
    """A receipt, line or word ID does not have the documented shape."""
