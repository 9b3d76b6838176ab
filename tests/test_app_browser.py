"""The classroom app in a real browser: Debian's Chromium, headless, driven by Playwright.

Starts ``omnibalance app`` on a free port of 127.0.0.1 and checks what a teacher sees and does:
stepping changes the panels; play runs and pause holds (waiting for the page's own "playing" /
"paused" state, never for a fixed time); a rule changed while playing leaves a working play
button; the page fits 1280 x 800 and 1920 x 1080 with no panel clipped or overlapping and no
text under 12 px; no Solara badge, no page tab, Mesa's render controls gone and the speed
behind "advanced"; the colours the page really uses survive a deuteranopia and protanopia
simulation. Screenshots and the measured seconds per quarter are left in test-artifacts/.
Without /usr/bin/chromium the tests fail in CI (CI=true) and skip elsewhere.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser")]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
GOAL_S_PER_QUARTER = 0.3
"""The issue's bar for playback. The test records the figure against it; it fails only past
twice the bar, so a loaded CI machine does not make it flaky (the old matplotlib page took
2.7-4.4 s a quarter)."""


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    from omnibalance.app.browser import CHROMIUM, launch

    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"{CHROMIUM} is missing: install Debian's 'chromium' package "
                     "(scripts/ensure-chromium does it as root)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is missing (pip install -e '.[test]')")
    from omnibalance.app.assets import ensure_assets

    problems = ensure_assets()
    if problems:
        _unavailable("Solara's page assets are not cached and could not be fetched: "
                     + "; ".join(problems))
    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server():
    from omnibalance.app.browser import AppServer

    with AppServer(log=ARTIFACTS / "app_server.log") as s:
        yield s


def _open(browser, server, width: int, height: int):
    from omnibalance.app.browser import AppPage

    page = browser.new_page(viewport={"width": width, "height": height})
    return page, AppPage(page, server.url).open()


def test_step_play_pause_and_change_while_playing(browser, server):
    from playwright.sync_api import expect

    from omnibalance.app.classroom import presets, rule_label

    page, app = _open(browser, server, 1280, 800)
    try:
        assert "Nicaragua 2007" in app.status() and " step 0 of " in app.status()
        labels = app.options("Scenario preset")
        assert labels == [p.label for p in presets()], "the preset selector lists seeds/"
        other = next((x for x in labels if x != "Nicaragua 2007"), None)
        if other is not None:
            app.choose("Scenario preset", other)
            app.wait_status(other)
        app.choose("Scenario preset", "Nicaragua 2007")
        app.wait_status("Nicaragua 2007")
        assert " step 0 of " in app.status()

        before = {k: app.image(k) for k in ("network", "threats", "ties")}
        assert all(before.values()), "every panel shows a drawing before the first step"
        assert app.log_lines() == []
        app.step(8)
        assert " step 8 of " in app.status() and "2009 Q1" in app.status()
        app.wait_panels_at(8)
        after = {k: app.image(k) for k in ("network", "threats", "ties")}
        for panel in before:
            assert after[panel] != before[panel], f"the {panel} drawing did not change"
        lines = app.log_lines()
        assert lines and any("Nicaragua" in line for line in lines)
        assert lines[0][:7] >= lines[-1][:7], "the log is not newest first"
        keys = app.page.locator(".ob-key-line").all_inner_texts()
        assert keys and "first offer" in keys[0].lower(), "the first offer is pinned on top"
        assert not any(" M " in x or " M)" in x for x in lines + keys), "M is spelled out"

        # A rule change starts a new run at once.
        app.choose("Alignment rule", rule_label("balance_of_power"))
        app.wait_status(rule_label("balance_of_power"))
        assert " step 0 of " in app.status() and app.log_lines() == []

        # Play: measure seconds per quarter while playing, from the page's own step counter.
        app.button("▶").click()
        app.wait_state("playing")
        app.wait_step_at_least(2)
        n0, t0 = app.step_count(), time.monotonic()
        app.wait_step_at_least(n0 + 20)
        n1, t1 = app.step_count(), time.monotonic()
        per_quarter = (t1 - t0) / (n1 - n0)
        pause = app.button("❚❚")
        pause.click()
        app.wait_state("paused")
        expect(app.button("▶")).to_be_visible()
        paused_at = app.step_count()
        # A round trip to the server (the advanced switch shows the speed slider), then the
        # step must not have moved: the loop has ended, not merely slowed down.
        app.toggle("advanced")
        expect(page.get_by_text("ms per quarter while playing", exact=False)).to_be_visible()
        assert app.step_count() == paused_at, "the model kept running after pause"

        # The same with no wait between quarters: what a quarter costs (model + drawing +
        # sending + the browser's layout).
        slider = page.locator(".v-input").filter(has_text="ms per quarter").locator(
            ".v-slider__thumb-container")
        slider.focus()
        page.keyboard.press("Home")
        expect(page.get_by_text("ms per quarter while playing = 0", exact=False)).to_be_visible()
        app.button("Reset").click()
        app.wait_step(0)
        s0 = time.monotonic()
        app.button("▶").click()
        app.wait_step(56)  # at the last quarter the loop stops by itself
        s1 = time.monotonic()
        app.wait_state("paused")
        m0, m1 = 0, 56
        unthrottled = (s1 - s0) / max(1, m1 - m0)
        slider.focus()
        for _ in range(4):
            page.keyboard.press("ArrowRight")
        expect(page.get_by_text("ms per quarter while playing = 200", exact=False)) \
            .to_be_visible()
        app.toggle("advanced")
        app.button("Reset").click()
        app.wait_step(0)

        # Changed while playing: the run restarts paused and the play button works.
        app.button("▶").click()
        app.wait_state("playing")
        app.choose("Alignment rule", rule_label("omnibalance"))
        app.wait_status(rule_label("omnibalance"))
        app.wait_state("paused")
        expect(app.button("▶")).to_be_enabled()
        app.button("▶").click()
        app.wait_state("playing")
        app.wait_step_at_least(2)
        app.button("❚❚").click()
        app.wait_state("paused")

        app.button("Reset").click()
        app.wait_step(0)
        assert app.log_lines() == []
        result = {"seconds_per_quarter_playing": round(per_quarter, 4),
                  "quarters_measured": n1 - n0, "goal_seconds_per_quarter": GOAL_S_PER_QUARTER,
                  "meets_goal": per_quarter <= GOAL_S_PER_QUARTER,
                  "play_interval_ms": 200, "cpus": os.cpu_count(),
                  "seconds_per_quarter_no_wait": round(unthrottled, 4),
                  "load_average_1min": round(os.getloadavg()[0], 2)}
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "app_playback.json").write_text(json.dumps(result, indent=2))
        assert per_quarter <= 2 * GOAL_S_PER_QUARTER, result
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "app_failure.png"))
        raise
    finally:
        page.close()


LAYOUT_JS = """
() => {
  const vw = window.innerWidth, vh = window.innerHeight;
  const panels = [...document.querySelectorAll('.ob-panel')].map(p => {
    const r = p.getBoundingClientRect();
    const body = p.querySelector('.ob-panel-body');
    const scrolls = p.classList.contains('ob-log');
    return {cls: p.className, x: r.left, y: r.top, r: r.right, b: r.bottom,
            overflow: !scrolls && body.scrollHeight > body.clientHeight + 2};
  });
  const small = [];
  const visible = el => {
    const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  for (const t of document.querySelectorAll('svg.ob-chart text')) {
    if (!visible(t)) continue;
    const svg = t.ownerSVGElement, vb = svg.viewBox.baseVal, r = svg.getBoundingClientRect();
    const scale = Math.min(r.width / vb.width, r.height / vb.height);
    const px = parseFloat(t.getAttribute('font-size') || svg.getAttribute('font-size')) * scale;
    if (px < 12) small.push(['svg', t.textContent, px]);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest('svg') || !visible(el)) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < 12) small.push(['html', node.textContent.trim().slice(0, 40), px]);
  }
  return {vw, vh, panels, small, text: document.body.innerText};
}
"""


def _overlap(a, b) -> bool:
    return a["x"] < b["r"] - 1 and b["x"] < a["r"] - 1 and a["y"] < b["b"] - 1 and \
        b["y"] < a["b"] - 1


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)], ids=["1280x800", "1920x1080"])
def test_projector_layout_fits_with_large_text(browser, server, size):
    from playwright.sync_api import expect

    page, app = _open(browser, server, *size)
    try:
        app.step(12)
        app.wait_panels_at(12)
        for view in ("single", "compare"):
            if view == "compare":
                app.toggle("compare rules side by side")
                page.locator(".ob-compare").first.wait_for()
                app.step(12)
            got = page.evaluate(LAYOUT_JS)
            app.screenshot(ARTIFACTS / f"app_{view}_{size[0]}x{size[1]}.png")
            panels = got["panels"]
            assert len(panels) >= 2, got
            for p in panels:
                assert p["x"] >= 0 and p["y"] >= 0, p
                assert p["r"] <= got["vw"] + 1 and p["b"] <= got["vh"] + 1, \
                    f"{view}: panel {p['cls']} is cut off by the screen edge: {p}"
                assert not p["overflow"], f"{view}: panel {p['cls']} clips its content"
            for i, a in enumerate(panels):
                for b in panels[i + 1:]:
                    assert not _overlap(a, b), f"{view}: panels overlap: {a} {b}"
            assert not got["small"], f"{view}: text under 12 px: {got['small'][:10]}"
            text = got["text"]
            for banned in ("runs on Solara", "PAGE 0", "Page 0", "Render Interval",
                           "Use Threads"):
                assert banned.lower() not in text.lower(), f"{banned!r} is on screen"
        expect(page.get_by_text("ms per quarter", exact=False)).to_have_count(0)
        app.toggle("advanced")
        expect(page.get_by_text("ms per quarter while playing", exact=False)).to_be_visible()
    except Exception:
        page.screenshot(path=str(ARTIFACTS / f"app_failure_{size[0]}.png"))
        raise
    finally:
        page.close()


COLOURS_JS = """
() => {
  const one = sel => { const e = document.querySelector(sel);
    return e ? [getComputedStyle(e).stroke, e.getAttribute('stroke-dasharray') || ''] : null; };
  const edges = [...document.querySelectorAll('.ob-edge')].map(e =>
    [e.dataset.class, getComputedStyle(e).stroke, e.getAttribute('stroke-dasharray') || '']);
  const nodes = [...document.querySelectorAll('.ob-net .ob-node')]
    .map(e => getComputedStyle(e).fill);
  return {internal: one('.ob-threat-chart .ob-line-internal'),
          external: one('.ob-threat-chart .ob-line-external'), edges, nodes};
}
"""


def test_page_colours_survive_colour_blindness(browser, server):
    from omnibalance.app.palette import contrast, delta_e, distinguishable, rgb, simulate

    page, app = _open(browser, server, 1280, 800)
    try:
        app.step(12)
        app.wait_panels_at(12)
        got = page.evaluate(COLOURS_JS)
    finally:
        page.close()

    def hexed(c: str) -> str:
        return "#" + "".join(f"{round(v * 255):02x}" for v in rgb(c))

    internal, external = (hexed(got["internal"][0]), got["internal"][1]), \
        (hexed(got["external"][0]), got["external"][1])
    report = {}
    for kind in ("deuteranopia", "protanopia"):
        assert distinguishable(internal, external, kind), (kind, internal, external)
        report[kind] = round(delta_e(simulate(internal[0], kind), simulate(external[0], kind)),
                             1)
    classes = {cls: (hexed(c), d) for cls, c, d in got["edges"] if cls != "barred"}
    assert {"none", "partnership", "patron_client"} & set(classes), got
    for cls, (colour, _) in classes.items():
        assert contrast(colour) >= 3, (cls, colour, contrast(colour))
    dashes = {d for _, d in classes.values()}
    assert len(dashes) == len(classes), f"tie classes need different line styles: {classes}"
    node_colours = {hexed(c) for c in got["nodes"]}
    assert not node_colours & {c for c, _ in classes.values()}, "a power's colour is a tie's"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "app_colours.json").write_text(json.dumps(
        {"threat_lines": {"internal": internal, "external": external},
         "delta_e_after_simulation": report, "tie_classes": classes}, indent=2))
