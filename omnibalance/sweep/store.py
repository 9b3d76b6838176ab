"""The results folder of a sweep: Parquet chunks written atomically, plus a manifest.

Layout of ``OUT/``::

    manifest.json          spec (normalised), its hash, plan, seeds, versions, sessions, failures
    spec.toml              the spec file as given
    design.parquet         one row per design point: point id and parameter values
    runs/part-00000.parquet   one row per run (chunk 0), ... one file per chunk
    series/part-00000.parquet per-step series (only if the spec asks for them)

A chunk counts as done exactly when ``runs/part-NNNNN.parquet`` exists. Every file is written
to a hidden temporary name in the same folder, flushed to disk and renamed into place, so a
SIGKILL at any moment leaves either the whole chunk or nothing (readers such as pyarrow and R's
arrow skip names starting with "."). A folder belongs to one sweep: the identity (spec hash,
scenario file hash, runner) is checked before anything is written, and a different spec is
refused, never mixed in.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import ConfigError

FORMAT = "omnibalance-sweep/1"
PART = "part-{:05d}.parquet"


@dataclass(frozen=True)
class Identity:
    """What makes two sweeps the same: the normalised spec, the scenario (its content, with the
    files it includes), the runner."""

    spec_hash: str
    scenario_hash: str
    runner: str

    def differences(self, other: dict[str, Any]) -> list[str]:
        out = []
        if other.get("spec_hash") != self.spec_hash:
            out.append(f"spec hash {str(other.get('spec_hash'))[:12]} there, "
                       f"{self.spec_hash[:12]} now")
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
        self._lock = None

    # --- before anything is written -----------------------------------------------------
    def check(self) -> dict[str, Any] | None:
        """Check the folder may hold this sweep. Returns the existing manifest (resume) or
        ``None`` (new sweep). Raises :class:`ConfigError` and writes nothing otherwise."""
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
        try:
            manifest = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError("command line", "--out", where,
                              f"has an unreadable manifest.json ({exc})") from None
        if manifest.get("format") != FORMAT:
            raise ConfigError("command line", "--out", where,
                              f"holds results of another format ({manifest.get('format')})")
        diff = self.identity.differences(manifest)
        if diff:
            raise ConfigError(
                "command line", "--out", where,
                f"holds results of a different sweep ({'; '.join(diff)}); refusing to mix or "
                "overwrite them: choose another --out or delete that folder")
        _check_writable(self.root)
        return manifest

    def done_chunks(self) -> set[int]:
        """Chunks whose per-run file is in place."""
        if not self.runs_dir.is_dir():
            return set()
        done = set()
        for p in self.runs_dir.glob("part-*.parquet"):
            try:
                done.add(int(p.stem.split("-")[1]))
            except (IndexError, ValueError):
                continue
        return done

    # --- writing ----------------------------------------------------------------------------
    def open(self, manifest: dict[str, Any], spec_text: str, design: pa.Table,
             series: bool) -> None:
        """Create the folder (if new), take its lock, clear temporary files a killed run left,
        and write the manifest, spec and design (those not yet there)."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            self.runs_dir.mkdir(exist_ok=True)
            if series:
                self.series_dir.mkdir(exist_ok=True)
            self._take_lock()
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

    def _take_lock(self) -> None:
        fh = open(self.root / ".lock", "a+")  # noqa: SIM115 -- held for the sweep's life
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            raise ConfigError("command line", "--out", str(self.root),
                              "another sweep is writing to this folder right now") from None
        self._lock = fh

    def write_chunk(self, chunk: int, runs: pa.Table, series: pa.Table | None) -> None:
        """Write one chunk; the per-run file goes last, so it marks the chunk done."""
        if series is not None:
            atomic_write_table(self.series_dir / PART.format(chunk), series)
        atomic_write_table(self.runs_dir / PART.format(chunk), runs)

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        text = json.dumps(manifest, indent=2, default=str) + "\n"
        atomic_write_bytes(self.manifest_path, text.encode())

    def close(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a hidden temporary file and a rename."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def atomic_write_table(path: Path, table: pa.Table) -> None:
    """Write a Parquet file through a hidden temporary file and a rename."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    with open(tmp, "wb") as fh:
        pq.write_table(table, fh, compression="zstd")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


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
