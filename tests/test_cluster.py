"""A real SLURM: sweeps through dask-jobqueue and a job script, faults included.

``scripts/slurm-local start`` brings up a one-node SLURM on this machine (slurmctld and slurmd
on localhost, 2 CPUs, partition ``local``); as root it installs Debian's packages first. Then:

* the commands of docs/sweeps.md "First time on a cluster", as printed: ``--dry-run``, a sweep
  with ``--cluster slurm --jobs 2`` whose rows equal an in-process sweep's bit for bit, and
  the three failures with the messages the docs show;
* ``scancel`` of one worker job mid-sweep, and a walltime shorter than the sweep: the sweep
  either completes (the job replaced, its chunk run elsewhere) or stops with a clear message
  and completes on rerun; either way the rows equal the in-process sweep's, none lost or
  doubled;
* the SLURM job script of docs/sweeps.md, exactly as printed, submitted with ``sbatch`` to
  finish a sweep that was killed half-way: it resumes, and the rows match.

Outside CI the tests skip where SLURM cannot be started (not root, no apt); in CI they fail.
Timings (SLURM start-up, the sweep on SLURM against in-process) are written to
test-artifacts/cluster-timings-PID.json (one per test process).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from omnibalance.runner import run_once
from omnibalance.sweep.engine import run_sweep
from omnibalance.sweep.executors import InProcess
from omnibalance.sweep.outcomes import TIMING_COLUMNS, run_once_fields
from omnibalance.sweep.spec import load_spec

pytestmark = [pytest.mark.cluster, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "slurm-local"
DOCS = ROOT / "docs" / "sweeps.md"
VENV_BIN = Path(sys.executable).parent
CHECK = ROOT / "experiments" / "cluster_check.toml"
ARTIFACTS = ROOT / "test-artifacts"
TIMINGS: dict[str, float] = {}
WAIT = 900  # seconds: an upper bound on any one sweep here (under load), never a pause


def slow_run(**kwargs):
    """``run_once``, then a pause of ``OMNIBALANCE_TEST_RUN_DELAY`` seconds (unset: none), so
    that a sweep lasts long enough to be interrupted whatever the model's speed. The pause
    changes no outcome: the in-process reference runs without it."""
    out = run_once(**kwargs)
    time.sleep(float(os.environ.get("OMNIBALANCE_TEST_RUN_DELAY", "0")))
    return out


slow_run.outcome_fields = run_once_fields

FAULT_SPEC = """
[sweep]
name = "{name}"
scenario = "nicaragua_2007"
steps = 12
replications = {reps}
seed = 5

