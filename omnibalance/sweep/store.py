"""The results folder of a sweep: Parquet chunks written atomically, plus a manifest.

Layout of ``OUT/``::

    manifest.json          spec (normalised), its hash, plan, seeds, versions, sessions, failures
    spec.toml              the spec file as given
    design.parquet         one row per design point: point id and parameter values
    runs/part-00000.parquet   one row per run (chunk 0), ... one file per chunk
    series/part-00000.parquet per-step series (only if the spec asks for them)

A chunk counts as done when ``runs/part-NNNNN.parquet`` exists and matches what the manifest
records for it (``chunks``: its row count and SHA-256, and those of its series file). Every file
is written to a hidden temporary name in the same folder, flushed to disk and renamed into
place, so a SIGKILL at any moment leaves either the whole chunk or nothing (readers such as
pyarrow and R's arrow skip names starting with "."). A chunk file that does not match (truncated,
emptied, edited) is recomputed with a warning naming it; a file in ``runs/`` the sweep did not
write (``part-00003 (1).parquet``) is refused, never counted.

A folder belongs to one sweep. Its lock (``.lock``, taken with :mod:`filelock`) is taken first,
then the identity (spec hash, scenario hash, runner) is checked under it, so two sweeps started
together into one folder cannot both write: the second is refused. The one change of spec a
folder accepts is ``--extend``: the same spec with more replications, whose runs are added as
a new block of chunks (:mod:`.plan`) beside the ones already written; the manifest records
each extension under ``extensions``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from filelock import FileLock, Timeout

from ..errors import ConfigError
from .spec import spec_hash

FORMAT = "omnibalance-sweep/1"
PART = "part-{:05d}.parquet"
_PART_RE = re.compile(r"^part-(\d{5})\.parquet$")


class StoreWarning(UserWarning):
    """Something in a results folder was repaired (a bad chunk recomputed)."""


def chunk_key(chunk: int) -> str:
    """The key of a chunk in the manifest's ``chunks`` table."""
    return f"{chunk:05d}"


@dataclass(frozen=True)
class Identity:
    """What makes two sweeps the same: the normalised spec, the scenario (its content, with the
    files it includes), the runner. ``family_hash`` is the spec's hash without its
    replications, and ``replications`` its count: a folder holding the same spec with fewer
    replications can be extended (``--extend``) to this one."""

    spec_hash: str
    scenario_hash: str
    runner: str
    family_hash: str = ""
    replications: int = 0

    def replications_held(self, other: dict[str, Any]) -> int | None:
        """The replications a manifest's sweep holds if it is this spec but for its
        replications, else ``None``."""
        stored = other.get("spec")
        try:
            if self.family_hash and spec_hash(stored, replications=False) == self.family_hash:
                return int(stored["sweep"]["replications"])
        except (TypeError, KeyError, AttributeError, ValueError):
            pass
        return None

    def differences(self, other: dict[str, Any], extend: bool = False) -> list[str]:
        """What differs between this sweep and a manifest's; with ``extend``, a manifest of
        the same spec with fewer replications does not differ."""
        out = []
        if other.get("spec_hash") != self.spec_hash:
            held = self.replications_held(other)
            if held is None:
                out.append(f"spec hash {str(other.get('spec_hash'))[:12]} there, "
                           f"{self.spec_hash[:12]} now")
            elif not (extend and held < self.replications):
                out.append(f"{held} replications there, {self.replications} now: add "
                           f"replications with --extend --replications N, or resume it with "
                           f"--extend --replications {held}")
        if other.get("scenario_hash") != self.scenario_hash:
            out.append("the scenario (or a file it includes) has changed since")
        if other.get("runner") != self.runner:
            out.append(f"runner {other.get('runner')} there, {self.runner} now")
        return out


