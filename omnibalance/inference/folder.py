"""An analysis' output folder: its manifest, its lock, and refusal of a different spec.

``OUT/manifest.json`` holds the normalised spec, its hash, the seed, the versions, every
session (start, end, wall time, candidates evaluated) and, when done, the generations. A folder
holds one analysis: pointed at a folder made by another spec, a command refuses (exit 2) and
writes nothing; pointed at its own, it resumes. The lock (``OUT/.lock``) keeps two processes
out of one folder.
"""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from ..errors import ConfigError
from ..sweep.engine import versions as sweep_versions
from ..sweep.store import atomic_write_bytes, now

FORMAT = "omnibalance-inference/1"


def versions() -> dict[str, str | None]:
    out = sweep_versions()
    for pkg in ("pyabc", "ema_workbench"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    return out


class Folder:
    """One analysis' folder, locked while open."""

    def __init__(self, root: Path, command: str, spec, spec_text: str | None = None):
        self.root, self.command, self.spec = Path(root), command, spec
        self.spec_text = spec_text
        self._lock: FileLock | None = None
        self.manifest: dict[str, Any] = {}

    def check(self) -> dict[str, Any] | None:
        """The manifest already there (same analysis), or None; refuse another analysis."""
        path = self.root / "manifest.json"
        if self.root.exists() and not self.root.is_dir():
            raise ConfigError("command line", "--out", str(self.root), "is a file, not a folder")
        if not path.exists():
            if self.root.exists() and any(p.name != ".lock" for p in self.root.iterdir()):
                raise ConfigError("command line", "--out", str(self.root),
                                  "is not empty and holds no analysis; give a new folder")
            return None
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(str(path), "manifest", "(file)", f"unreadable ({exc})") from None
        if old.get("format") != FORMAT or old.get("command") != self.command:
            raise ConfigError("command line", "--out", str(self.root),
                              f"holds a {old.get('command', 'different')} analysis, not "
                              f"{self.command}; give another folder")
        if old.get("spec_hash") != self.spec.hash:
            raise ConfigError("command line", "--out", str(self.root),
                              f"holds another analysis (spec hash {old.get('spec_hash', '')[:12]}"
                              f" there, {self.spec.hash[:12]} now); give another folder")
        return old

    def open(self) -> dict[str, Any]:
        old = self.check()
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = FileLock(str(self.root / ".lock"))
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise ConfigError("command line", "--out", str(self.root),
                              "is in use by another omnibalance process") from None
        self.manifest = old or {"format": FORMAT, "command": self.command,
                                "spec": self.spec.normalised(), "spec_hash": self.spec.hash,
                                "seed": self.spec.seed, "status": "new", "sessions": []}
        self.manifest["versions"] = versions()
        self.manifest["sessions"].append({"started": now()})
        if self.spec_text is not None:
            (self.root / "spec.toml").write_text(self.spec_text, encoding="utf-8")
        self.write()
        return self.manifest

    def write(self) -> None:
        atomic_write_bytes(self.root / "manifest.json",
                           json.dumps(self.manifest, indent=2, default=str).encode())

    def close(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None
