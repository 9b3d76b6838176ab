"""The classroom app: a browser front end for the model, on Mesa's ``SolaraViz``.

* :mod:`omnibalance.app.classroom` -- the choices a class makes (presets, rules, seed, the
  sliders generated from the parameter declarations) and :class:`ClassroomModel`; no browser
  code, so tests and notebooks import it cheaply.
* :mod:`omnibalance.app.figures` -- the network of ties and the time series (matplotlib).
* :mod:`omnibalance.app.app` -- the Solara page (``solara run omnibalance.app.app``).
* :mod:`omnibalance.app.cli` -- ``omnibalance app [--host H] [--port N]``.

The app imports the model; the model never imports the app.
"""