class ResultsStore:
    """One sweep's results folder. :meth:`check` reads only; :meth:`open` writes."""

    def __init__(self, root: str | os.PathLike, identity: Identity):
        self.root = Path(root)
        self.identity = identity
        self.runs_dir = self.root / "runs"
        self.series_dir = self.root / "series"
        self.manifest_path = self.root / "manifest.json"
        self._lock: FileLock | None = None
        self._created: list[Path] = []
        self._new_lockfile = False

    # --- the lock: taken before anything else is written -------------------------------
    def lock(self) -> None:
        """Take the folder's lock (creating the folder if new). Raises :class:`ConfigError` if
        another sweep holds it. The only thing written before the checks is the folder and its
        hidden ``.lock``; :meth:`release` removes both again if this call created them."""
        where = str(self.root)
        if self.root.exists() and not self.root.is_dir():
            raise ConfigError("command line", "--out", where, "exists and is not a folder")
        if not self.root.exists():
            _check_creatable(self.root)
            missing = []
            p = self.root
            while not p.exists():
                missing.append(p)
                p = p.parent
            try:
                self.root.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ConfigError("command line", "--out", where,
                                  f"cannot be created ({exc.strerror or exc})") from None
            self._created = missing  # deepest first
        else:
            _check_writable(self.root)
        self._new_lockfile = not (self.root / ".lock").exists()
        lock = FileLock(self.root / ".lock")
        try:
            lock.acquire(timeout=0)
        except Timeout:
            self.release(remove=True)
            raise ConfigError("command line", "--out", where,
                              "another sweep is writing to this folder right now") from None
        except OSError as exc:
            self.release(remove=True)
            raise ConfigError("command line", "--out", where,
                              f"cannot write there ({exc.strerror or exc})") from None
        self._lock = lock

    def release(self, remove: bool = False) -> None:
        """Release the lock; with ``remove``, delete the folders :meth:`lock` created if
        nothing but the lock file was put in them (bad input leaves nothing behind)."""
        held = self._lock is not None
        if held:
            if remove and self._new_lockfile:
                (self.root / ".lock").unlink(missing_ok=True)
            self._lock.release()
            self._lock = None
        if remove and self._created:
            (self.root / ".lock").unlink(missing_ok=True)
            for folder in self._created:
                try:
                    folder.rmdir()
                except OSError:
                    break
            self._created = []

    # --- checks, under the lock ---------------------------------------------------------
    def check(self, extend: bool = False) -> dict[str, Any] | None:
        """Check the folder may hold this sweep. Returns the existing manifest (resume, or
        with ``extend`` the same spec with fewer replications) or ``None`` (new sweep).
        Raises :class:`ConfigError` and writes nothing otherwise."""
        where = str(self.root)
        if self.root.exists() and not self.root.is_dir():
            raise ConfigError("command line", "--out", where, "exists and is not a folder")
        if not self.root.exists():
            _check_creatable(self.root)
            return None
        if not self.manifest_path.exists():
            leftovers = [p for p in self.root.iterdir() if not p.name.startswith(".")]
            if leftovers:
                raise ConfigError("command line", "--out", where,
                                  "is not empty and holds no sweep manifest; choose an empty "
                                  "or new folder")
            _check_writable(self.root)
            return None
        manifest = read_manifest(self.root, "--out")
        if manifest.get("format") != FORMAT:
            raise ConfigError("command line", "--out", where,
                              f"holds results of another format ({manifest.get('format')})")
        held = self.identity.replications_held(manifest)
        if extend and held is not None and held > self.identity.replications:
            raise ConfigError("command line", "--replications", self.identity.replications,
                              f"is fewer than the {held} replications {where} already holds; "
                              f"--extend only adds replications (give more than {held})")
        diff = self.identity.differences(manifest, extend)
        if diff:
            raise ConfigError(
                "command line", "--out", where,
                f"holds results of a different sweep ({'; '.join(diff)}); refusing to mix or "
                "overwrite them: choose another --out or delete that folder")
        _check_writable(self.root)
        return manifest

    def done_chunks(self) -> set[int]:
        """Chunks whose per-run file is in place (not verified: see :meth:`verified_chunks`)."""
        return set(chunk_files(self.runs_dir, None, str(self.root)))

    def verified_chunks(self, manifest: dict[str, Any], plan, series: bool) -> set[int]:
        """The chunks that are done and sound. Must hold the lock.

        A chunk recorded in the manifest must match its row count and checksums; one written
        but not yet recorded (the sweep was killed before its manifest caught up) must read
        back whole with the planned number of rows, and is then recorded. Any other chunk file
        is deleted with a :class:`StoreWarning` naming it, so it is recomputed. A file in
        ``runs/`` the sweep did not write raises :class:`ConfigError`.
        """
        files = chunk_files(self.runs_dir, plan.chunks, str(self.root))
        recorded = manifest.setdefault("chunks", {})
        good = set()
        for k, path in sorted(files.items()):
            want = len(plan.chunk_runs(k))
            entry = recorded.get(chunk_key(k))
            spath = self.series_dir / PART.format(k)
            problem = _chunk_problem(path, spath if series else None, entry, want)
            if problem is None:
                if entry is None:
                    recorded[chunk_key(k)] = _entry(path, spath if series else None)
                good.add(k)
                continue
            warnings.warn(f"{path}: {problem}; recomputing chunk {k}", StoreWarning,
                          stacklevel=2)
            recorded.pop(chunk_key(k), None)
            path.unlink(missing_ok=True)
            spath.unlink(missing_ok=True)
        for key in list(recorded):
            if int(key) not in good:
                recorded.pop(key)
        return good

    # --- writing ----------------------------------------------------------------------------
    def open(self, manifest: dict[str, Any], spec_text: str, design: pa.Table,
             series: bool) -> None:
        """Under the lock: clear temporary files a killed run left, and write the manifest,
        spec and design (those not yet there)."""
        if self._lock is None:
            self.lock()
        self._created = []  # from here on the folder is the sweep's
        self._new_lockfile = False
        try:
            self.runs_dir.mkdir(exist_ok=True)
            if series:
                self.series_dir.mkdir(exist_ok=True)
            for folder in (self.runs_dir, self.series_dir):
                if folder.is_dir():
                    for tmp in folder.glob(".*.tmp*"):
                        tmp.unlink(missing_ok=True)
            if not (self.root / "spec.toml").exists():
                atomic_write_bytes(self.root / "spec.toml", spec_text.encode())
            if not (self.root / "design.parquet").exists():
                atomic_write_table(self.root / "design.parquet", design)
            self.write_manifest(manifest)
        except OSError as exc:
            raise ConfigError("command line", "--out", str(self.root),
                              f"cannot write there ({exc.strerror or exc})") from None

    def write_chunk(self, chunk: int, runs: pa.Table, series: pa.Table | None,
                    manifest: dict[str, Any] | None = None) -> None:
        """Write one chunk; the per-run file goes last, so it marks the chunk done. Its row
        count and checksums go into ``manifest["chunks"]`` (written with the manifest)."""
        entry: dict[str, Any] = {}
        if series is not None:
            entry["series_sha256"] = atomic_write_table(self.series_dir / PART.format(chunk),
                                                        series)
            entry["series_rows"] = series.num_rows
        entry["sha256"] = atomic_write_table(self.runs_dir / PART.format(chunk), runs)
        entry["rows"] = runs.num_rows
        if manifest is not None:
            manifest.setdefault("chunks", {})[chunk_key(chunk)] = dict(
                sorted(entry.items(), key=lambda kv: kv[0] not in ("rows", "sha256")))

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        text = json.dumps(manifest, indent=2, default=str) + "\n"
        atomic_write_bytes(self.manifest_path, text.encode())

    def close(self) -> None:
        """Release the lock."""
        self.release()


