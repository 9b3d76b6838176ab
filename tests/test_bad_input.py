"""Bad scenario files and bad arguments: one clear line, exit 2, no traceback."""

import subprocess
import sys
from pathlib import Path

import pytest

from omnibalance.cli import main
from omnibalance.errors import ConfigError
from omnibalance.scenario import SEEDS_DIR, load_scenario

GOOD = (SEEDS_DIR / "nicaragua_2007.toml").read_text()
POWERS = (SEEDS_DIR / "_powers_2000s.toml").read_text()


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "_powers_2000s.toml").write_text(POWERS)
    path = tmp_path / "case.toml"
    path.write_text(text)
    return path


CASES = [
    # (description, edit of the good file, words the message must contain)
    ("unknown key with a typo", lambda s: s.replace("mandate = 0.38", "mandat = 0.38"),
     ["regimes.NIC", "'mandat'", "did you mean 'mandate'"]),
    ("value out of range", lambda s: s.replace("mandate = 0.38", "mandate = 1.7"),
     ["regimes.NIC.mandate", "1.7", "[0, 1]"]),
    ("wrong type", lambda s: s.replace("mandate = 0.38", 'mandate = "weak"'),
     ["regimes.NIC.mandate", "'weak'", "must be a number"]),
    ("missing required field", lambda s: s.replace('hegemon = "US"\n', ""),
     ["scenario.hegemon", "required"]),
    ("malformed TOML", lambda s: s.replace("[regimes.NIC]", "[regimes.NIC"),
     ["malformed TOML"]),
    ("unknown event kind", lambda s: s.replace('kind = "election"', 'kind = "electon"', 1),
     ["events[1].kind", "did you mean 'election'"]),
    ("unknown barred power", lambda s: s.replace("CHN = \"Nicaragua", "CHINA = \"Nicaragua"),
     ["barred", "'CHINA'", "did you mean 'CHN'"]),
    ("bad date", lambda s: s.replace('start = "2007Q1"', 'start = "2007-01"'),
     ["scenario.start", "YYYYQn"]),
    ("unknown global parameter", lambda s: s + "\n[parameters]\nus_presure = 0.5\n",
     ["parameters", "'us_presure'", "did you mean 'us_pressure'"]),
]


@pytest.mark.parametrize("desc,edit,words", CASES, ids=[c[0] for c in CASES])
def test_bad_scenario_file_names_file_field_value(tmp_path, desc, edit, words):
    path = _write(tmp_path, edit(GOOD))
    with pytest.raises(ConfigError) as info:
        load_scenario(path)
    msg = str(info.value)
    assert str(path) in msg
    for w in words:
        assert w in msg, (w, msg)


@pytest.mark.parametrize("desc,edit,words", CASES[:3], ids=[c[0] for c in CASES[:3]])
def test_cli_bad_scenario_exits_2_without_traceback(tmp_path, desc, edit, words):
    path = _write(tmp_path, edit(GOOD))
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "omnibalance", "run", str(path), "--out",
                           str(out)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and words[0] in proc.stderr
    assert not out.exists()


@pytest.mark.parametrize("argv,words", [
    (["run", "nicaragu"], ["did you mean 'nicaragua_2007'"]),
    (["run", "nicaragua_2007", "--rule", "omnibalancing"], ["invalid choice"]),
    (["run", "nicaragua_2007", "--steps", "0"], ["--steps", ">= 1"]),
    (["run", "nicaragua_2007", "--seed", "x"], ["--seed", "whole number"]),
    (["run", "nicaragua_2007", "--set", "us_pressure=2"], ["us_pressure", "[0, 1]"]),
    (["run", "nicaragua_2007", "--set", "powers.RUS.sunkweight=0"], ["did you mean 'sunk_weight'"]),
    (["run", "nicaragua_2007", "--set", "regimes.NIX.mandate=0.3"], ["did you mean 'NIC'"]),
    (["run", "nicaragua_2007", "--set", "us_pressure"], ["NAME=VALUE"]),
])
def test_cli_bad_arguments(argv, words, capsys, tmp_path):
    try:
        code = main([*argv, "--out", str(tmp_path / "o")])
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2
    for w in words:
        assert w in err, (w, err)
    assert "Traceback" not in err


def test_unwritable_output_folder(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code = main(["run", "nicaragua_2007", "--out", str(blocker / "sub")])
    assert code == 2
    assert "--out" in capsys.readouterr().err
