"""Processes: sweep workers and the app's server die with their parent; the app names the
right option when it cannot listen, and says what it is doing on a first start."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from omnibalance.cli import main
from omnibalance.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
linux_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def descendants(pid: int) -> set[int]:
    """All live descendants of ``pid`` (from /proc), zombies excluded."""
    kids: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                kids.setdefault(int(fields[1]), []).append(int(d.name))
    out, todo = set(), [pid]
    while todo:
        for k in kids.get(todo.pop(), []):
            out.add(k)
            todo.append(k)
    return out


def alive(pids: set[int]) -> set[int]:
    out = set()
    for p in pids:
        try:
            if Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
                out.add(p)
        except OSError:
            pass
    return out


def wait_for(cond, timeout=120.0, every=0.1):
    """Poll ``cond`` until it is truthy (a state, not a time: the timeout only bounds a hang)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        got = cond()
        if got:
            return got
        time.sleep(every)
    raise AssertionError(f"condition not reached in {timeout} s")


SPEC = """
[sweep]
name = "orphans"
scenario = "nicaragua_2007"
steps = 56
replications = 200
seed = 1
[design]
kind = "grid"
[design.parameters]
us_pressure = { low = 0.0, high = 1.0, n = 5 }
"""


@linux_proc
def test_kill_9_of_a_sweep_leaves_no_worker_forkserver_or_tracker(tmp_path):
    """D21: after kill -9 of the sweep, its workers, fork server and resource tracker lived
    on. Now every process it started ends by itself."""
    spec = tmp_path / "s.toml"
    spec.write_text(SPEC)
    proc = subprocess.Popen([sys.executable, "-m", "omnibalance", "sweep", str(spec), "--out",
                             str(tmp_path / "R"), "--workers", "2", "--quiet",
                             "--chunk-size", "10"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # The pool is up when the first chunk is written (workers, fork server, tracker).
        wait_for(lambda: list((tmp_path / "R" / "runs").glob("part-*.parquet")))
        started = wait_for(lambda: (d := descendants(proc.pid)) and len(d) >= 3 and d)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        left = wait_for(lambda: not alive(started), timeout=60) and alive(started)
        assert not left
    finally:
        if proc.poll() is None:
            proc.kill()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


FAKE_APP = textwrap.dedent("""
    import sys
    import omnibalance.app.assets as assets
    import omnibalance.app.cli as app_cli
    from omnibalance.cli import main

    # The real server is Solara; a plain listening socket stands in for it here.
    server = ("import socket, time; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, "
              "socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', {port})); s.listen(); "
              "time.sleep(600)")
    app_cli.server_command = lambda host, port: [sys.executable, "-c", server]
    assets.ensure_assets = lambda say=None: []
    sys.exit(main(["app", "--port", "{port}"]))
""")


@linux_proc
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_of_the_app_stops_its_server_and_frees_the_port(tmp_path, sig):
    """D22: kill -TERM of `omnibalance app` left the server holding the port."""
    port = free_port()
    script = tmp_path / "app.py"
    script.write_text(FAKE_APP.replace("{port}", str(port)))
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: listening(port))
        server = descendants(proc.pid)
        assert server
        proc.send_signal(sig)
        proc.wait(timeout=60)
        wait_for(lambda: not alive(server), timeout=30)
        assert not listening(port)
        assert proc.returncode != 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_an_address_not_on_this_machine_blames_host_not_port():
    """D23: --host 10.255.255.1 was reported as a bad --port."""
    from omnibalance.app.cli import check_port_free

    with pytest.raises(ConfigError) as info:
        check_port_free("10.255.255.1", free_port())
    assert info.value.field == "--host" and "not an address of this machine" in str(info.value)


def test_the_first_start_says_it_is_fetching_front_end_files(tmp_path, monkeypatch):
    """D24: the first start said nothing for 25-85 s while npm fetched files."""
    from omnibalance.app import assets

    monkeypatch.setattr(assets, "missing_assets", lambda cache=None: [("@x/bundle", "1.0.0")])
    npm = tmp_path / "npm"
    npm.write_text("#!/bin/sh\nexit 1\n")
    npm.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    said = []
    problems = assets.ensure_assets(cache=tmp_path / "cache", say=said.append)
    assert len(said) == 1 and "fetching 1 front-end package" in said[0]
    assert "@x/bundle" in said[0] and problems


def test_run_names_carry_steps_and_overrides_and_the_summary_records_them(tmp_path, capsys):
    """D5: a second run with other --set/--steps silently replaced the first."""
    out = tmp_path / "o"
    assert main(["run", "nicaragua_2007", "--steps", "6", "--out", str(out)]) == 0
    assert main(["run", "nicaragua_2007", "--steps", "6", "--set", "us_pressure=0.9",
                 "--set", "regimes.NIC.mandate=0.2", "--out", str(out)]) == 0
    assert main(["run", "nicaragua_2007", "--steps", "7", "--out", str(out)]) == 0
    summaries = sorted(out.glob("*_summary.json"))
    assert len(summaries) == 3
    with_set = [json.loads(p.read_text()) for p in summaries if "_set-" in p.name]
    assert len(with_set) == 1
    assert with_set[0]["overrides"] == {"regimes.NIC.mandate": 0.2, "us_pressure": 0.9}


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    from omnibalance import __version__

    assert capsys.readouterr().out.strip() == f"omnibalance {__version__}"
