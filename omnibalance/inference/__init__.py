"""Inference: which parameter values fit the cases, which rule explains them best, and under
which conditions patron-client ties form.

* :mod:`.spec` -- the TOML spec of ``omnibalance calibrate`` and ``omnibalance compare``;
* :mod:`.criteria_model` -- the simulator ABC sees: a parameter point -> the validation
  criteria's statistics (through :mod:`omnibalance.validation.robustness`);
* :mod:`.distance` -- how far a point's statistics fall short of the criteria;
* :mod:`.sampler` -- a pyabc sampler whose results do not depend on the executor;
* :mod:`.transition` -- the proposal kernel, pyabc's Gaussian kernel mixed with the prior;
* :mod:`.smc` -- ABC-SMC (Toni et al. 2009) through pyabc (Klinger et al. 2018), with resume;
* :mod:`.posterior` -- posterior samples, medians and credible intervals, width ratios;
* :mod:`.plots` -- the pairwise posterior figure;
* :mod:`.folder` -- an analysis' output folder: manifest, lock, refusal of another spec;
* :mod:`.calibrate`, :mod:`.compare` -- the two commands' library functions;
* :mod:`.toy` -- a simulator with a known posterior, to check the machinery;
* :mod:`.discover` -- PRIM scenario discovery (Friedman & Fisher 1999) over sweep results;
* :mod:`.cli` -- the ``calibrate``, ``compare`` and ``discover`` subcommands.
"""