def read_manifest(folder: Path, field: str) -> dict[str, Any]:
    """A results folder's manifest, or a :class:`ConfigError` if it is unreadable."""
    path = Path(folder) / "manifest.json"
    try:
        manifest = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError("command line", field, str(folder),
                          f"has an unreadable manifest.json ({type(exc).__name__}: "
                          f"{' '.join(str(exc).split())[:120]}); it is not a results folder "
                          "this version can use") from None
    ok = (isinstance(manifest, dict) and isinstance(manifest.get("plan"), dict)
          and isinstance(manifest["plan"].get("chunk_size"), int)
          and isinstance(manifest.get("design"), dict))
    if not ok:
        raise ConfigError("command line", field, str(folder),
                          "has a manifest.json without its plan or design; it is not a results "
                          "folder this version can use")
    return manifest


def chunk_files(runs_dir: Path, chunks: int | None, where: str) -> dict[int, Path]:
    """The chunk files in ``runs/`` by chunk number. Hidden files (temporary ones) are
    skipped; any other file, or a chunk number beyond ``chunks``, raises :class:`ConfigError`:
    a stray copy must never be counted as runs."""
    if not runs_dir.is_dir():
        return {}
    out = {}
    for p in sorted(runs_dir.iterdir()):
        if p.name.startswith("."):
            continue
        m = _PART_RE.match(p.name)
        if m is None or not p.is_file() or (chunks is not None and int(m.group(1)) >= chunks):
            raise ConfigError(where, "runs/", p.name,
                              "this file was not written by the sweep (its chunks are "
                              f"part-00000.parquet ... part-{max((chunks or 1) - 1, 0):05d}"
                              ".parquet); move it out of runs/ so it is not counted as runs")
        out[int(m.group(1))] = p
    return out


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def chunk_problem(path: Path, entry: dict[str, Any] | None) -> str | None:
    """What is wrong with a recorded chunk file, or ``None`` if it matches its entry."""
    if entry is None:
        return None
    try:
        if file_sha256(path) != entry.get("sha256"):
            return "its checksum does not match the manifest (truncated or changed)"
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    return None


