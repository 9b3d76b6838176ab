"""The batch engine: the model's quarter over arrays with a leading run axis.

* :mod:`.world`   -- one scenario's structure and each run's parameters;
* :mod:`.draws`   -- every random number of a run, drawn up front (the random layout);
* :mod:`.state`   -- the arrays the quarter reads and writes;
* :mod:`.quarter` -- the quarter itself, the model's only implementation of its process;
* :mod:`.batch`   -- many runs at once within a memory budget.

The Mesa face (:class:`omnibalance.model.OmnibalanceModel`) is a batch of one run.
"""

from .batch import BatchResult, run_batch
from .world import World, build_world

__all__ = ["BatchResult", "World", "build_world", "run_batch"]