[design]
kind = "grid"
[design.parameters]
internal_threat = {{ values = [0.1, 0.5, 0.9] }}
us_pressure = {{ values = [0.0, 0.3, 0.6, 0.9] }}
"""


# --- the cluster -------------------------------------------------------------------------
def _fail_or_skip(msg: str):
    if os.environ.get("CI"):
        pytest.fail(msg)
    pytest.skip(msg)


STATE = Path("/tmp/omnibalance-slurm-tests.json")
LOCK = Path("/tmp/omnibalance-slurm-tests.lock")


@contextlib.contextmanager
def _locked():
    """Held by one test process at a time (xdist workers too): the cluster is shared."""
    with LOCK.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _state() -> dict:
    try:
        return json.loads(STATE.read_text())
    except (OSError, ValueError):
        return {"users": 0, "started_by_tests": False}


@pytest.fixture(scope="session")
def _cluster_up():
    """A running one-node SLURM of ours for this test process. The test processes count
    themselves in /tmp/omnibalance-slurm-tests.json; the last one out stops the daemons if a
    test started them."""
    with _locked():
        state = _state()
        status = subprocess.run(["bash", str(SCRIPT), "status"], capture_output=True,
                                text=True)
        if status.returncode != 0:
            state = {"users": 0, "started_by_tests": True}
        t0 = time.perf_counter()
        done = subprocess.run(["bash", str(SCRIPT), "start"], capture_output=True, text=True,
                              timeout=900, stdin=subprocess.DEVNULL)
        if done.returncode == 0:
            state["users"] += 1
            STATE.write_text(json.dumps(state))
    if done.returncode != 0:
        _fail_or_skip(f"cannot start a local SLURM: {done.stderr.strip() or done.stdout}")
    TIMINGS["slurm_start_seconds"] = round(time.perf_counter() - t0, 2)
    TIMINGS["slurm_was_running"] = status.returncode == 0
    config = subprocess.run(["scontrol", "show", "config"], capture_output=True, text=True)
    if "omnibalance-local" not in config.stdout:
        _fail_or_skip("a SLURM other than scripts/slurm-local's answers here; not submitting "
                      "test jobs to it")
    yield
    with _locked():
        state = _state()
        state["users"] = max(0, state["users"] - 1)
        if state["users"] == 0 and state.get("started_by_tests"):
            for name in ("omnibalance-worker", "omnibalance-sweep"):
                subprocess.run(["scancel", "--name", name], capture_output=True)
            subprocess.run(["bash", str(SCRIPT), "stop"], capture_output=True)
            STATE.unlink(missing_ok=True)
        else:
            STATE.write_text(json.dumps(state))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"cluster-timings-{os.getpid()}.json").write_text(
        json.dumps(TIMINGS, indent=2) + "\n")


def cluster_state() -> str:
    """What SLURM says about the node and every job: for a failure message."""
    out = []
    for cmd in (["sinfo", "-N", "-h", "-o", "%N %T %E"],
                ["squeue", "-h", "-t", "all", "-o", "%i %j %T %M %R"]):
        done = subprocess.run(cmd, capture_output=True, text=True)
        out.append(f"$ {' '.join(cmd)}\n{done.stdout.strip()}{done.stderr.strip()}")
    return "\n".join(out)


def _node_in_service() -> None:
    """A node an earlier test's job left DRAIN or DOWN (a job slow to die on a loaded machine)
    is resumed, and that is recorded: the next test must not wait for a node that never
    comes back."""
    done = subprocess.run(["sinfo", "-N", "-h", "-o", "%N|%T|%E"], capture_output=True,
                          text=True)
    for line in done.stdout.splitlines():
        node, state, reason = (line.split("|") + ["", ""])[:3]
        if any(word in state for word in ("drain", "down", "fail")):
            TIMINGS.setdefault("node_resumed", []).append(f"{node} {state}: {reason}")
            subprocess.run(["scontrol", "update", f"nodename={node}", "state=resume"],
                           capture_output=True)


@pytest.fixture
def slurm(_cluster_up):
    """The cluster, to this test alone while it runs (sweeps of two tests would share its 2
    CPUs and wait for each other's jobs), with its node in service."""
    with _locked():
        _node_in_service()
        yield


@pytest.fixture(scope="session")
def env(_cluster_up):
    """The environment of a user with the venv activated; ``slow_run`` importable by jobs
    (sbatch passes the environment on)."""
    e = dict(os.environ)
    e["PATH"] = f"{VENV_BIN}{os.pathsep}{e.get('PATH', '')}"
    e["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "tests"), e.get("PYTHONPATH"))
                                      if p)
    e.pop("OMNIBALANCE_TEST_RUN_DELAY", None)
    if not socket.gethostbyname(socket.gethostname()).startswith("127."):
        e["DASK_JOBQUEUE__SLURM__INTERFACE"] = "lo"  # keep all traffic on this machine
    return e


@pytest.fixture
def home(tmp_path):
    """A folder laid out like the user's omnibalance checkout: experiments/ and .venv."""
    (tmp_path / "experiments").symlink_to(ROOT / "experiments")
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))
    return tmp_path


# --- helpers -----------------------------------------------------------------------------
def rows(folder: Path) -> pd.DataFrame:
    """A results folder's rows sorted by run_id, without timing columns."""
    df = pq.read_table(folder / "runs").to_pandas()
    return df.drop(columns=list(TIMING_COLUMNS)).sort_values("run_id").reset_index(drop=True)


def assert_same_rows(folder: Path, reference: Path, runs: int) -> None:
    """Every run exactly once, each row bit for bit the in-process one."""
    got, want = rows(folder), rows(reference)
    assert got["run_id"].is_unique, "a run was written twice"
    assert got["run_id"].tolist() == list(range(runs)), "runs are missing or extra"
    pd.testing.assert_frame_equal(got, want, check_exact=True)


def chunks_done(folder: Path) -> int:
    return len(list((folder / "runs").glob("part-*.parquet"))) if (folder / "runs").is_dir() \
        else 0