def _chunk_problem(path: Path, spath: Path | None, entry: dict[str, Any] | None,
                   want: int) -> str | None:
    if entry is not None:
        problem = chunk_problem(path, entry)
        if problem is None and entry.get("rows") != want:
            problem = f"it holds {entry.get('rows')} rows, the plan {want}"
        if problem is None and spath is not None and (
                not spath.is_file() or file_sha256(spath) != entry.get("series_sha256")):
            problem = f"its series file {spath.name} is missing or does not match"
        return problem
    try:
        rows = pq.read_table(path).num_rows
    except (OSError, pa.ArrowException) as exc:
        return f"unreadable ({' '.join(str(exc).split())[:100]})"
    if rows != want:
        return f"it holds {rows} rows, the plan {want}"
    if spath is not None:
        try:
            pq.read_table(spath)
        except (OSError, pa.ArrowException):
            return f"its series file {spath.name} is missing or unreadable"
    return None


def _entry(path: Path, spath: Path | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"rows": pq.read_metadata(path).num_rows,
                             "sha256": file_sha256(path)}
    if spath is not None:
        entry["series_sha256"] = file_sha256(spath)
        entry["series_rows"] = pq.read_metadata(spath).num_rows
    return entry


def atomic_write_bytes(path: Path, data: bytes) -> str:
    """Write ``data`` to ``path`` through a hidden temporary file and a rename; returns the
    SHA-256 of what was written."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return hashlib.sha256(data).hexdigest()


def atomic_write_table(path: Path, table: pa.Table) -> str:
    """Write a Parquet file through a hidden temporary file and a rename; returns the SHA-256
    of the file."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return atomic_write_bytes(path, sink.getvalue().to_pybytes())


def now() -> str:
    """The current time, ISO 8601 in UTC."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _check_creatable(folder: Path) -> None:
    """The nearest existing ancestor is a writable folder (nothing is created here)."""
    parent = folder
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise ConfigError("command line", "--out", str(folder),
                          f"cannot be created: {parent} is a file, not a folder")
    _check_writable(parent, folder)


def _check_writable(parent: Path, target: Path | None = None) -> None:
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ConfigError("command line", "--out", str(target or parent),
                          f"cannot write there ({parent} is not writable)")
