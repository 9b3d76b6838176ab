"""Pattern-oriented validation (Grimm et al. 2005): the seven patterns of MODEL.md section 6,
measured over seeded replications under every alignment rule, with 95% intervals.

``omnibalance validate`` runs it; :func:`omnibalance.validation.runner.validate` is the
library call.
"""
