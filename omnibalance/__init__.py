"""omnibalance: agent-based simulation of omnibalancing (David 1991).

Weak-state leaders choose alignments to keep their regime alive against internal and external
threats at once; great powers answer their proposals. See docs/ODD.md for the model.
"""

__version__ = "0.1.0"

from .params import PARAMETERS, POWER_FIELDS, REGIME_FIELDS, RULES  # noqa: E402


def __getattr__(name):
    # Lazy: importing the theory or params must not pay for Mesa.
    if name == "OmnibalanceModel":
        from .model import OmnibalanceModel

        return OmnibalanceModel
    if name in ("load_scenario", "list_presets"):
        from . import scenario

        return getattr(scenario, name)
    if name == "run_once":
        from .runner import run_once

        return run_once
    raise AttributeError(name)


__all__ = ["PARAMETERS", "POWER_FIELDS", "REGIME_FIELDS", "RULES", "OmnibalanceModel",
           "load_scenario", "list_presets", "run_once", "__version__"]
