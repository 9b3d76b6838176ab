"""``omnibalance compare``: weigh the rules against the same evidence.

ABC model selection (Toni et al. 2009, section 3.2) puts the rules side by side in one ABC-SMC
run: the rule is one more parameter, drawn uniformly at first, each rule with the same declared
priors, criteria, cases, replications and distance; the share of the last generation each
rule holds is its posterior probability given the criteria. The budget is the same for every
rule: each run may spend ``budget`` model runs per rule (``compare.budget``, default
``abc.budget``), ``rules x budget`` in all. The run is repeated with ``repeats`` independent
seeds (``seed``, ``seed + 1``, ...; the model's replications change with the seed too), and
the Monte-Carlo error of each probability is its standard error over the repeats.

Then, under each rule, the posterior-predictive probability that each criterion holds:
``predictive_draws`` draws from that rule's posterior (pooled over the repeats; the last
generation in which the rule still had particles; its prior if it had none), each run with
``predictive_replications`` held-out replications (seeds no ABC run used; enough for a 95%
interval to decide a criterion, which ABC's few replications per point may not be) and decided
by its 95% interval as ``omnibalance validate`` decides it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ConfigError
from ..sweep.store import now
from ..validation.patterns import CRITERIA_BY_ID
from . import posterior, smc
from .calibrate import settings
from .criteria_model import PASS, CriteriaModel
from .distance import ShortfallDistance, target
from .folder import Folder
from .spec import InferenceSpec

BEGIN, END = "<!-- compare:begin -->", "<!-- compare:end -->"


def check_doc(path: Path) -> str:
    """The text of ``path``, which must hold the marked block exactly once."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError("command line", "--doc", str(path),
                          f"cannot be read ({exc.strerror or exc})") from None
    if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
        raise ConfigError("command line", "--doc", str(path),
                          f"must hold one block between {BEGIN} and {END}")
    return text


def replace_block(path: Path, block: str) -> None:
    text = check_doc(path)
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    Path(path).write_text(f"{head}{BEGIN}\n{block.rstrip()}\n{END}{tail}", encoding="utf-8")


def _models(spec: InferenceSpec, seed: int) -> list[CriteriaModel]:
    return [CriteriaModel(r, spec.cases, spec.criteria, spec.replications, seed, spec.seeds)
            for r in spec.rules]


def heldout_seed(seed: int) -> int:
    """The base seed of the predictive replications: one no ABC run of these seeds used."""
    return int(np.random.SeedSequence(seed, spawn_key=(0x9E7,)).generate_state(1, np.uint32)[0])


def _predict(task) -> tuple[str, int, list[dict[str, float]]]:
    model, points, base = task
    return model.rule, len(points), model.batch([(p, base) for p in points])


def model_probabilities(history, rules: tuple[str, ...]) -> dict[str, float]:
    """Each rule's share of the last generation (0 for a rule with no particle left)."""
    probs = history.get_model_probabilities()
    row = probs.loc[history.max_t] if len(probs) else pd.Series(dtype=float)
    return {r: float(row.get(m, 0.0)) if not math.isnan(row.get(m, 0.0)) else 0.0
            for m, r in enumerate(rules)}


def last_alive(history, m: int) -> int | None:
    for t in range(history.max_t, -1, -1):
        if len(posterior.samples(history, m, t)):
            return t
    return None


def run(spec: InferenceSpec, out: Path, executor_factory: Callable, spec_text: str | None = None,
        doc: Path | None = None, say: Callable[[str], None] = print) -> tuple[str, dict]:
    folder = Folder(out, "compare", spec, spec_text)
    manifest = folder.open()
    t0 = time.monotonic()
    try:
        seeds = [spec.seed + k for k in range(spec.repeats)]
        per_rule = spec.compare_budget // spec.runs_per_point
        dist = ShortfallDistance(spec.criteria, spec.p, spec.distance)
        histories = []
        for s in seeds:
            say(f"compare {spec.name}, seed {s}: rules {', '.join(spec.rules)}; "
                f"{per_rule} points x {spec.runs_per_point} runs per rule at most")
            done = manifest.setdefault("finished_seeds", [])
            histories.append(smc.run(_models(spec, s), [spec.compare_box(r) for r in spec.rules],
                                     dist,
                                     target(spec.criteria),
                                     settings(spec, seed=s, points=per_rule * len(spec.rules)),
                                     out / f"abc_seed{s}.db", executor_factory, progress=say,
                                     finished=s in done))
            if s not in done:
                done.append(s)
                folder.write()
        probs = pd.DataFrame([model_probabilities(h, spec.rules) for h in histories],
                             index=seeds)
        dists = distances(histories, spec.rules)
        pred, origin = predictive(spec, histories, seeds, executor_factory)
        table = markdown(spec, probs, pred, origin, dists)
        (out / "compare.md").write_text(table, encoding="utf-8")
        probs.rename_axis("seed").to_csv(out / "model_probabilities.csv")
        pred.rename_axis("criterion").to_csv(out / "predictive.csv")
        manifest["status"] = "done"
        manifest["model_probabilities"] = {str(s): probs.loc[s].to_dict() for s in seeds}
        manifest["model_runs"] = int(sum(int(h.total_nr_simulations or 0) for h in histories)
                                     * spec.runs_per_point)
        paths = {"table": out / "compare.md", "probabilities": out / "model_probabilities.csv",
                 "predictive": out / "predictive.csv"}
        if doc is not None:
            replace_block(doc, table)
            paths["doc"] = Path(doc)
        return table, paths
    finally:
        manifest["sessions"][-1].update(ended=now(), wall_seconds=round(time.monotonic() - t0, 2))
        folder.write()
        folder.close()


