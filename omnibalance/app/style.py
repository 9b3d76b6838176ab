"""The page's CSS: the whole app fits the screen (1280 x 800 up), nothing under 14 px.

The top bar is one row; below it the sidebar (which collapses) and a grid of panels whose rows
share the height that is left, so every panel is on screen at once without scrolling. Charts
are SVG scaled to their panel, so their text grows and shrinks with the screen; the HTML text
(titles, legends, the log) has fixed sizes.
"""

CSS = """
:root { --fs: clamp(15px, calc(0.7vw + 6px), 22px); }
html, body { overflow: hidden; }
.v-application--wrap { min-height: 0 !important; }
.ob-page { height: 100vh; width: 100vw; overflow: hidden; position: fixed; inset: 0;
  background: #fff; color: #222; font-family: sans-serif; z-index: 5; }
.ob-topbar { height: 56px; min-height: 56px; align-items: center; padding: 0 10px;
  border-bottom: 1px solid #ccc; flex-wrap: nowrap; overflow: hidden; }
.ob-title { font-size: calc(var(--fs) * 1.2); font-weight: bold; white-space: nowrap; }
.ob-status, .ob-busy { font-size: calc(var(--fs) * 1.05); font-weight: bold; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; min-width: 0; flex: 1; }
.ob-busy { color: #0072B2; }
.ob-state { font-weight: normal; color: #fff; background: #555; border-radius: 3px;
  padding: 0 5px; }
.ob-state[data-state="playing"] { background: #007A5A; }
.ob-buttons .v-btn { font-size: 16px !important; min-width: 56px !important; }
.ob-body { height: calc(100vh - 56px); flex-wrap: nowrap; }
.ob-sidebar { width: 290px; min-width: 290px; height: 100%; overflow-y: auto;
  padding: 6px 12px; border-right: 1px solid #ccc; font-size: 15px; }
.ob-sidebar .v-label, .ob-sidebar .v-input, .ob-sidebar input { font-size: 15px !important; }
.ob-sidebar .v-input__slot { margin-bottom: 0 !important; }
.ob-sidebar .v-messages { min-height: 0 !important; }
.ob-main { flex: 1; min-width: 0; height: 100%; padding: 6px; overflow: hidden; }
.ob-grid { display: grid; gap: 6px; flex: 1; min-height: 0; height: 100%; }
.ob-grid-4 { grid-template-columns: repeat(2, minmax(0, 1fr));
  grid-template-rows: repeat(2, minmax(0, 1fr)); }
.ob-grid-2 { grid-template-columns: repeat(2, minmax(0, 1fr)); grid-template-rows: 1fr; }
.ob-panel { border: 1px solid #bbb; border-radius: 4px; padding: 4px 8px; min-height: 0;
  min-width: 0; overflow: hidden; display: flex; flex-direction: column; }
.ob-panel-title { font-size: calc(var(--fs) * 1.1); font-weight: bold; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }
.ob-panel-body { flex: 1; min-height: 0; display: flex; flex-direction: column; }
.ob-panel-body > div { min-height: 0; }
.ob-svgbox { flex: 1; min-height: 0; }
.ob-svgbox svg, .ob-panel-body > svg { width: 100%; height: 100%; display: block; }
.ob-net { flex: 1; min-height: 0; width: 100%; }
.ob-legend { font-size: var(--fs); display: flex; flex-wrap: wrap; gap: 2px 14px; }
.ob-legend-item { white-space: nowrap; }
.ob-caption { font-size: calc(var(--fs) * 0.93); color: #444; }
.ob-outcome { font-size: var(--fs); font-weight: bold; }
.ob-log .ob-panel-body { overflow: hidden; font-size: var(--fs); line-height: 1.3; }
.ob-keys { background: #f4f4f4; border-radius: 4px; padding: 2px 4px; max-height: 48%;
  overflow-y: auto; flex-shrink: 0; }
.ob-log-lines { flex: 1; min-height: 0; overflow-y: auto; }
.ob-compare .ob-keys { max-height: 7em; overflow-y: auto; font-size: var(--fs); }
.ob-subhead { font-weight: bold; font-size: var(--fs); margin-top: 2px; }
.ob-log-line, .ob-key-line { padding: 1px 6px; margin: 2px 0; }
.ob-date { font-family: monospace; color: #444; }
.ob-tag { font-weight: bold; text-transform: uppercase; font-size: calc(var(--fs) * 0.87); }
.ob-log-empty { color: #555; font-size: 16px; }
.ob-compare-head { font-size: var(--fs); padding: 0 4px 4px 4px; }
.ob-main > .ob-compare-head + .ob-grid { height: auto; }
"""
