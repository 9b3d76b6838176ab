"""``omnibalance calibrate``: the parameter values of one rule consistent with the cases.

ABC-SMC (:mod:`.smc`) of the rule's :class:`~.criteria_model.CriteriaModel` under the
declared priors, with the shortfall distance (:mod:`.distance`). Writes into the output
folder: ``posterior.parquet`` (the last generation's weighted particles), ``posterior.md`` and
``posterior.csv`` (medians, 90% credible intervals, defaults, width ratios), ``pairs.png`` and
``pairs.svg``, ``manifest.json`` and pyabc's ``abc.db`` (every generation; what a rerun
resumes from).
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..sweep.store import now
from . import plots, posterior, smc
from .criteria_model import CriteriaModel
from .distance import ShortfallDistance, target
from .folder import Folder
from .spec import InferenceSpec


def settings(spec: InferenceSpec, seed: int | None = None, points: int | None = None
             ) -> smc.Settings:
    return smc.Settings(population=spec.population, generations=spec.generations,
                        budget=spec.points_budget if points is None else points,
                        seed=spec.seed if seed is None else seed, epsilon=spec.epsilon,
                        minimum_epsilon=spec.minimum_epsilon, batch=spec.batch)


def model_of(spec: InferenceSpec, rule: str) -> CriteriaModel:
    return CriteriaModel(rule, spec.cases, spec.criteria, spec.replications, spec.seed,
                         spec.seeds)


def write_parquet(path: Path, df) -> None:
    from ..sweep.store import atomic_write_bytes

    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), sink)
    atomic_write_bytes(path, sink.getvalue())


def generations(history, runs_per_point: int) -> list[dict]:
    pops = history.get_all_populations()
    return [{"t": int(r.t), "epsilon": float(r.epsilon), "points": int(r.samples),
             "model_runs": int(r.samples) * runs_per_point, "particles": int(r.particles)}
            for r in pops.itertuples() if r.t >= 0]


def run(spec: InferenceSpec, out: Path, executor_factory: Callable, spec_text: str | None = None,
        say: Callable[[str], None] = print) -> dict[str, Path]:
    folder = Folder(out, "calibrate", spec, spec_text)
    manifest = folder.open()
    t0 = time.monotonic()
    try:
        say(f"calibrate {spec.name}: rule {spec.rule}, cases {', '.join(spec.cases)}, "
            f"criteria {', '.join(spec.criteria)}; {len(spec.parameters)} parameters; "
            f"{spec.points_budget} points x {spec.runs_per_point} runs at most")
        dist = ShortfallDistance(spec.criteria, spec.p, spec.distance)
        history = smc.run([model_of(spec, spec.rule)], spec.box, dist, target(spec.criteria),
                          settings(spec), out / "abc.db", executor_factory, progress=say,
                          finished=manifest.get("status") == "done")
        paths = write_outputs(spec, history, out)
        manifest["status"] = "done"
        manifest["generations"] = generations(history, spec.runs_per_point)
        manifest["effective_sample_size"] = round(posterior.ess(posterior.samples(history)), 1)
        used = int(history.total_nr_simulations or 0)
        manifest["points_evaluated"] = used
        manifest["model_runs"] = used * spec.runs_per_point
        return paths
    finally:
        manifest["sessions"][-1].update(ended=now(),
                                        wall_seconds=round(time.monotonic() - t0, 2))
        folder.write()
        folder.close()


def write_outputs(spec: InferenceSpec, history, out: Path) -> dict[str, Path]:
    if history.max_t < 0:
        from ..errors import ConfigError

        raise ConfigError(spec.where, "abc.budget", spec.budget,
                          "too small for one generation of the population")
    post = posterior.samples(history)
    from ..params import rule_defaults

    tab = posterior.table(post, spec.box, rule_defaults(spec.rule))
    write_parquet(out / "posterior.parquet", post)
    tab.to_csv(out / "posterior.csv", index=False)
    eps = smc.epsilons(history)
    head = (f"Posterior of `{spec.rule}` on {', '.join(spec.cases)} (criteria "
            f"{', '.join(spec.criteria)}): generation {history.max_t}, {len(post)} particles "
            f"(effective sample size {posterior.ess(post):.0f}), "
            f"tolerance {eps[-1]:.3g}, {int(history.total_nr_simulations)} points x "
            f"{spec.runs_per_point} model runs, seed {spec.seed}. Width ratio: the 90% "
            "credible interval's width over the prior's.")
    (out / "posterior.md").write_text(posterior.markdown(tab, head), encoding="utf-8")
    fig = plots.pairs_figure(post, spec.box, plots.shown(tab),
                             f"{spec.name}: posterior of {spec.rule}, generation {history.max_t}",
                             rule_defaults(spec.rule))
    paths = {"posterior": out / "posterior.parquet", "table": out / "posterior.md"}
    paths |= {f"pairs_{k}": v for k, v in plots.save(fig, out / "pairs").items()}
    return paths