def predictive(spec: InferenceSpec, histories: list, seeds: list[int],
               executor_factory: Callable) -> tuple[pd.DataFrame, dict[str, str]]:
    """P(criterion holds) under each rule's posterior: criteria x rules.

    A rule with no particle left in any generation of a repeat is drawn from its prior
    there (and the table says so)."""
    from .criteria_model import typed

    per = max(1, math.ceil(spec.predictive_draws / len(histories)))
    tasks, origin = [], {}
    for h, s in zip(histories, seeds, strict=True):
        for m, model in enumerate(_models(spec, s)):
            model = replace(model, replications=spec.predictive_replications)
            t = last_alive(h, m)
            names = list(spec.compare_box(model.rule))
            if t is None:
                origin.setdefault(model.rule, []).append("prior")
                draws = _prior_draws(spec, model.rule, per, s)
            else:
                origin.setdefault(model.rule, []).append(f"t={t}")
                draws = posterior.resample(posterior.samples(h, m, t), per, s)
            points = [typed({n: float(r[n]) for n in names}) for _, r in draws.iterrows()]
            for a in range(0, len(points), spec.batch):
                tasks.append((model, points[a:a + spec.batch], heldout_seed(s)))
    passed: dict[str, list] = {r: [] for r in spec.rules}
    executor = executor_factory()
    try:
        for rule, _, stats in executor.map_unordered(_predict, tasks):
            passed[rule] += stats
    finally:
        executor.close()
    cols = {}
    for rule in spec.rules:
        rows = passed[rule]
        cols[rule] = {c: (float(np.mean([x[PASS + c] for x in rows])) if rows else math.nan)
                      for c in spec.criteria}
    where = {r: ", ".join(ts) for r, ts in origin.items()}
    return pd.DataFrame(cols), where


def _prior_draws(spec: InferenceSpec, rule: str, n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0x9A1,)))
    return pd.DataFrame({k: rng.uniform(lo, hi, n)
                         for k, (lo, hi) in spec.compare_box(rule).items()})


def distances(histories: list, rules: tuple[str, ...]) -> pd.DataFrame:
    """Per rule, over the repeats: the median distance of its points in the first generation
    (its prior) and the least distance any of its points reached -- how close each rule can
    come to the criteria, whatever the tolerance schedule did."""
    first: dict[int, list[float]] = {m: [] for m in range(len(rules))}
    least: dict[int, float] = {m: math.inf for m in range(len(rules))}
    for h in histories:
        for t in range(h.max_t + 1):
            for particle in h.get_population(t).particles:
                if t == 0:
                    first[particle.m].append(float(particle.distance))
                least[particle.m] = min(least[particle.m], float(particle.distance))
    return pd.DataFrame({r: {"prior_median": float(np.median(first[m])) if first[m]
                             else math.nan, "least": least[m]}
                         for m, r in enumerate(rules)})


def markdown(spec: InferenceSpec, probs: pd.DataFrame, pred: pd.DataFrame,
             origin: dict[str, str], dists: pd.DataFrame | None = None) -> str:
    k = len(probs)
    mean = probs.mean()
    se = probs.std(ddof=1) / math.sqrt(k) if k > 1 else probs.iloc[0] * math.nan
    rules = list(spec.rules)
    head = (f"ABC model selection over {len(rules)} rules on {', '.join(spec.cases)} "
            f"(criteria {', '.join(spec.criteria)}; declared priors on "
            f"{len(spec.parameters)} parameters; {spec.compare_budget} model runs per rule and "
            f"seed; population {spec.population}; {spec.distance} distance). First row: "
            f"posterior probability of the rule, mean +- Monte-Carlo standard error over {k} "
            f"independent seeds ({', '.join(str(s) for s in probs.index)}; per-seed values "
            "in the second row). Other rows: posterior-predictive probability that the "
            "criterion passes (95% interval, as `omnibalance validate` decides it) under the "
            f"rule, over {spec.predictive_draws} posterior draws with "
            f"{spec.predictive_replications} held-out replications each ('prior': the rule "
            "had no particle left in that repeat and is drawn from its prior).\n")
    lines = [head, "| | " + " | ".join(f"`{r}`" for r in rules) + " |",
             "|---|" + "---|" * len(rules)]
    lines.append("| **P(rule given the criteria)** | " + " | ".join(
        f"**{mean[r]:.2f} +- {se[r]:.2f}**" for r in rules) + " |")
    lines.append("| per seed | " + " | ".join(
        ", ".join(f"{v:.2f}" for v in probs[r]) for r in rules) + " |")
    if dists is not None:
        for key, label in (("prior_median", "distance: median over the prior generation"),
                           ("least", "distance: least reached (0: every criterion met)")):
            lines.append(f"| {label} | " + " | ".join(
                "-" if not math.isfinite(dists.loc[key, r]) else f"{dists.loc[key, r]:.2f}"
                for r in rules) + " |")
    for c in spec.criteria:
        crit = CRITERIA_BY_ID[c]
        lines.append(f"| {c}: {crit.statement} | " + " | ".join(
            "-" if math.isnan(pred.loc[c, r]) else f"{pred.loc[c, r]:.2f}" for r in rules)
            + " |")
    drawn = " | ".join(origin.get(r, "none") for r in rules)
    lines.append(f"| (predictive drawn from: generation t, or the prior) | {drawn} |")
    return "\n".join(lines) + "\n"


