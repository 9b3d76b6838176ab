"""Worker jobs on a batch system (SLURM, PBS) through ``dask-jobqueue``: options, job script,
and a watch over the jobs while a sweep runs.

``omnibalance sweep SPEC --cluster slurm --jobs N`` submits N batch jobs, each running Dask
workers that connect back to a scheduler in the sweep's own process. What a job asks for comes,
in this order, from ``--cluster-opt KEY=VALUE``, from Dask's configuration
(``~/.config/dask/jobqueue.yaml``, section ``jobqueue.slurm`` or ``jobqueue.pbs``), and from the
defaults in :data:`OPTIONS`, chosen to start soon on a shared university cluster: one core,
2 GiB and one hour per job, the cluster's default partition and account.

While the sweep runs, :class:`JobWatch` asks the batch system (``squeue``) which worker jobs
are still queued or running. A job that ended after its worker had connected (``scancel``, a
walltime kill, a lost node) is replaced by a new job; its unfinished chunk goes to another
worker, so nothing is lost or run twice. A job that ended before its worker ever connected
(wrong Python, no route to the scheduler) stops the sweep with one line naming the job and the
last line of its log; what was written stays, and rerunning the command resumes.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError, unknown_key

SUBMIT = {"slurm": "sbatch", "pbs": "qsub"}
WHERE = "command line"
FIELD = "--cluster-opt"


@dataclass(frozen=True)
class Option:
    """One ``--cluster-opt`` key: the dask-jobqueue keyword it sets, its default and meaning."""

    keyword: str
    default: Any
    meaning: str
    repeatable: bool = False


OPTIONS: dict[str, Option] = {
    "account": Option("account", None, "account charged for the jobs (SLURM -A; default: "
                                       "your default account)"),
    "partition": Option("queue", None, "partition or queue (SLURM -p, PBS -q; default: the "
                                       "cluster's default)"),
    "walltime": Option("walltime", "01:00:00", "time limit per job, [D-]HH:MM:SS"),
    "memory": Option("memory", "2GiB", "memory per job, e.g. 2GiB, 4000MB"),
    "cores": Option("cores", 1, "cores per job"),
    "processes": Option("processes", None, "worker processes per job (default: one per core)"),
    "job_extra_directives": Option("job_extra_directives", (), "an extra #SBATCH/#PBS "
                                   "directive, e.g. --qos=short (repeatable)", True),
    "job_script_prologue": Option("job_script_prologue", (), "a shell line run before the "
                                  "worker starts, e.g. 'module load python' (repeatable)", True),
    "interface": Option("interface", None, "network interface the scheduler and workers use, "
                                           "e.g. ib0 (default: this machine's host name)"),
    "python": Option("python", None, "the Python the jobs run (default: this one)"),
    "log_directory": Option("log_directory", None, "folder for the jobs' output "
                                                   "(default: OUT/.jobs)"),
}
ALIASES = {"queue": "partition", "mem": "memory", "time": "walltime", "project": "account"}

_WALLTIME = re.compile(r"^(\d+-)?\d+(:\d{1,2}){0,2}$")


def _bad(text: str, why: str) -> ConfigError:
    return ConfigError(WHERE, FIELD, text, why)


def _check_value(key: str, value: str, text: str) -> Any:
    """The value of one option, checked; a bad one is a :class:`ConfigError`."""
    if key in ("cores", "processes"):
        if not value.isdigit() or int(value) < 1:
            raise _bad(text, f"{key} must be a whole number >= 1")
        return int(value)
    if key == "walltime" and not _WALLTIME.match(value):
        raise _bad(text, "walltime must look like HH:MM:SS, D-HH:MM:SS or MINUTES")
    if key == "memory":
        from dask.utils import parse_bytes

        try:
            if parse_bytes(value) <= 0:
                raise ValueError
        except ValueError:
            raise _bad(text, "memory must be an amount such as 2GiB, 4GB or 4000MB") from None
    if key == "job_extra_directives" and not value.startswith("-"):
        raise _bad(text, "a directive is an option of sbatch/qsub, starting with '-', e.g. "
                         "--qos=short")
    if not value.strip():
        raise _bad(text, f"{key} needs a value")
    return value


def parse_options(texts: list[str] | None) -> dict[str, Any]:
    """``KEY=VALUE`` strings -> {key: value} (repeatable keys collect a list), checked."""
    out: dict[str, Any] = {}
    for text in texts or []:
        key, sep, value = text.partition("=")
        key = key.strip().replace("-", "_")
        key = ALIASES.get(key, key)
        if not sep:
            raise _bad(text, "expected KEY=VALUE, e.g. partition=short")
        if key not in OPTIONS:
            raise unknown_key(WHERE, FIELD, key, OPTIONS)
        value = _check_value(key, value.strip(), text)
        if OPTIONS[key].repeatable:
            out.setdefault(key, []).append(value)
        else:
            out[key] = value
    if "processes" in out and out["processes"] > out.get("cores", out["processes"]):
        raise _bad(f"processes={out['processes']}", "processes cannot exceed cores")
    return out


def _packaged_defaults(system: str) -> dict[str, Any]:
    """dask-jobqueue's own defaults (its bundled jobqueue.yaml), to tell them from a user's."""
    import dask_jobqueue
    import yaml

    path = Path(dask_jobqueue.__file__).with_name("jobqueue.yaml")
    try:
        return yaml.safe_load(path.read_text())["jobqueue"][system]
    except (OSError, KeyError, TypeError):
        return {}


def job_kwargs(system: str, given: dict[str, Any], out: Path | None) -> dict[str, Any]:
    """Keyword arguments for dask-jobqueue's cluster: ``given`` (from ``--cluster-opt``), else
    the user's Dask configuration, else :data:`OPTIONS`' defaults."""
    import dask

    packaged = _packaged_defaults(system)
    kwargs: dict[str, Any] = {}
    for key, opt in OPTIONS.items():
        if key in given:
            value = given[key]
        else:
            dashed = opt.keyword.replace("_", "-")
            configured = dask.config.get(f"jobqueue.{system}.{dashed}", None)
            user_set = configured not in (None, [], ()) and configured != packaged.get(dashed)
            value = configured if user_set else opt.default
        if key == "log_directory" and value is None and out is not None:
            value = str(Path(out).resolve() / ".jobs")
        if value is None or (opt.repeatable and not value):
            continue
        kwargs[opt.keyword] = list(value) if opt.repeatable else value
    kwargs.setdefault("processes", kwargs.get("cores", 1))
    kwargs.setdefault("python", sys.executable)
    kwargs["job_name"] = "omnibalance-worker"  # the job name squeue shows
    return kwargs


def _job_class(system: str):
    import dask_jobqueue

    return {"slurm": dask_jobqueue.SLURMCluster, "pbs": dask_jobqueue.PBSCluster}[system]


def job_script(system: str, kwargs: dict[str, Any]) -> str:
    """The job script each worker job would be submitted with (``--dry-run``); nothing is
    submitted or written."""
    job_cls = _job_class(system).job_cls
    kw = dict(kwargs)
    log_dir = kw.pop("log_directory", None)
    with tempfile.TemporaryDirectory() as tmp:
        job = job_cls("tcp://SCHEDULER-ADDRESS:PORT", name="WORKER-NAME",
                      log_directory=tmp if log_dir else None, **kw)
        text = job.job_script()
        return text.replace(tmp, log_dir) if log_dir else text


def start_cluster(system: str, jobs: int, kwargs: dict[str, Any]):
    """Start the scheduler here and submit ``jobs`` worker jobs; returns (cluster, client).
    A job the batch system refuses (a bad partition, account or walltime) is a
    :class:`ConfigError` carrying the batch system's own message."""
    submit = SUBMIT[system]
    if shutil.which(submit) is None:
        raise ConfigError(WHERE, "--cluster", system,
                          f"needs the batch system's '{submit}' command, which is not on "
                          "this machine's PATH")
    from distributed import Client

    kw = dict(kwargs)
    made = _missing_dirs(kw.get("log_directory"))
    # No dashboard; its HTTP server, which dask always starts, on a free local port.
    scheduler_options: dict[str, Any] = {"dashboard": False, "dashboard_address": "127.0.0.1:0"}
    if "interface" not in kw:
        scheduler_options["host"] = socket.gethostname()
    try:
        cluster = _job_class(system)(scheduler_options=scheduler_options, **kw)
    except ValueError as exc:
        raise ConfigError(WHERE, "--cluster", system,
                          f"dask-jobqueue is not configured: {' '.join(str(exc).split())}") \
            from None
    try:
        cluster.sync(_submit, cluster, jobs)  # now, so that a refused job is reported here
    except RuntimeError as exc:
        cluster.sync(_forget_unsubmitted, cluster)
        cluster.close()
        for path in made:  # leave no trace of a sweep that never started
            with contextlib.suppress(OSError):
                path.rmdir()
        raise ConfigError(WHERE, "--cluster", system,
                          f"the batch system refused the worker job: {refusal(exc)}") from None
    client = Client(cluster, set_as_default=False)
    return cluster, client


