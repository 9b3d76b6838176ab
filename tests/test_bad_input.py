"""Bad scenario files and bad arguments: one clear line, exit 2, no traceback."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import grid_spec, sobol_spec, tree

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


# --- the catalogue: scenario, spec, CLI and results folder, one row per case ------------------
# Each case builds its input in an empty folder (the working folder of the command), runs the
# command in-process and asserts: exit status 2, the message fragment(s), no traceback, and not
# one file written, changed or removed anywhere in that folder.

SPEC = grid_spec()
SOBOL_SPEC = sobol_spec()


def _scen(edit):
    """A scenario case: the good Nicaragua file, edited, given to ``run``."""
    def make(d: Path) -> list[str]:
        (d / "_powers_2000s.toml").write_text(POWERS)
        text = edit(GOOD)
        path = d / "case.toml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text)
        return ["run", str(path), "--out", str(d / "out")]
    return make


def _spec(old, new, extra=()):
    """A spec case: the good grid spec with ``old`` replaced by ``new``, given to ``sweep``."""
    def make(d: Path) -> list[str]:
        path = d / "s.toml"
        text = SPEC.replace(old, new)
        assert text != SPEC or old == new
        path.write_text(text)
        return ["sweep", str(path), "--out", str(d / "R"), "--workers", "1", "--quiet",
                *extra]
    return make


def _argv(*argv):
    def make(d: Path) -> list[str]:
        return [a.replace("{d}", str(d)) for a in argv]
    return make


_FINISHED: dict[str, Path] = {}


def _finished(tmp_path_factory, kind: str) -> Path:
    """A finished sweep (grid or sobol), made once per test process."""
    if kind not in _FINISHED:
        base = tmp_path_factory.mktemp(f"finished-{kind}")
        spec = base / "s.toml"
        spec.write_text(SPEC if kind == "grid" else SOBOL_SPEC)
        assert main(["sweep", str(spec), "--out", str(base / "R"), "--workers", "1",
                     "--quiet", "--chunk-size", "4"]) in (0, 1)
        _FINISHED[kind] = base
    return _FINISHED[kind]


def _results(damage, argv, kind="grid"):
    """A results-folder case: a copy of a finished sweep, damaged, then ``argv``."""
    def make(d: Path, factory) -> list[str]:
        src = _finished(factory, kind)
        shutil.copytree(src / "R", d / "R")
        shutil.copy(src / "s.toml", d / "s.toml")
        damage(d / "R")
        return [a.replace("{d}", str(d)) for a in argv]
    make.needs_factory = True
    return make


def _nothing(r: Path) -> None:
    pass


def _stray(r: Path) -> None:
    shutil.copy(r / "runs" / "part-00000.parquet", r / "runs" / "part-00000 (1).parquet")


def _manifest(text):
    def damage(r: Path) -> None:
        (r / "manifest.json").write_text(text)
    return damage


def _truncate(r: Path) -> None:
    p = r / "runs" / "part-00001.parquet"
    p.write_bytes(p.read_bytes()[:100])


def _file_at(name):
    def damage(r: Path) -> None:
        (r.parent / name).write_text("x")
    return damage


PHASE = ["plot", "phase", "{d}/R", "--x", "internal_threat", "--y", "us_pressure"]
EVENT = '\n[[events]]\ndate = "{date}"\nkind = "observed"\nregime = "NIC"\nnote = "x"\n'
REC = '\n[[events]]\ndate = "2009Q1"\nkind = "recession"\nregime = "NIC"\ngrowth = -0.05\n'
START = '\n[regimes.NIC.start_state.{power}]\n{line}\n'
SET = '\n[[events]]\ndate = "{date}"\nkind = "set"\n{target}\n{line}\n'
SOURCES = "[regimes.NIC.sources]\n"


def _set(line, target='regime = "NIC"', date="2010Q1"):
    return _scen(lambda s: s + SET.format(date=date, target=target, line=line))

TABLE = [
    # ---- scenario files ----
    ("scn-typo-key", _scen(lambda s: s.replace("mandate = 0.38", "mandat = 0.38")),
     ["did you mean 'mandate'"]),
    ("scn-out-of-range", _scen(lambda s: s.replace("mandate = 0.38", "mandate = 1.7")),
     ["regimes.NIC.mandate", "[0, 1]"]),
    ("scn-wrong-type", _scen(lambda s: s.replace("mandate = 0.38", 'mandate = "weak"')),
     ["must be a number"]),
    ("scn-missing-hegemon", _scen(lambda s: s.replace('hegemon = "US"\n', "")),
     ["scenario.hegemon", "required"]),
    ("scn-malformed", _scen(lambda s: s.replace("[regimes.NIC]", "[regimes.NIC")),
     ["malformed TOML"]),
    ("scn-event-kind", _scen(lambda s: s.replace('kind = "election"', 'kind = "electon"', 1)),
     ["did you mean 'election'"]),
    ("scn-barred-power", _scen(lambda s: s.replace('CHN = "Nicaragua', 'CHINA = "Nicaragua')),
     ["did you mean 'CHN'"]),
    ("scn-bad-date", _scen(lambda s: s.replace('start = "2007Q1"', 'start = "2007-01"')),
     ["scenario.start", "YYYYQn"]),
    ("scn-unknown-parameter", _scen(lambda s: s + "\n[parameters]\nus_presure = 0.5\n"),
     ["did you mean 'us_pressure'"]),
    ("scn-steps-zero", _scen(lambda s: s.replace("steps = 56", "steps = 0")),
     ["scenario.steps", "[1, 2000]"]),
    ("scn-steps-text", _scen(lambda s: s.replace("steps = 56", 'steps = "56"')),
     ["scenario.steps", "must be a whole number"]),
    ("scn-rivalry-number", _scen(lambda s: s.replace('include = ["_powers_2000s.toml"]',
                                                     'include = ["_powers_2000s.toml"]\n'
                                                     'rivalry = 5')),
     ["rivalry", "must be a table"]),
    ("scn-rivalry-key", _scen(lambda s: s + "\n[rivalry]\nUS-XX = 0.5\n"),
     ["rivalry.US-XX", "two power ids"]),
    ("scn-rivalry-range", _scen(lambda s: s + "\n[rivalry]\nUS-RUS = 1.5\n"),
     ["rivalry.US-RUS", "[0, 1]"]),
    ("scn-leader-number", _scen(lambda s: s.replace('leader = "Daniel Ortega"', "leader = 5")),
     ["regimes.NIC.leader", "must be a string"]),
    ("scn-outcome-on-recession", _scen(lambda s: s + REC.replace("growth", 'outcome = '
                                                                 '"incumbent"\ngrowth')),
     ["outcome", "only an election"]),
    ("scn-recession-no-growth", _scen(lambda s: s + REC.replace("growth = -0.05\n", "")),
     ["growth", "recession needs"]),
    ("scn-regime-id-dash", _scen(lambda s: s.replace("[regimes.NIC]", "[regimes.NI-C]")
                                 .replace("[regimes.NIC.barred]", "[regimes.NI-C.barred]")),
     ["'NI-C'", "only letters, digits"]),
    ("scn-power-id-dot", _scen(lambda s: s + '\n[powers."E.U"]\nname = "EU"\n'),
     ["'E.U'", "only letters, digits"]),
    ("scn-event-before-start", _scen(lambda s: s + EVENT.format(date="2005Q1")),
     ["2005Q1", "outside the run"]),
    ("scn-event-after-end", _scen(lambda s: s + EVENT.format(date="2031Q1")),
     ["2031Q1", "outside the run"]),
    ("scn-event-regime", _scen(lambda s: s + EVENT.format(date="2009Q1").replace(
        'regime = "NIC"', 'regime = "NIX"')), ["did you mean 'NIC'"]),
    ("scn-event-power", _scen(lambda s: s + EVENT.format(date="2009Q1") + 'power = "RU"\n'),
     ["power", "'RU'"]),
    ("scn-events-not-array", _scen(lambda s: 'events = 3\n' + s.split("[[events]]")[0]),
     ["events", "array of tables"]),
    ("scn-include-missing", _scen(lambda s: s.replace("_powers_2000s.toml", "_nope.toml")),
     ["include", "'_nope.toml'", "no such file in this scenario's folder", "or in the presets"]),
    ("scn-start-power-typo", _scen(lambda s: s + START.format(power="RUSS", line="tie = 0.3")),
     ["regimes.NIC.start_state", "'RUSS'", "did you mean 'RUS'"]),
    ("scn-start-tie-range", _scen(lambda s: s + START.format(power="RUS", line="tie = 1.5")),
     ["regimes.NIC.start_state.RUS.tie", "1.5", "[0, 1]"]),
    ("scn-start-field-typo", _scen(lambda s: s + START.format(power="RUS", line="tye = 0.3")),
     ["regimes.NIC.start_state.RUS", "did you mean 'tie'"]),
    ("scn-start-debt-negative", _scen(lambda s: s + START.format(power="RUS",
                                                                 line="debt = -0.5")),
     ["regimes.NIC.start_state.RUS.debt", "[0, 100]"]),
    ("scn-start-not-table", _scen(lambda s: s.replace("asset_market = 0.05\n",
                                                      "asset_market = 0.05\nstart_state = 3\n")),
     ["regimes.NIC.start_state", "must be a table"]),
    ("scn-set-field-typo", _set("budgt = 100.0", target='power = "RUS"'),
     ["events[7]", "'budgt'", "did you mean 'budget'"]),
    ("scn-set-range", _set("internal_threat_offset = 3.0"),
     ["events[7].internal_threat_offset", "[-1, 1]"]),
    ("scn-set-both-targets", _set("budget = 100.0", target='regime = "NIC"\npower = "RUS"'),
     ["events[7].regime", "either regime", "or power"]),
    ("scn-set-no-target", _set("budget = 100.0", target=""), ["events[7].regime", "either"]),
    ("scn-set-leader-state", _set("mandate = 0.3"),
     ["events[7].mandate", "leader's", "internal_threat_offset"]),
    ("scn-set-no-field", _set(""), ["events[7].kind", "at least one"]),
    ("scn-set-power-typo", _set("budget = 100.0", target='power = "RU"'),
     ["events[7].power", "did you mean 'RUS'"]),
    ("scn-set-regime-typo", _set("asset_naval = 1.0", target='regime = "NIX"'),
     ["events[7].regime", "did you mean 'NIC'"]),
    ("scn-set-before-start", _set("asset_naval = 1.0", date="2005Q1"),
     ["events[7].date", "2005Q1", "outside the run"]),
    ("scn-set-after-end", _set("asset_naval = 1.0", date="2021Q1"),
     ["events[7].date", "2021Q1", "outside the run"]),
    ("scn-deal-over-every-budget", _scen(lambda s: s.replace("military_budget = 79.0",
                                                             "military_budget = 100000.0")),
     ["regimes.NIC.military_budget", "Nicaragua's smallest deal costs US$15,000M",
      "(US, US$2,000M)"]),
    ("scn-source-typo", _scen(lambda s: s.replace(SOURCES, SOURCES + 'militry_budget = "x"\n')),
     ["regimes.NIC.sources", "did you mean 'military_budget'"]),
    ("scn-source-unset-field", _scen(lambda s: s.replace(
        SOURCES, SOURCES + 'internal_threat_offset = "x"\n')),
     ["regimes.NIC.sources.internal_threat_offset", "does not set"]),
    ("scn-source-empty", _scen(lambda s: s.replace(SOURCES, SOURCES + 'autocracy = " "\n')),
     ["regimes.NIC.sources.autocracy", "non-empty string"]),
    ("scn-power-source-typo", _scen(lambda s: s + '\n[powers.RUS.sources]\nbudgte = "x"\n'),
     ["powers.RUS.sources", "did you mean 'budget'"]),
    ("scn-parameter-source-unset", _scen(lambda s: s + '\n[parameters.sources]\n'
                                         'us_pressure = "x"\n'),
     ["parameters.sources.us_pressure", "does not set"]),
    ("scn-include-folder", _scen(lambda s: s.replace('"_powers_2000s.toml"', '"."')),
     ["include", "is a folder"]),
    ("scn-include-not-list", _scen(lambda s: s.replace('["_powers_2000s.toml"]', "3")),
     ["include", "list of file names"]),
    ("scn-not-utf8", _scen(lambda s: s.replace("Daniel Ortega", "Daniel Ortéga")
                           .encode("latin-1")), ["encoding", "UTF-8"]),
    ("scn-include-not-utf8", lambda d: (_scen(lambda s: s)(d), (d / "_powers_2000s.toml")
                                        .write_bytes(POWERS.replace("Russia", "Rüssia")
                                                     .encode("latin-1")))[0],
     ["_powers_2000s.toml", "UTF-8"]),
    ("scn-folder", _argv("run", "{d}", "--out", "{d}/out"), ["is a folder"]),
    ("scn-missing-file", _argv("run", "{d}/none.toml", "--out", "{d}/out"), ["no such file"]),
    ("scn-preset-typo", _argv("run", "nicaragu", "--out", "{d}/out"),
     ["did you mean 'nicaragua_2007'"]),
    # ---- sweep specs ----
    ("spec-param-typo", _spec("internal_threat = {", "internal_treat = {"),
     ["did you mean 'internal_threat'"]),
    ("spec-design-kind", _spec('kind = "grid"', 'kind = "latin"'), ["design.kind"]),
    ("spec-high-range", _spec("high = 0.6", "high = 2.0"), ["must be in [0, 1]"]),
    ("spec-replications-0", _spec("replications = 2", "replications = 0"), [">= 1"]),
    ("spec-n-negative", _spec("n = 3", "n = -2"), ["whole number >= 1"]),
    ("spec-empty-values", _spec("[0.1, 0.5]", "[]"), ["gives no runs"]),
    ("spec-name-escape", _spec('name = "t"', 'name = "../../escape"'),
     ["sweep.name", "plain folder name"]),
    ("spec-name-slash", _spec('name = "t"', 'name = "a/b"'), ["plain folder name"]),
    ("spec-name-number", _spec('name = "t"', "name = 7"), ["sweep.name", "must be a string"]),
    ("spec-n1-low-lt-high", _spec("n = 3", "n = 1"), ["n = 1 would take low"]),
    ("spec-duplicate-values", _spec("[0.1, 0.5]", "[0.1, 0.5, 0.1]"), ["more than once"]),
    ("spec-seed-negative", _spec("seed = 1", "seed = -1"), ["sweep.seed"]),
    ("spec-seed-float", _spec("seed = 1", "seed = 1.5"), ["sweep.seed", "whole number"]),
    ("spec-unknown-rule", _spec("seed = 1", 'seed = 1\nrules = ["omnibalancing"]'),
     ["did you mean 'omnibalance'"]),
    ("spec-duplicate-rule", _spec("seed = 1", 'seed = 1\nrules = ["bandwagon", "bandwagon"]'),
     ["only once"]),
    ("spec-steps-large", _spec("steps = 8", "steps = 5000"), ["<= 2000"]),
    ("spec-axis-levels", _spec("n = 3", "n = 2000000"), ["<= 1000000"]),
    ("spec-fixed-and-swept", _spec("[design]", "[fixed]\nus_pressure = 0.3\n[design]"),
     ["also swept"]),
    ("spec-unknown-table", _spec("[design]", "[desing]\n[design]"), ["did you mean 'design'"]),
    ("spec-scenario-missing", _spec('"nicaragua_2007"', '"nowhere.toml"'),
     ["no such scenario file"]),
    ("spec-scenario-preset-typo", _spec('"nicaragua_2007"', '"nicaragua_207"'),
     ["did you mean 'nicaragua_2007'"]),
    ("spec-malformed", _spec("[design]", "[design"), ["malformed TOML"]),
    ("spec-regime-id", _spec("internal_threat = {", '"regimes.NIX.mandate" = {'),
     ["did you mean 'NIC'"]),
    ("spec-not-utf8", lambda d: ((d / "s.toml").write_bytes(
        SPEC.replace('"t"', '"të"').encode("latin-1")),
        ["sweep", str(d / "s.toml"), "--out", str(d / "R")])[1], ["UTF-8"]),
    ("spec-folder", _argv("sweep", "{d}", "--out", "{d}/R"), ["is a folder"]),
    ("spec-missing", _argv("sweep", "{d}/none.toml", "--out", "{d}/R"), ["no such spec file"]),
    ("spec-billion-runs", _spec("replications = 2", "replications = 200000000"),
     ["1,200,000,000 runs", "--yes"]),
    ("spec-too-many-points", _spec("n = 3 }", "n = 10000 }\nmandate_effect = { low = 0, high = "
                                   "1, n = 10000 }", ("--yes",)),
     ["do not fit in memory"]),
    ("spec-sobol-not-power-of-2", lambda d: ((d / "s.toml").write_text(
        SOBOL_SPEC.replace("samples = 4", "samples = 6")),
        ["sweep", str(d / "s.toml"), "--out", str(d / "R")])[1], ["power of 2"]),
    # ---- command line ----
    ("cli-steps-0", _argv("run", "nicaragua_2007", "--steps", "0", "--out", "{d}/o"),
     ["--steps", ">= 1"]),
    ("cli-steps-3000", _argv("run", "nicaragua_2007", "--steps", "3000", "--out", "{d}/o"),
     ["<= 2000"]),
    ("cli-seed-text", _argv("run", "nicaragua_2007", "--seed", "x", "--out", "{d}/o"),
     ["--seed", "whole number"]),
    ("cli-rule", _argv("run", "nicaragua_2007", "--rule", "omni", "--out", "{d}/o"),
     ["invalid choice"]),
    ("cli-set-range", _argv("run", "nicaragua_2007", "--set", "us_pressure=2", "--out",
                            "{d}/o"), ["us_pressure", "[0, 1]"]),
    ("cli-set-power-field", _argv("run", "nicaragua_2007", "--set", "powers.RUS.sunkweight=0",
                                  "--out", "{d}/o"), ["did you mean 'sunk_weight'"]),
    ("cli-set-regime-id", _argv("run", "nicaragua_2007", "--set", "regimes.NIX.mandate=0.3",
                                "--out", "{d}/o"), ["did you mean 'NIC'"]),
    ("cli-set-no-value", _argv("run", "nicaragua_2007", "--set", "us_pressure", "--out",
                               "{d}/o"), ["NAME=VALUE"]),
    ("cli-set-text", _argv("run", "nicaragua_2007", "--set", "us_pressure=high", "--out",
                           "{d}/o"), ["must be a number"]),
    ("cli-set-shape", _argv("run", "nicaragua_2007", "--set", "a.b=1", "--out", "{d}/o"),
     ["regimes.<ID>.<field>"]),
    ("cli-out-under-file", lambda d: ((d / "f").write_text("x"),
                                      ["run", "nicaragua_2007", "--out", str(d / "f" / "s")])[1],
     ["--out"]),
    ("cli-workers-0", _spec("x", "x", ("--workers", "0")), ["--workers", ">= 1"]),
    ("cli-scheduler-not-url", lambda d: [*_spec("x", "x")(d)[:-3], "--scheduler", "not a url"],
     ["--scheduler", "not a scheduler address"]),
    ("cli-runner-missing", _spec("x", "x", ("--runner", "nosuch_module:fn")),
     ["--runner", "cannot import"]),
    ("cli-runner-shape", _spec("x", "x", ("--runner", "justaname")), ["MODULE:FUNCTION"]),
    ("cli-sweep-out-is-file", lambda d: ((d / "R").write_text("x"),
                                         _spec("x", "x")(d))[1], ["not a folder"]),
    ("cli-sweep-out-not-empty", lambda d: ((d / "R").mkdir(), (d / "R" / "a.txt").write_text(
        "x"), _spec("x", "x")(d))[2], ["not empty"]),
    # ---- results folders ----
    ("res-stray-chunk-sweep", _results(_stray, ["sweep", "{d}/s.toml", "--out", "{d}/R",
                                                "--workers", "1"]),
     ["part-00000 (1).parquet", "not written by the sweep"]),
    ("res-stray-chunk-plot", _results(_stray, PHASE), ["part-00000 (1).parquet"]),
    ("res-empty-manifest-plan", _results(_manifest(""), ["sweep", "{d}/s.toml", "--out",
                                                         "{d}/R", "--plan"]),
     ["unreadable manifest.json"]),
    ("res-corrupt-manifest-plot", _results(_manifest("{"), PHASE),
     ["unreadable manifest.json"]),
    ("res-manifest-without-plan", _results(_manifest("{}"), PHASE), ["without its plan"]),
    ("res-truncated-chunk-plot", _results(_truncate, PHASE),
     ["part-00001.parquet", "rerun the sweep"]),
    ("res-different-spec", _results(_nothing, ["sweep", "{d}/s2.toml", "--out", "{d}/R"]),
     ["no such spec file"]),
    ("res-phase-out-file", _results(_file_at("afile"), [*PHASE, "--out", "{d}/afile"]),
     ["--out", "not a folder"]),
    ("res-phase-out-proc", _results(_nothing, [*PHASE, "--out", "/proc/omnibalance-x"]),
     ["--out", "cannot write"]),
    ("res-phase-x-typo", _results(_nothing, [*PHASE[:4], "internal_treat", *PHASE[5:]]),
     ["did you mean 'internal_threat'"]),
    ("res-phase-same-axes", _results(_nothing, [*PHASE[:6], "internal_threat"]),
     ["must differ"]),
    ("res-phase-patron", _results(_nothing, [*PHASE, "--patrons", "RUZ"]),
     ["did you mean 'RUS'"]),
    ("res-phase-no-manifest", _argv("plot", "phase", "{d}", "--x", "a", "--y", "b"),
     ["no manifest.json"]),
    ("res-sens-text-outcome", _results(_nothing, ["sensitivity", "{d}/R", "--outcome",
                                                  "first_pc_patron"], kind="sobol"),
     ["text outcome"]),
    ("res-sens-grid", _results(_nothing, ["sensitivity", "{d}/R", "--outcome",
                                          "pc_ever_RUS"]), ["'sobol' or 'morris'"]),
    ("res-sens-outcome-typo", _results(_nothing, ["sensitivity", "{d}/R", "--outcome",
                                                  "pc_ever_RSU"], kind="sobol"),
     ["did you mean 'pc_ever_RUS'"]),
]


@pytest.mark.parametrize("case,make,words", TABLE, ids=[c[0] for c in TABLE])
def test_bad_input_table(tmp_path, tmp_path_factory, monkeypatch, capsys, case, make, words):
    """Every row: exit 2, the message names what is wrong, no traceback, nothing written."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    argv = make(work, tmp_path_factory) if getattr(make, "needs_factory", False) else make(work)
    before = tree(work)
    capsys.readouterr()
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2, (case, err)
    assert "Traceback" not in err
    for w in words:
        assert w in err, (case, w, err)
    assert tree(work) == before, case


def test_the_table_has_at_least_60_cases():
    assert len(TABLE) >= 60
    kinds = {c[0].split("-")[0] for c in TABLE}
    assert kinds == {"scn", "spec", "cli", "res"}
