"""The one error type of the domain layer, and its field-level messages.

Services raise :class:`DomainError` (or :class:`NotFound`); views turn it into a
form error and the API into a JSON body with the same fields, in Indonesian and
English.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import translation


@dataclass
class FieldError:
    field: str
    message: str
    message_en: str


@dataclass
class DomainError(Exception):
    """A request that cannot be carried out; ``errors`` names the fields at fault."""

    code: str
    message: str
    errors: list[FieldError] = field(default_factory=list)
    status: int = 400

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "detail": self.message,
            "errors": [e.__dict__ for e in self.errors],
        }


class NotFound(DomainError):
    """Not found, or not yours: the same answer for both (no existence oracle)."""

    def __init__(self, what: str = "record") -> None:
        super().__init__(
            code="not_found", message=bilingual("Data tidak ditemukan.", "Not found."), status=404
        )
        self.what = what


def bilingual(indonesian: str, english: str) -> str:
    """Pick the message for the active language (Indonesian unless English is active)."""
    return english if (translation.get_language() or "id").startswith("en") else indonesian


def field_error(name: str, indonesian: str, english: str) -> FieldError:
    return FieldError(field=name, message=indonesian, message_en=english)