def _missing_dirs(path: str | None) -> list[Path]:
    """The folders that creating ``path`` would make, deepest first."""
    out: list[Path] = []
    if path:
        p = Path(path)
        while not p.exists():
            out.append(p)
            p = p.parent
    return out


async def _submit(cluster, jobs: int, drop: str | None = None) -> None:
    """On the cluster's event loop: forget worker ``drop`` (a job that ended), bring the
    planned workers up to ``jobs`` jobs, and submit the missing ones; a submission the batch
    system refuses raises ``RuntimeError``. The new jobs get new names, so dask's own clean-up
    of a lost worker, a little later, cannot mistake a new job for the old one and cancel it."""
    used = getattr(cluster, "omnibalance_names", set()) | set(cluster.worker_spec)
    if drop is not None:
        cluster.workers.pop(drop, None)
        cluster.worker_spec.pop(drop, None)
    while len(cluster.worker_spec) < jobs:
        while cluster._new_worker_name(cluster._i) in used:
            cluster._i += 1
        new = cluster.new_worker_spec()
        used |= set(new)
        cluster.worker_spec.update(new)
    cluster.omnibalance_names = used
    await cluster._correct_state()


async def _forget_unsubmitted(cluster) -> None:
    """Drop the jobs that were never submitted, so that the cluster can close."""
    from distributed.core import Status

    for job in list(cluster._created):
        if getattr(job, "job_id", None) is None:
            job.status = Status.failed
    for name, job in list(cluster.workers.items()):
        if getattr(job, "job_id", None) is None:
            cluster.workers.pop(name, None)
    cluster.worker_spec.clear()


