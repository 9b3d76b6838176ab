"""The theory as pure functions: no Mesa, no state, no random numbers.

Every function works on Python floats and on numpy arrays alike (broadcasting), so the same code
serves one regime in the Mesa model and many regimes or runs at once in a vectorised engine.
Read these modules against the sources they cite:

* :mod:`.threat`     -- hegemon pressure, deterrence, internal threat, hazard, elections.
* :mod:`.rules`      -- the four alignment rules (David 1991; Walt 1987; Waltz 1979).
* :mod:`.bargaining` -- the patron's valuation and the generalised Nash split (Nash 1950).
* :mod:`.dynamics`   -- ties, debt, sunk stakes and the patron-client classification.
"""

from . import bargaining, dynamics, rules, threat

__all__ = ["bargaining", "dynamics", "rules", "threat"]
