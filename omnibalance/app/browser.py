"""Drive the classroom app in headless Chromium: for the browser test and the docs' screenshot.

Needs Playwright's Python package (the ``test`` extra) and a Chromium binary; it never
downloads a browser (Debian's ``chromium`` at ``/usr/bin/chromium`` by default, or
``OMNIBALANCE_CHROMIUM``). Example, the screenshot in docs/img::

    python -m omnibalance.app.browser --steps 40 --out docs/img/app_nicaragua_40.png
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

CHROMIUM = os.environ.get("OMNIBALANCE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
"""Headless flags for a machine with no network but loopback: without the networking flags
Chromium keeps trying to reach Google's services."""


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class AppServer:
    """``omnibalance app`` on a free port of 127.0.0.1, in its own process group, stopped on
    exit (with the Solara server it started)."""

    def __init__(self, port: int | None = None, host: str = "127.0.0.1",
                 log: Path | None = None):
        self.host, self.port = host, port or free_port(host)
        self.url = f"http://{host}:{self.port}/"
        self.log = log
        self.proc: subprocess.Popen | None = None
        self._log_file = None

    def __enter__(self) -> AppServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self, timeout: float = 90) -> None:
        out = subprocess.DEVNULL
        if self.log is not None:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            self._log_file = out = open(self.log, "w")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "omnibalance", "app", "--host", self.host,
             "--port", str(self.port)], stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"omnibalance app exited with status {self.proc.returncode}"
                                   + (f"; see {self.log}" if self.log else ""))
            try:
                with urllib.request.urlopen(self.url, timeout=5) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.5)
        self.stop()
        raise TimeoutError(f"the app did not answer on {self.url} within {timeout:.0f} s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None


def launch(playwright, executable: str = CHROMIUM):
    """Debian's Chromium, headless, through Playwright."""
    return playwright.chromium.launch(executable_path=executable, headless=True,
                                      args=CHROMIUM_ARGS)


class AppPage:
    """The app in one browser tab, with the actions a teacher takes."""

    def __init__(self, page, url: str, timeout_ms: float = 30_000):
        self.page, self.url, self.timeout = page, url, timeout_ms
        page.set_default_timeout(timeout_ms)

    def open(self) -> AppPage:
        self.page.goto(self.url, timeout=60_000)
        self.page.locator(".ob-status").wait_for(timeout=60_000)
        self.page.locator(".ob-network svg").first.wait_for()
        return self

    # --- reading ---------------------------------------------------------------------------
    def status(self) -> str:
        return self.page.locator(".ob-status").inner_text()

    def step_count(self) -> int:
        text = self.status()
        return int(text.split("step ", 1)[1].split(" ", 1)[0])

    def image(self, panel: str) -> str:
        """The drawing in a panel (``network``, ``threats``, ``ties``), as SVG markup."""
        return self.page.locator(f".ob-{panel} .ob-panel-body").first.inner_html()

    def text(self, selector: str) -> str:
        return self.page.locator(selector).first.inner_text()

    def log_lines(self) -> list[str]:
        return self.page.locator(".ob-log .ob-log-line").all_inner_texts()

    # --- acting ----------------------------------------------------------------------------
    def wait_step(self, n: int) -> None:
        self.page.wait_for_function(
            "n => { const s = document.querySelector('.ob-status');"
            " return s && s.innerText.includes(' step ' + n + ' of '); }", arg=n,
            timeout=self.timeout)

    def wait_step_at_least(self, n: int) -> None:
        self.page.wait_for_function(
            "n => { const s = document.querySelector('.ob-status'); if (!s) return false;"
            " const m = s.innerText.match(/ step (\\d+) of /); return m && +m[1] >= n; }",
            arg=n, timeout=self.timeout)

    def wait_state(self, state: str) -> None:
        """Wait until the page says ``playing`` (its play loop runs) or ``paused`` (ended)."""
        self.page.locator(f'.ob-state[data-state="{state}"]').wait_for(timeout=self.timeout)

    def wait_panels_at(self, n: int) -> None:
        """Wait until every panel on screen shows quarter ``n``."""
        self.page.wait_for_function(
            "n => { const a = [...document.querySelectorAll('.ob-panel .ob-at')];"
            " return a.length > 0 && a.every(e => e.dataset.step == String(n)); }", arg=n,
            timeout=self.timeout)

    def toggle(self, label: str) -> None:
        """Click the sidebar switch labelled ``label``."""
        self.page.locator(".v-input--switch").filter(has_text=label).first \
            .locator("input").click(force=True)

    def step(self, times: int = 1) -> None:
        for _ in range(times):
            n = self.step_count()
            self.page.get_by_role("button", name="Step", exact=True).click()
            self.wait_step(n + 1)

    def button(self, name: str):
        return self.page.get_by_role("button", name=name, exact=True)

    def choose(self, label: str, option: str) -> None:
        """Pick ``option`` in the sidebar's select labelled ``label``."""
        field = self.page.locator(".v-select").filter(has_text=label).first
        field.locator(".v-select__slot").click()
        menu = self.page.locator(".menuable__content__active")
        menu.get_by_role("option", name=option, exact=True).click()
        menu.wait_for(state="hidden")

    def options(self, label: str) -> list[str]:
        field = self.page.locator(".v-select").filter(has_text=label).first
        field.locator(".v-select__slot").click()
        menu = self.page.locator(".menuable__content__active")
        menu.wait_for()
        names = menu.get_by_role("option").all_inner_texts()
        self.page.keyboard.press("Escape")
        menu.wait_for(state="hidden")
        return [n.strip() for n in names]

    def wait_status(self, text: str) -> None:
        self.page.wait_for_function(
            "t => { const s = document.querySelector('.ob-status');"
            " return s && s.innerText.includes(t); }", arg=text, timeout=self.timeout)

    def screenshot(self, path: Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path))
        return path


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser(description="Screenshot the classroom app after some steps.")
    ap.add_argument("--preset", default="Nicaragua 2007")
    ap.add_argument("--rule", default=None, help="rule label as the selector shows it")
    ap.add_argument("--steps", type=int, default=40)
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=800)
    ap.add_argument("--out", type=Path, default=Path("docs/img/app_nicaragua_40.png"))
    args = ap.parse_args(argv)
    with AppServer() as server, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        app = AppPage(page, server.url).open()
        if args.preset not in app.status():
            app.choose("Scenario preset", args.preset)
            app.wait_status(args.preset)
        if args.rule:
            app.choose("Alignment rule", args.rule)
            app.wait_status(args.rule)
        app.step(args.steps)
        page.wait_for_timeout(1000)
        print(app.screenshot(args.out))
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