def refusal(exc: BaseException) -> str:
    """The batch system's own words from a failed submission (dask-jobqueue's RuntimeError)."""
    msg = " ".join(str(exc).split())
    found = re.findall(r"((?:sbatch|qsub): error: .*?)(?= (?:sbatch|qsub): error:|$)", msg)
    return found[-1] if found else msg[-300:]


ACTIVE = {"PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "SUSPENDED", "REQUEUED",
          "RESIZING", "SIGNALING", "STAGE_OUT", "REQUEUE_HOLD", "REQUEUE_FED"}


def squeue_states(job_ids: list[str]) -> dict[str, str]:
    """Job id -> state, as ``squeue`` reports it (a job it no longer lists is missing)."""
    if not job_ids:
        return {}
    try:
        done = subprocess.run(["squeue", "-h", "-t", "all", "-j", ",".join(job_ids), "-o",
                               "%i %T"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return {j: "UNKNOWN" for j in job_ids}  # cannot ask: assume nothing changed
    states = {}
    for line in done.stdout.splitlines():
        parts = line.split()
        if len(parts) == 2:
            states[parts[0]] = parts[1]
    return states


def log_tail(log_directory: str | None, job_id: str) -> str:
    """The last non-empty line of a job's error (or output) log, if there is one."""
    if not log_directory:
        return ""
    for suffix in (".err", ".out"):
        for path in sorted(Path(log_directory).glob(f"*-{job_id}{suffix}")):
            lines = [ln.strip() for ln in path.read_text(errors="replace").splitlines()
                     if ln.strip()]
            if lines:
                return f"; its log {path} ends: {lines[-1][:200]}"
    return ""


START_GRACE = 120.0
"""Seconds a sweep on worker jobs waits for the rest of its jobs once the first worker has
connected (a started job's worker takes seconds to connect; a queued job may take hours)."""


class JobWatch:
    """Keeps ``jobs`` worker jobs alive while a sweep runs (SLURM; see the module docstring).

    :meth:`tick` is called often from the thread waiting for results; it looks at the batch
    system at most every ``every`` seconds and raises ``RuntimeError`` (which stops the sweep,
    keeping what was written) when jobs keep ending without doing any work.
    """

    def __init__(self, cluster, client, jobs: int, log_directory: str | None,
                 every: float = 3.0, say=None):
        self.cluster, self.client, self.jobs = cluster, client, jobs
        self.log_directory = log_directory
        self.every = every
        self.say = say or (lambda text: print(f"omnibalance: {text}", file=sys.stderr,
                                              flush=True))
        self.connected: set[str] = set()
        self.replaced = 0
        self.idle_replacements = 0
        self._last = 0.0
        self._waiting_said = time.monotonic() - 45  # first word after 15 s of waiting
        self._all_said = False

    def job_ids(self) -> dict[str, str]:
        """Worker name -> batch job id of the jobs submitted and not yet replaced."""
        return {name: str(job.job_id) for name, job in list(self.cluster.workers.items())
                if getattr(job, "job_id", None)}

    def progressed(self) -> None:
        """A chunk came back: the jobs are doing work."""
        self.idle_replacements = 0

    def _seen(self) -> None:
        for info in self.client.scheduler_info()["workers"].values():
            name = str(info.get("name", ""))
            for spec in self.cluster.worker_spec:
                if name == spec or name.startswith(f"{spec}-"):
                    self.connected.add(spec)

    def tick(self) -> None:
        now = time.monotonic()
        if now - self._last < self.every:
            return
        self._last = now
        self._seen()
        ids = self.job_ids()
        states = squeue_states(list(ids.values()))
        ended = {name: job_id for name, job_id in ids.items()
                 if states.get(job_id, "GONE") not in ACTIVE | {"UNKNOWN"}}
        for name, job_id in ended.items():
            state = states.get(job_id, "no longer listed by squeue")
            if name not in self.connected:
                raise RuntimeError(
                    f"worker job {job_id} ended ({state}) before its Dask worker connected "
                    f"to the scheduler at {self.cluster.scheduler_address}"
                    f"{log_tail(self.log_directory, job_id)}")
            self.idle_replacements += 1
            if self.idle_replacements > 2 * self.jobs:
                raise RuntimeError(
                    f"{self.idle_replacements} worker jobs in a row ended ({state}) without "
                    f"finishing a chunk; is the walltime shorter than one chunk?"
                    f"{log_tail(self.log_directory, job_id)}")
            self._replace(name, job_id, state)
        if not ended:
            self._report_waiting(states, ids, now)
        if len(self.connected) >= self.jobs:
            self._say_all()

    def _say_all(self) -> None:
        if not self._all_said:
            self._all_said = True
            self.say(f"all {self.jobs} worker job(s) running; their workers are connected")

    def wait_for_start(self, grace: float = START_GRACE, poll: float = 0.5) -> None:
        """Block until the worker of every job has connected, or until one has and ``grace``
        seconds have passed since; then the sweep sends its chunks.

        Without this wait the first worker to connect takes every chunk it is offered, and a
        short sweep ends before the other jobs' workers have started Python. Jobs still
        queued after the grace join the sweep when the batch system starts them. Waiting for
        the first worker has no bound: :meth:`tick` reports queued jobs every minute and stops
        the sweep if a job ends before its worker connects.
        """
        first = None
        while True:
            self.tick()  # squeue at most every ``every`` seconds
            self._seen()
            if len(self.connected) >= self.jobs:
                self._say_all()
                return
            if self.connected and first is None:
                first = time.monotonic()
            if first is not None and time.monotonic() - first >= grace:
                self.say(f"{len(self.connected)} of {self.jobs} worker job(s) connected after "
                         f"{grace:.0f} s; starting with them, the others join when the batch "
                         "system starts them")
                return
            time.sleep(poll)

    def _replace(self, name: str, job_id: str, state: str) -> None:
        before = set(self.job_ids())
        try:
            self.cluster.sync(_submit, self.cluster, self.jobs, name)
        except RuntimeError as exc:
            raise RuntimeError(f"worker job {job_id} ended ({state}) and the batch system "
                               f"refused its replacement: {refusal(exc)}") from None
        self.connected.discard(name)
        self.replaced += 1
        new = ", ".join(j for n, j in self.job_ids().items() if n not in before) or "?"
        self.say(f"worker job {job_id} ended ({state}); its unfinished chunk goes to another "
                 f"worker; submitted job {new} in its place")

    def _report_waiting(self, states: dict[str, str], ids: dict[str, str], now: float) -> None:
        pending = [j for j in ids.values() if states.get(j) == "PENDING"]
        if (not self.client.scheduler_info()["workers"] and pending
                and now - self._waiting_said > 60):
            self._waiting_said = now
            self.say(f"waiting for worker jobs: {len(pending)} pending in the queue "
                         f"({', '.join(pending)}); see squeue -j {','.join(pending)}")
