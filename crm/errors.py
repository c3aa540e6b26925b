"""Validation errors that carry their own shape (for nested input such as contact points)."""

from typing import Any


class NestedValidationError(Exception):
    """Invalid input whose errors are keyed like the input: `{"contact_points": [{}, {...}]}`.

    Django's ValidationError flattens nested lists of dicts; this keeps the position of each
    failing item so a client can tell which one to fix.
    """

    def __init__(self, detail: dict[str, Any]):
        super().__init__(detail)
        self.detail = detail
