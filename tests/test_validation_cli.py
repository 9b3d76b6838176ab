"""``omnibalance validate`` end to end on a tiny run: table printed, CSV, Markdown, PNG."""

import csv

from omnibalance.cli import main
from omnibalance.params import RULES
from omnibalance.validation.patterns import CRITERIA


def test_validate_writes_table_csv_markdown_and_figure(tmp_path, capsys):
    out = tmp_path / "val"
    assert main(["validate", "--replications", "2", "--workers", "1", "--seed", "4",
                 "--out", str(out), "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "2 replications" in text and "omnibalance" in text and "bandwagon" in text
    rows = list(csv.DictReader((out / "validation.csv").open()))
    assert len(rows) == len(CRITERIA) * len(RULES)
    assert {r["verdict"] for r in rows} <= {"pass", "fail", "undecided"}
    md = (out / "validation.md").read_text()
    assert "| 6 |" in md and "2 replications" in md
    assert (out / "validation.png").stat().st_size > 10_000


def test_validate_rejects_bad_replications(capsys):
    try:
        main(["validate", "--replications", "0"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "must be >= 1" in capsys.readouterr().err
