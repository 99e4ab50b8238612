"""Shared base for ``terpadu workdays`` and ``terpadu nik``: usage errors are one line, exit 2.

Django's parser prints a usage block (from the command line) or raises
``CommandError`` (from ``call_command``); both show up as more than one line or
as "CommandError: ...". Here every usage or input error becomes exactly one line
on stderr, ``terpadu <command>: <message>``, and ``SystemExit(2)``.
"""

from __future__ import annotations

import re
import sys
from argparse import ArgumentParser
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

USAGE_ERROR = 2

_TRANSLATIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^the following arguments are required: (.+)$"), r"argumen wajib belum diisi: \1"),
    (
        re.compile(r"^argument (\S+): invalid choice: (.+?) \(choose from (.+)\)$"),
        r"pilihan \2 tidak dikenal untuk \1 (pilih: \3)",
    ),
    (re.compile(r"^unrecognized arguments: (.+)$"), r"argumen tidak dikenal: \1"),
    (re.compile(r"^argument (\S+): expected one argument$"), r"opsi \1 butuh satu nilai"),
]


def translate(message: str) -> str:
    """Argparse's English messages in Indonesian, where we know them."""
    message = " ".join(message.split())
    for pattern, replacement in _TRANSLATIONS:
        if pattern.match(message):
            return pattern.sub(replacement, message)
    return message


class UsageError(Exception):
    """Bad input from the user: reported as one line, exit status 2."""


class OneLineCommand(BaseCommand):
    """A management command whose errors are one line on stderr and exit status 2."""

    requires_system_checks: list[str] = []
    requires_migrations_checks = False
    #: The name shown in messages: ``terpadu <command_name>: ...``.
    command_name = ""

    @property
    def error_prefix(self) -> str:
        return f"terpadu {self.command_name}".strip()

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        _one_line_errors(parser, self.error_prefix)
        return parser

    def fail(self, message: str, code: int = USAGE_ERROR) -> NoReturn:
        """Write ``terpadu <command>: message`` on stderr and exit with ``code``."""
        self.stderr.write(f"{self.error_prefix}: {message}", style_func=_plain)
        raise SystemExit(code)

    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            return super().execute(*args, **options)
        except UsageError as exc:
            self.fail(str(exc))


def _plain(text: str) -> str:
    return text


def _one_line_errors(parser: ArgumentParser, prefix: str) -> None:
    """Make ``parser`` and all of its subparsers report errors as one line and exit 2."""

    def error(message: str) -> NoReturn:
        sys.stderr.write(f"{prefix}: {translate(message)}\n")
        sys.stderr.flush()
        raise SystemExit(USAGE_ERROR)

    parser.error = error  # type: ignore[method-assign]
    for action in parser._actions:
        choices = getattr(action, "choices", None)
        if isinstance(choices, dict):
            for sub in choices.values():
                if isinstance(sub, ArgumentParser):
                    _one_line_errors(sub, prefix)
