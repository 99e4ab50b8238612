"""Fill msgstr in a .po file from a JSON dictionary {msgid: english}; report what is missing."""

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
        if entry.msgid in table:
            if entry.msgid_plural:
                entry.msgstr_plural = {
                    0: table[entry.msgid],
                    1: table.get(entry.msgid_plural, table[entry.msgid]),
                }
            else:
                entry.msgstr = table[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
        elif not entry.msgstr or "fuzzy" in entry.flags:
            # makemessages' fuzzy guess for a reworded string is often wrong: never ship it.
            entry.msgstr = ""
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            missing.append(entry.msgid)
    po.save(po_path)
    print(f"{len(po) - len(missing)} translated, {len(missing)} missing", file=sys.stderr)
    for msgid in missing:
        print(json.dumps(msgid, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