def run(cmd: str | list[str], cwd: Path, env: dict, timeout: float = WAIT):
    args = shlex.split(cmd) if isinstance(cmd, str) else cmd
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def wait_for(what, timeout: float, message: str, proc=None):
    """Poll ``what()`` until it is true (a state, not a time); fail after ``timeout``."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = what()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"{message}: the sweep ended first (exit {proc.returncode})")
        time.sleep(0.2)
    pytest.fail(f"{message}: not within {timeout} s")


def job_ids(text: str) -> list[str]:
    found = re.search(r"submitted \d+ SLURM worker job\(s\) \(([\d, ]+)\)", text)
    return found.group(1).replace(" ", "").split(",") if found else []


def section(title: str) -> str:
    text = DOCS.read_text(encoding="utf-8")
    start = text.index(title)
    end = text.find("\n## ", start + len(title))
    return text[start:end if end > 0 else len(text)]


def blocks(text: str, lang: str = "") -> list[str]:
    """The fenced code blocks of ``text`` whose language is ``lang`` ('' for none), in order,
    without their indentation."""
    found, current, kind = [], None, ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            if current is None:
                current, kind = [], stripped[3:].strip()
            else:
                if kind == lang:
                    found.append("\n".join(current) + "\n")
                current = None
        elif current is not None:
            current.append(line.strip() if lang == "" else line)
    return found


def pattern(doc_line: str) -> re.Pattern:
    """A line the docs show, as a pattern: '...' and the example home folder stand for
    anything, and every number for any number."""
    out = re.escape(doc_line.strip())
    out = out.replace(re.escape("/home/you/omnibalance"), ".*").replace(re.escape("..."), ".*")
    return re.compile(re.sub(r"\d+", r"\\d+", out))


def reference(spec_path: Path, out: Path, runner=None) -> Path:
    """The in-process sweep of a spec: the rows every other executor must reproduce."""
    if not out.exists():
        kw = {"runner": runner} if runner else {}
        run_sweep(load_spec(spec_path), out, executor=InProcess(), progress=False, **kw)
    return out


@pytest.fixture(scope="session")
def check_reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("reference") / "cluster_check"
    t0 = time.perf_counter()
    reference(CHECK, out)
    TIMINGS["cluster_check_in_process_library_seconds"] = round(time.perf_counter() - t0, 2)
    return out


def fault_spec(tmp_path: Path, name: str, reps: int) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(FAULT_SPEC.format(name=name, reps=reps))
    return path


# --- the cluster itself ------------------------------------------------------------------
def test_the_node_has_every_cpu_whatever_omp_num_threads(slurm):
    """GNU nproc honours OMP_NUM_THREADS, which Dask's nanny sets to 1 in any process that
    started a local Dask cluster: a node configured from it had 1 CPU, and the second worker
    job and the 2-task job script waited for ever. ``start`` is idempotent and must keep
    every CPU."""
    cpus = len(os.sched_getaffinity(0))
    done = subprocess.run(["bash", str(SCRIPT), "start"], capture_output=True, text=True,
                          timeout=900, stdin=subprocess.DEVNULL,
                          env=dict(os.environ, OMP_NUM_THREADS="1"))
    assert done.returncode == 0, done.stderr
    assert f"({cpus} CPUs)" in done.stdout, done.stdout
    sinfo = subprocess.run(["sinfo", "-h", "-o", "%c"], capture_output=True, text=True)
    assert sinfo.stdout.split() == [str(cpus)], cluster_state()


# --- First time on a cluster ---------------------------------------------------------------
def test_first_time_commands_as_printed(home, env, check_reference, slurm):
    """The section's commands, in order, as printed; the healthy start it shows; rows on SLURM
    equal to in-process bit for bit."""
    text = section("## First time on a cluster")
    commands = [ln.split("#")[0].strip() for ln in blocks(text, "sh")[0].splitlines()]
    commands = [c for c in commands if c]
    assert commands[0] == "source .venv/bin/activate"  # env does what it does
    outputs = {}
    for cmd in commands[1:]:
        t0 = time.perf_counter()
        done = run(cmd, home, env)
        outputs[cmd] = (done, time.perf_counter() - t0)
        assert done.returncode == 0, f"{cmd}: exit {done.returncode}\n{done.stderr}"
        if "--dry-run" in cmd:
            assert not (home / "results").exists(), "--dry-run wrote something"
    sinfo, _ = outputs["sinfo"]
    assert re.search(r"^local\*?\s+up", sinfo.stdout, flags=re.M), sinfo.stdout

    dry, _ = outputs[commands[2]]
    assert "--dry-run" in commands[2]
    assert "#SBATCH -t 01:00:00" in dry.stdout and "#SBATCH --mem=2G" in dry.stdout
    assert "distributed.cli.dask_worker" in dry.stdout

    cluster, seconds = outputs[commands[3]]
    assert "--cluster slurm --jobs 2" in commands[3]
    said = (cluster.stderr + cluster.stdout).splitlines()
    healthy = [ln for ln in blocks(text)[0].splitlines() if ln.strip()]
    for line in healthy[:2]:
        assert any(pattern(line).fullmatch(s.strip()) for s in said), (line, said)
    head = healthy[2].split(" in ")[0]
    assert any(s.startswith(head + " in ") and s.endswith("dask-jobqueue slurm (2 jobs)")
               for s in said), (healthy[2], said)
    assert re.search(r"scheduler tcp://127\.", cluster.stderr), "traffic must stay local"
    ids = job_ids(cluster.stderr)
    assert len(ids) == 2
    assert_same_rows(home / "results" / "cluster_check", check_reference, 256)
    manifest = json.loads((home / "results" / "cluster_check" / "manifest.json").read_text())
    assert len(manifest["sessions"][-1]["workers"]) == 2, "both worker jobs did work"
    _, here_seconds = outputs[commands[4]]
    assert_same_rows(home / "results" / "cluster_check_here", check_reference, 256)
    TIMINGS["cluster_check_slurm_cli_seconds"] = round(seconds, 2)
    TIMINGS["cluster_check_in_process_cli_seconds"] = round(here_seconds, 2)


def test_the_three_commonest_failures_say_what_the_docs_say(home, env, slurm):
    text = section("## First time on a cluster")
    shown = [b.strip() for b in blocks(text)[1:4]]
    assert len(shown) == 3
    base = "omnibalance sweep experiments/cluster_check.toml --cluster slurm --jobs 2"

    # 1. no sbatch on PATH
    no_slurm = dict(env, PATH=str(VENV_BIN))
    done = run(base, home, no_slurm, timeout=120)
    assert done.returncode == 2 and done.stderr.strip() == shown[0]
    assert not (home / "results").exists()

    # 2. a partition that does not exist
    done = run(base + " --cluster-opt partition=nosuch", home, env, timeout=120)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == shown[1]
    assert not (home / "results").exists(), "a refused job must leave nothing behind"

    # 3. workers that never connect: the jobs run a Python without omnibalance's packages
    python = shutil.which("python3", path="/usr/bin:/bin") or "/usr/bin/python3"
    done = run(base + f" --cluster-opt python={python}", home, env, timeout=WAIT)
    assert done.returncode == 1, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert pattern(shown[2]).fullmatch(last), (shown[2], last)
    assert "No module named" in last  # the log's last line says why


# --- faults -------------------------------------------------------------------------------
def _sweep_with_a_fault(tmp_path, env, spec, out, extra, fault, expect_state):
    """Run a slow sweep on 2 SLURM jobs, apply ``fault(job_ids, proc)`` mid-way, and return
    (the sweep's exit, its stderr) after it completes, rerunning once if it stopped."""
    cmd = [str(VENV_BIN / "omnibalance"), "sweep", str(spec), "--out", str(out), "--cluster",
           "slurm", "--jobs", "2", "--runner", "test_cluster:slow_run", "--quiet", *extra]
    log = tmp_path / "stderr.txt"
    with log.open("w") as err:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=err, text=True,
                                stdin=subprocess.DEVNULL)
        try:
            ids = wait_for(lambda: job_ids(log.read_text()), WAIT, "worker jobs submitted",
                           proc)
            fault(ids, proc)
            proc.wait(timeout=WAIT)
        finally:
            if proc.poll() is None:
                proc.kill()
    first = log.read_text()
    if proc.returncode == 0:
        assert re.search(rf"worker job \d+ ended \({expect_state}\).*submitted job \d+", first), \
            first
        return first
    # The other allowed outcome: a clear stop, then a rerun completes.
    assert proc.returncode == 1, first
    assert "omnibalance: sweep stopped:" in first and "rerun the same command" in first, first
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=WAIT,
                           stdin=subprocess.DEVNULL)
    assert again.returncode == 0, again.stderr
    return first + again.stderr


