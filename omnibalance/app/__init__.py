"""The classroom app: a browser front end for the model, on Mesa's ``SolaraViz``.

* :mod:`omnibalance.app.classroom` -- the choices a class makes (presets, rules, seed, the
  sliders generated from the parameter declarations) and :class:`ClassroomModel`; no browser
  code, so tests and notebooks import it cheaply.
* :mod:`omnibalance.app.panels` -- the page's panels as HTML with inline SVG (:mod:`.svg`),
  drawn in milliseconds; :mod:`.story` tells the log story-first; :mod:`.palette` holds the
  colour-blind-safe colours and the checks on them; :mod:`.style` the projector CSS.
* :mod:`omnibalance.app.figures` -- the same pictures in matplotlib, for the notebooks.
* :mod:`omnibalance.app.app` -- the Solara page (``solara run omnibalance.app.app``).
* :mod:`omnibalance.app.cli` -- ``omnibalance app [--host H] [--port N]``.

The app imports the model; the model never imports the app.
"""
