"""Parameter sweeps: many seeded runs of the model over a design, written as a Parquet dataset.

The pieces, each with one job:

* :mod:`.spec` -- the TOML sweep specification, checked against the parameter declarations;
* :mod:`.design` -- the design points (grid, list, Latin hypercube, Sobol', Morris);
* :mod:`.seeds` -- one ``SeedSequence`` per (point, replication);
* :mod:`.plan` -- run ids and chunks;
* :mod:`.work` -- what a worker does with a chunk;
* :mod:`.executors` -- in-process, local process pool, Dask;
* :mod:`.store` -- the results folder: atomic chunk files, manifest, identity;
* :mod:`.engine` -- a sweep's life: check, resume, farm out, write;
* :mod:`.outcomes` -- the columns of the per-run table and their types;
* :mod:`.series` -- optional per-step series;
* :mod:`.progress` -- the progress bar;
* :mod:`.results`, :mod:`.stats`, :mod:`.phase`, :mod:`.sensitivity`, :mod:`.figures` --
  reading finished results: Wilson intervals, phase diagrams, SALib indices, saved files;
* :mod:`.cli` -- ``omnibalance sweep``, ``omnibalance plot phase``, ``omnibalance
  sensitivity``.

docs/sweeps.md is the user's guide.
"""

_EXPORTS = {"Design": "design", "build_design": "design", "SweepReport": "engine",
            "run_sweep": "engine", "SweepSpec": "spec", "load_spec": "spec",
            "parse_spec": "spec"}


def __getattr__(name):
    # Lazy, so that ``omnibalance --help`` does not pay for Arrow and SALib.
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(name)


__all__ = sorted(_EXPORTS)