def test_scancel_of_a_worker_job_mid_sweep_loses_and_doubles_nothing(tmp_path, env, slurm):
    spec = fault_spec(tmp_path, "scancel", reps=10)  # 120 runs, 30 chunks
    ref = reference(spec, tmp_path / "ref", runner=slow_run)
    out = tmp_path / "out"
    env = dict(env, OMNIBALANCE_TEST_RUN_DELAY="0.1")
    seen = {}

    def cancel(ids, proc):
        wait_for(lambda: chunks_done(out) >= 3, WAIT, "first chunks written", proc)
        subprocess.run(["scancel", ids[0]], check=True)
        seen["at_cancel"] = chunks_done(out)

    said = _sweep_with_a_fault(tmp_path, env, spec, out, ["--chunk-size", "4"], cancel,
                               "CANCELLED")
    assert seen["at_cancel"] < 30, "the sweep was over before the job was cancelled"
    assert_same_rows(out, ref, 120)
    assert "Traceback" not in said


def test_walltime_shorter_than_the_sweep_is_resumed_not_lost(tmp_path, env, slurm):
    spec = fault_spec(tmp_path, "walltime", reps=8)  # 96 runs, 2 s each: ~96 s on 2 jobs
    ref = reference(spec, tmp_path / "ref", runner=slow_run)
    out = tmp_path / "out"
    env = dict(env, OMNIBALANCE_TEST_RUN_DELAY="2")
    seen = {}

    def note(ids, proc):
        seen["ids"] = ids

    t0 = time.perf_counter()
    said = _sweep_with_a_fault(tmp_path, env, spec, out,
                               ["--chunk-size", "2", "--cluster-opt", "walltime=00:01:00"],
                               note, "TIMEOUT")
    TIMINGS["walltime_sweep_seconds"] = round(time.perf_counter() - t0, 2)
    # The first jobs really were killed by their time limit, not finished in time.
    assert re.search(rf"worker job ({'|'.join(seen['ids'])}) ended \(TIMEOUT\)", said), said
    assert_same_rows(out, ref, 96)


