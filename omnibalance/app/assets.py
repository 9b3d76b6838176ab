"""The browser-side files Solara's page loads, for machines without a CDN.

A Solara page loads its front end (the Vuetify app bundle, RequireJS, the grid layout) from a
CDN through the server's proxy, which keeps a copy in ``settings.assets.proxy_cache_dir``. On a
machine that cannot reach the CDN (a CI runner, a classroom behind a strict firewall) the page
stays blank. These files are npm packages, so :func:`ensure_assets` fills the cache with
``npm pack`` when npm is there. The packages and versions are read from the installed Solara's
own templates, so an upgrade of Solara changes them by itself.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

_PINNED = re.compile(r"(?:\{\{cdn\}\}|getCdn\(\)\})/"  # "{{cdn}}/" or "${this.getCdn()}/"
                     r"((?:@[\w.-]+/)?[\w.-]+)@(\d+\.\d+\.\d+[\w.+-]*)/")
_SOURCES = ("server/templates/solara.html.j2", "widgets/vue/gridlayout_v3.vue",
            "widgets/vue/gridlayout.vue")


def required_assets() -> list[tuple[str, str]]:
    """(package, version) of every CDN package Solara's page and grid layout pin."""
    import solara

    root = Path(solara.__file__).parent
    found: dict[tuple[str, str], None] = {}
    for rel in _SOURCES:
        path = root / rel
        if path.exists():
            for m in _PINNED.finditer(path.read_text(encoding="utf-8")):
                found[(m.group(1), m.group(2))] = None
    # The page template loads one of two app bundles, by the major version of ipyvue.
    import ipyvue

    skip = "@widgetti/solara-vuetify-app" if ipyvue.__version__.startswith("3") else \
        "@widgetti/solara-vuetify3-app"
    return [pv for pv in found if pv[0] != skip]


def cache_dir() -> Path:
    """Where Solara's CDN proxy looks for cached files (``SOLARA_ASSETS_PROXY_CACHE_DIR``)."""
    from solara.server import settings

    return Path(settings.assets.proxy_cache_dir)


def missing_assets(cache: Path | None = None) -> list[tuple[str, str]]:
    cache = cache_dir() if cache is None else cache
    return [(p, v) for p, v in required_assets()
            if not (cache / f"{p}@{v}" / "package.json").exists()]


def ensure_assets(cache: Path | None = None, timeout: float = 180,
                  say: Callable[[str], None] | None = None) -> list[str]:
    """Fetch the missing packages with ``npm pack`` into Solara's CDN cache.

    ``say`` is told, before the download starts, what is fetched and why it may take a
    while (only on a first start, when something is missing). Returns the problems (empty
    when every package is in place); never raises for a missing
    npm or a failed download, since Solara may still reach its CDN itself.
    """
    cache = cache_dir() if cache is None else cache
    missing = missing_assets(cache)
    if not missing:
        return []
    npm = shutil.which("npm")
    if npm is None:
        return [f"{p}@{v}: not cached and npm is not installed" for p, v in missing]
    if say is not None:
        say(f"first start: fetching {len(missing)} front-end package(s) with npm into "
            f"{cache} ({', '.join(p for p, _ in missing)}); this takes up to a minute or two "
            "and happens once")
    problems = []
    with tempfile.TemporaryDirectory(prefix="omnibalance-assets-") as tmp:
        for pkg, ver in missing:
            try:
                out = subprocess.run([npm, "pack", f"{pkg}@{ver}", "--pack-destination", tmp,
                                      "--silent"], capture_output=True, text=True,
                                     timeout=timeout, check=True, cwd=tmp)
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
                detail = getattr(exc, "stderr", "") or str(exc)
                problems.append(f"{pkg}@{ver}: npm pack failed: {detail.strip()[:300]}")
                continue
            tgz = Path(tmp) / out.stdout.strip().splitlines()[-1]
            try:
                _unpack(tgz, cache / f"{pkg}@{ver}", Path(tmp))
            except (OSError, tarfile.TarError) as exc:
                problems.append(f"{pkg}@{ver}: cannot unpack into {cache}: {exc}")
    return problems


def _unpack(tgz: Path, dest: Path, tmp: Path) -> None:
    """Unpack an npm tarball's ``package/`` folder as ``dest``, atomically (two test workers
    may fetch the same package at once)."""
    work = Path(tempfile.mkdtemp(dir=tmp))
    with tarfile.open(tgz) as tar:
        tar.extractall(work, filter="data")
    src = work / "package"
    dest.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(dir=dest.parent, prefix=".partial-"))
    shutil.rmtree(staged)
    shutil.copytree(src, staged)
    try:
        os.replace(staged, dest)
    except OSError:
        shutil.rmtree(staged, ignore_errors=True)
        if not (dest / "package.json").exists():
            raise
