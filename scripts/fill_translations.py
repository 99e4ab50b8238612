"""Fill msgstr in a .po file from a JSON dictionary {msgid: english}; report what is missing.

A string with a context (``pgettext`` / ``{% translate … context … %}``) is keyed
``"context\u0004msgid"``, as gettext itself stores it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib


def main(po_path: str, dict_path: str) -> int:
    po = polib.pofile(po_path)
    table = json.loads(Path(dict_path).read_text(encoding="utf-8"))
    missing = []
    for entry in po:
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if key in table:
            if entry.msgid_plural:
                entry.msgstr_plural = {
                    0: table[key],
                    1: table.get(entry.msgid_plural, table[key]),
                }
            else:
                entry.msgstr = table[key]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            entry.previous_msgid_plural = None
            entry.previous_msgctxt = None
        elif not entry.msgstr or "fuzzy" in entry.flags:
            # makemessages' fuzzy guess for a reworded string is often wrong: never ship it.
            entry.msgstr = ""
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            missing.append(key)
    po.save(po_path)
    print(f"{len(po) - len(missing)} translated, {len(missing)} missing", file=sys.stderr)
    for msgid in missing:
        print(json.dumps(msgid, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