# --- the job script in the docs --------------------------------------------------------------
def test_docs_job_script_as_printed_resumes_a_killed_sweep(home, env, check_reference, slurm):
    script = blocks(section("### SLURM, inside one allocation"), "bash")
    assert len(script) == 1
    (home / "omnibalance-sweep.sh").write_text(script[0])
    if not socket.gethostbyname(socket.gethostname()).startswith("127."):
        pytest.skip("the job script's scheduler would listen beyond loopback here")
    out = home / "results" / "cluster_check"
    # A sweep killed half-way (SIGKILL: no clean-up at all).
    proc = subprocess.Popen(shlex.split("omnibalance sweep experiments/cluster_check.toml "
                                        "--out results/cluster_check --workers 1 --quiet"),
                            cwd=home, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    try:
        wait_for(lambda: chunks_done(out) >= 3, WAIT, "first chunks written", proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    chunks = json.loads((out / "manifest.json").read_text())["plan"]["chunks"]
    assert chunks_done(out) < chunks, "the sweep finished before it could be killed"

    t0 = time.perf_counter()
    done = run("sbatch --parsable omnibalance-sweep.sh", home, env)
    assert done.returncode == 0, done.stderr
    job = done.stdout.strip().split(";")[0]

    def finished():
        q = subprocess.run(["squeue", "-h", "-j", job, "-o", "%T"], capture_output=True,
                           text=True)
        return q.stdout.strip() in ("", "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT")

    try:
        wait_for(finished, WAIT, f"job {job} finished")
    except pytest.fail.Exception:
        log = home / f"slurm-{job}.out"
        tail = log.read_text()[-2000:] if log.exists() else "(no output yet)"
        pytest.fail(f"job {job} not finished within {WAIT} s\n{cluster_state()}\n"
                    f"slurm-{job}.out ends:\n{tail}")
    TIMINGS["docs_job_script_seconds"] = round(time.perf_counter() - t0, 2)
    state = subprocess.run(["scontrol", "show", "job", job], capture_output=True, text=True)
    output = (home / f"slurm-{job}.out").read_text()
    assert "ExitCode=0:0" in state.stdout, output[-3000:]
    found = re.search(r"cluster_check: 256 runs complete \((\d+) this time\)", output)
    assert found, output[-3000:]
    assert 0 < int(found.group(1)) < 256, "the job must have resumed, not started over"
    assert_same_rows(out, check_reference, 256)


# --- options and the job script, no SLURM needed ---------------------------------------------
def _main(argv, capsys):
    from omnibalance.cli import main

    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("opt, words", [
    ("partiton=short", "unknown name; allowed: account, cores, interface, "),
    ("walltime=1h", "walltime must look like HH:MM:SS"),
    ("memory=lots", "memory must be an amount"),
    ("cores=0", "cores must be a whole number >= 1"),
    ("job_extra_directives=qos=short", "starting with '-'"),
    ("partition", "expected KEY=VALUE"),
])
def test_a_bad_cluster_option_is_one_line_exit_2_and_nothing_written(tmp_path, capsys, opt,
                                                                       words):
    out = tmp_path / "out"
    code, _, err = _main(["sweep", str(CHECK), "--out", str(out), "--cluster", "slurm",
                          "--cluster-opt", opt, "--dry-run"], capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("omnibalance: error: command line: "
                                                   "--cluster-opt = ")
    assert words in lines[0]
    if opt.startswith("partiton"):
        assert "(did you mean 'partition'?)" in lines[0]
    assert not out.exists()


def test_dry_run_prints_the_job_script_with_defaults_config_and_options(tmp_path, capsys,
                                                                        monkeypatch):
    out = tmp_path / "out"
    base = ["sweep", str(CHECK), "--out", str(out), "--cluster", "slurm", "--dry-run"]
    code, script, _ = _main(base, capsys)
    assert code == 0
    header = [ln for ln in script.splitlines() if ln.startswith("#SBATCH")]
    assert "#SBATCH -t 01:00:00" in header and "#SBATCH --mem=2G" in header
    assert "#SBATCH --cpus-per-task=1" in header
    assert not any(ln.startswith(("#SBATCH -p", "#SBATCH -A")) for ln in header)
    assert f"#SBATCH -o {out.resolve()}/.jobs/omnibalance-worker-%J.out" in header
    assert sys.executable in script
    # Dask's configuration beats the defaults; --cluster-opt beats both.
    monkeypatch.setenv("DASK_JOBQUEUE__SLURM__WALLTIME", "04:00:00")
    import dask

    dask.config.refresh()
    try:
        _, script, _ = _main(base, capsys)
        assert "#SBATCH -t 04:00:00" in script
        _, script, _ = _main(base + ["--cluster-opt", "walltime=00:20:00", "--cluster-opt",
                                     "partition=short", "--cluster-opt", "account=proj1",
                                     "--cluster-opt", "memory=8GiB", "--cluster-opt",
                                     "cores=4", "--cluster-opt",
                                     "job_extra_directives=--qos=short", "--cluster-opt",
                                     "job_extra_directives=--constraint=skylake"], capsys)
    finally:
        monkeypatch.delenv("DASK_JOBQUEUE__SLURM__WALLTIME")
        dask.config.refresh()
    for line in ("#SBATCH -t 00:20:00", "#SBATCH -p short", "#SBATCH -A proj1",
                 "#SBATCH --mem=8G", "#SBATCH --cpus-per-task=4", "#SBATCH --qos=short",
                 "#SBATCH --constraint=skylake"):
        assert line in script.splitlines(), line
    assert "--nworkers 4" in script and "--nthreads 1" in script  # a worker per core
    assert not out.exists(), "--dry-run wrote something"


def test_dry_run_and_cluster_options_need_cluster(tmp_path, capsys):
    code, _, err = _main(["sweep", str(CHECK), "--out", str(tmp_path / "o"), "--dry-run"],
                         capsys)
    assert code == 2 and "--dry-run" in err and "only applies with --cluster" in err
    code, _, err = _main(["sweep", str(CHECK), "--out", str(tmp_path / "o"), "--workers", "1",
                          "--cluster-opt", "cores=2"], capsys)
    assert code == 2 and "--cluster-opt" in err
    assert not (tmp_path / "o").exists()
