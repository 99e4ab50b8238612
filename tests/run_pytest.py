"""Run pytest; "no tests ran" (exit 5) is a failure here, never a pass."""

from __future__ import annotations

import os
import sys

import pytest


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terpadu.settings_test")
    args = list(argv)
    workers = os.environ.get("TERPADU_TEST_WORKERS", "2")
    if workers != "0" and not any(a.startswith("-n") for a in args):
        args = ["-n", workers, *args]
    code = int(pytest.main(args))
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        print("run_pytest: no tests ran — treating as a failure", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
