"""The seven patterns of MODEL.md section 6 as measurable criteria (pattern-oriented modelling,
Grimm et al. 2005, Science 310:987-991).

Each criterion is declared once, here, with how it is measured, its threshold and the reason
for it. A criterion is *decided* by its 95% interval, never by a point estimate alone:

* ``pass``: the whole interval satisfies the criterion;
* ``fail``: the whole interval violates it;
* ``undecided``: the interval straddles the threshold (more replications are needed).

Pattern 6 (the alternative rules each fail one of 1-5) is derived from the others.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import stats
from .simulate import RunRecord

LEFT_MAX_IDEOLOGY = -0.3
"""Regimes at or left of this ideology count as left governments in pattern 1."""
ELECTED_MAX_AUTOCRACY = 0.9
"""Pattern 1 compares electoral mandates, so regimes at or above this autocracy (Cuba, where
no election measures support) are left out of the comparison."""
FIRST_MOVE_WINDOW = 4
"""Quarters after taking office within which the weakest mandate must propose (MODEL.md 6.1)."""
DEBT_LINE = 1.0
"""Pattern 7's line: debt above one annual military budget of the client (model.debt is
already in units of annual military budgets)."""
END_WINDOW = 8
"""Quarters over which an end state is read (pattern 5a): a class held in most of the last two
years, not in one quarter, which could fall between two deals of a periodic cycle."""
CLASS_WINDOW = 4
"""Quarters over which a class is read at a date (patterns 2-4): a pair "is" in a class at a
date when it held that class in at least half of the year ending there, so that a tie that
dips between two deals, or one lucky quarter, does not decide a criterion."""
PATRON = "RUS"
"""The patron the Latin American patterns are about (Valley's essay)."""


@dataclass(frozen=True)
class Criterion:
    """One measurable criterion of a pattern."""

    id: str
    pattern: int
    statement: str
    measure: str
    kind: str
    """``proportion`` (Wilson), ``difference`` (Newcombe), ``ratio`` (MOVER-R Wilson) or
    ``mean`` (percentile bootstrap over runs)."""
    op: str
    """``>=``, ``>`` or ``<=``: how the measure must compare with the threshold."""
    threshold: float
    reason: str

    @property
    def interval_method(self) -> str:
        return {"proportion": "Wilson", "difference": "Newcombe hybrid score",
                "ratio": "MOVER-R (Wilson)", "mean": "bootstrap (percentile, 2000)"}[self.kind]

    def verdict(self, iv: stats.Interval) -> str:
        """``pass``, ``fail`` or ``undecided`` from the 95% interval."""
        lo, hi = iv.low, iv.high
        if math.isnan(lo) or math.isnan(hi):
            return "fail" if self.op != "<=" else "undecided"
        t = self.threshold
        if self.op == ">=":
            return "pass" if lo >= t else ("fail" if hi < t else "undecided")
        if self.op == ">":
            return "pass" if lo > t else ("fail" if hi <= t else "undecided")
        if self.op == "<=":
            return "pass" if hi <= t else ("fail" if lo > t else "undecided")
        raise ValueError(self.op)


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "1a", 1, "The weakest mandate among left governments seeks Russian protection first, "
        "within 4 quarters of taking office",
        "latin_america_2007: share of runs in which the elected left government with the weakest "
        "mandate (Nicaragua) makes its first security proposal (arms, police training) to Russia "
        "strictly before every other "
        "elected left government (ideology <= -0.3, autocracy < 0.9) and within 4 quarters of "
        "taking office",
        "proportion", ">=", 0.75,
        "The essay's Ortega 'wasted no time' while Chavez moved a year after re-election; the "
        "same 75% bar as pattern 2 marks a robust, not a lucky, ordering."),
    Criterion(
        "1b", 1, "Mandate changes the timing: with a strong mandate the same leader moves later",
        "latin_america_2007, paired runs (same seed): share in which raising Nicaragua's mandate "
        "to the strongest left mandate delays (or prevents) its first security proposal to Russia",
        "proportion", ">=", 0.5,
        "David (1991): the weak mandate, through internal threat, is why the leader moves first; "
        "under balance of threat internal threat weighs nothing, so mandate must not matter "
        "there. A majority of paired runs shows the mechanism, not noise."),
    Criterion(
        "2a", 2, "Nicaragua is in a patron-client tie with Russia by 2016 Q4",
        "nicaragua_2007: share of runs in which NIC-RUS is patron-client in at least half of "
        "some year ending by 2016 Q4",
        "proportion", ">=", 0.75,
        "MODEL.md 6.2; the essay's Russian credit for arms against a ~$79M budget (2016)."),
    Criterion(
        "2b", 2, "Venezuela is in a patron-client tie with Russia by 2012 Q4",
        "venezuela_2007: share of runs in which VEN-RUS is patron-client in at least half of "
        "some year ending by 2012 Q4",
        "proportion", ">=", 0.75,
        "MODEL.md 6.2; the essay's military cooperation from 2008 and Russian credit."),
    Criterion(
        "2c", 2, "Chavez's tie with Russia rests on new Russian arms",
        "venezuela_2007: share of runs in which Venezuela strikes at least one security deal "
        "(arms, mostly on credit) with Russia from 2008 Q1 to 2012 Q4",
        "proportion", ">=", 0.75,
        "The essay's military cooperation from 2008, and the Russian arms credits of US$1bn "
        "(RIA Novosti, 25 September 2008), US$2.2bn (RT, September 2009) and US$4bn (AFP, "
        "2011). Without it 2b could pass on the arms of 2005-2006 alone (the scenario's "
        "start_state), not on Chavez's choices; the same 75% bar as 2b."),
    Criterion(
        "3a", 3, "Venezuela's tie with Russia survives Maduro's recession",
        "venezuela_2007: among runs with a VEN-RUS tie (partnership or patron-client) over the "
        "year ending 2012 Q4, share with a tie still held over the year ending 2020 Q4 (a tie "
        "is held over a year when present in at least half of its quarters)",
        "proportion", ">=", 0.80,
        "MODEL.md 6.3; the essay: Russia kept lending and restructuring after 2013."),
    Criterion(
        "3b", 3, "Without sunk weight the tie breaks at least three times as often",
        "venezuela_2007 with powers.RUS.sunk_weight = 0 against the default, same seeds: ratio "
        "of the break rates (tie held over the year to 2012 Q4, not over the year to 2020 Q4)",
        "ratio", ">=", 3.0,
        "The essay's reason Russia stays: billions sunk in Venezuelan oil. The whole interval "
        "above 3 means the two break rates' intervals are far apart."),
    Criterion(
        "4a", 4, "Argentina forms a partnership with Russia under Kirchner",
        "argentina_2007: share of runs with an ARG-RUS partnership in at least half of some year "
        "before Macri takes office (2015 Q4)",
        "proportion", ">", 0.5,
        "MODEL.md 6.4 ('in most runs'): the essay's close but limited Kirchner period."),
    Criterion(
        "4b", 4, "The Argentine tie ends after the 2015 change of leader",
        "argentina_2007: among runs with an ARG-RUS tie held over the year ending 2015 Q3, share "
        "with no tie held over the year ending 2017 Q4",
        "proportion", ">=", 0.90,
        "MODEL.md 6.4; the essay: Macri's election returned Argentina to the US camp."),
    Criterion(
        "5a", 5, "Bolivia ends as a partnership with Russia",
        "bolivia_2006: share of runs in which BOL-RUS is a partnership in most of the last "
        f"{END_WINDOW} quarters (to 2019 Q3, before Morales's ouster)",
        "proportion", ">", 0.5,
        "MODEL.md 6.5: Gazprom's expansion and quiet support, a partnership in most runs."),
    Criterion(
        "5b", 5, "Bolivia is rarely a client",
        "bolivia_2006: mean over runs of the share of quarters in which Bolivia is in a "
        "patron-client tie with any power",
        "mean", "<=", 0.10,
        "MODEL.md 6.5: a stable regime with a strong mandate has no need of a patron."),
    Criterion(
        "7", 7, "Patron-client pairs hold arms debt above the client's military budget more often "
        "than partnerships",
        "nicaragua, venezuela, argentina, bolivia and cuba scenarios, every regime-power pair in "
        "the last quarter of each run: P(debt > 1 annual military budget | patron-client) - "
        "P(debt > 1 | partnership)",
        "difference", ">", 0.0,
        "MODEL.md 6.7: debt never enters the classification, so a difference is an outcome."),
)

def _in_region(c: Criterion) -> Criterion:
    """The same criterion read off the region scenario: the region must agree with the single
    cases (issue Model 2: a coherent region)."""
    measure = c.measure.split(":", 1)[1].strip()
    return Criterion(f"R{c.id}", c.pattern, f"In the region: {c.statement}",
                     f"latin_america_2007 (all ten regimes competing for "
                     f"the same budgets): {measure}", c.kind, c.op, c.threshold,
                     "The region holds the four cases side by side; it must reproduce what "
                     "the single cases do, or the single cases' results depend on leaving the "
                     "others out.")


REGION_CRITERIA: tuple[Criterion, ...] = tuple(
    _in_region(c) for c in CRITERIA if c.id in ("2a", "2b", "2c", "3a", "4a", "4b", "5a", "5b"))
CRITERIA = CRITERIA + REGION_CRITERIA
CRITERIA_BY_ID = {c.id: c for c in CRITERIA}
PATTERN_6 = ("6", "Under each alternative rule at least one of patterns 1-5 fails",
             "A 'fail' verdict (whole interval on the wrong side) on some criterion of patterns "
             "1-5 under balance_of_threat, balance_of_power and bandwagon",
             "The rule comparison must be a result: if an alternative rule reproduced every "
             "pattern, the patterns could not tell the theories apart.")


# --- per-run extraction (runs in the worker; returns small plain dicts) ------------------------

def left_elected(rec: RunRecord) -> np.ndarray:
    return (rec.ideology0 <= LEFT_MAX_IDEOLOGY) & (rec.autocracy0 < ELECTED_MAX_AUTOCRACY)


def weakest_left(rec: RunRecord) -> int:
    """The left elected regime with the weakest mandate *as the scenario declares it*: a
    counterfactual that raises that mandate (criterion 1b) keeps the same focus regime."""
    from .simulate import scenario

    declared = np.array([r.values["mandate"] for r in scenario(rec.scenario).regimes])
    left = np.nonzero(left_elected(rec))[0]
    return int(left[np.argmin(declared[left])])


def extract_region_and_cases(rec: RunRecord) -> dict:
    """Pattern 1's observations and, for the region criteria, each case's own."""
    return extract_region(rec) | {
        "cases": {"nicaragua": extract_nicaragua(rec), "venezuela": extract_venezuela(rec),
                  "argentina": extract_argentina(rec), "bolivia": extract_bolivia(rec)}}


def extract_region(rec: RunRecord) -> dict:
    k = rec.p(PATRON)
    left = np.nonzero(left_elected(rec))[0]
    focus = weakest_left(rec)
    first = rec.first_security[:, k].astype(float)
    first[first < 0] = math.inf
    others = [first[i] for i in left if i != focus]
    f = first[focus]
    return dict(focus=rec.regimes[focus], focus_first=f,
                strictly_first=bool(f < min(others, default=math.inf)),
                within=bool(f <= rec.enters[focus] + FIRST_MOVE_WINDOW - 1))


def _held(series: np.ndarray) -> np.ndarray:
    """Per quarter t: the boolean ``series`` held in at least half of the CLASS_WINDOW quarters
    ending at t (fewer at the start of the run)."""
    c = np.cumsum(np.concatenate([[0], series.astype(int)]))
    t = np.arange(1, len(series) + 1)
    lo = np.maximum(0, t - CLASS_WINDOW)
    return (c[t] - c[lo]) * 2 >= (t - lo)


def _pair(rec, rid) -> np.ndarray:
    return rec.klass[:, rec.r(rid), rec.p(PATRON)]


def _tie(rec, rid, date) -> bool:
    """A tie (partnership or patron-client) held over the year ending at ``date``."""
    return bool(_held(_pair(rec, rid) > 0)[min(rec.step_of(date), len(rec.klass) - 1)])


def _pc_by(rec, rid, date) -> bool:
    """A patron-client tie held over some year ending by ``date``."""
    return bool(_held(_pair(rec, rid) == 2)[: rec.step_of(date) + 1].any())


def extract_nicaragua(rec: RunRecord) -> dict:
    return dict(pc_by=_pc_by(rec, "NIC", "2016Q4"), **end_pairs(rec))


def _security_deal_between(rec, rid, first: str, last: str) -> bool:
    """A security deal of ``rid`` with the patron in some quarter from ``first`` to ``last``."""
    if rec.security_deals is None:
        raise ValueError(f"{rec.scenario}: the run record holds no security deals")
    return bool(rec.security_deals[rec.step_of(first): rec.step_of(last) + 1, rec.r(rid),
                                   rec.p(PATRON)].any())


def extract_venezuela(rec: RunRecord) -> dict:
    return dict(pc_by=_pc_by(rec, "VEN", "2012Q4"), present12=_tie(rec, "VEN", "2012Q4"),
                present20=_tie(rec, "VEN", "2020Q4"),
                arms_chavez=_security_deal_between(rec, "VEN", "2008Q1", "2012Q4"),
                **end_pairs(rec))


def extract_argentina(rec: RunRecord) -> dict:
    macri = rec.step_of("2015Q4")
    return dict(partner_kirchner=bool(_held(_pair(rec, "ARG") == 1)[:macri].any()),
                present15=_tie(rec, "ARG", "2015Q3"),
                ended17=not _tie(rec, "ARG", "2017Q4"), **end_pairs(rec))


def extract_bolivia(rec: RunRecord) -> dict:
    i = rec.r("BOL")
    return dict(end_partner=bool((rec.klass[-END_WINDOW:, i, rec.p(PATRON)] == 1).mean() > 0.5),
                pc_share=float((rec.klass[:, i, :] == 2).any(axis=1).mean()), **end_pairs(rec))


def extract_pairs_only(rec: RunRecord) -> dict:
    return end_pairs(rec)


def end_pairs(rec: RunRecord) -> dict:
    """Pattern 7's observations: every pair in the last quarter, by class and debt line."""
    kl, debt = rec.klass[-1], rec.debt[-1]
    over = debt > DEBT_LINE
    return dict(pc_n=int((kl == 2).sum()), pc_debt=int((over & (kl == 2)).sum()),
                pa_n=int((kl == 1).sum()), pa_debt=int((over & (kl == 1)).sum()))


# --- aggregation over runs (in the parent) -----------------------------------------------------

@dataclass(frozen=True)
class Result:
    criterion: Criterion
    rule: str
    interval: stats.Interval
    count: str
    """What the estimate is built from, e.g. '187/200 runs'."""
    n: int
    verdict: str


def _prop(c, rule, k, n, unit="runs"):
    iv = stats.wilson(k, n)
    return Result(c, rule, iv, f"{k}/{n} {unit}", n, c.verdict(iv))


def evaluate(rule: str, runs: dict[str, list[dict]], *, seed: int = 0) -> list[Result]:
    """Every criterion for one rule, from the per-case lists of per-run observations."""
    C = CRITERIA_BY_ID
    out = []
    reg, strong = runs["region"], runs["region_strong_mandate"]
    k = sum(r["strictly_first"] and r["within"] for r in reg)
    out.append(_prop(C["1a"], rule, k, len(reg)))
    delayed = sum(s["focus_first"] > w["focus_first"] for w, s in zip(reg, strong, strict=True))
    out.append(_prop(C["1b"], rule, delayed, len(reg), "paired runs"))
    out += _case_criteria(rule, runs, "", seed)
    if reg and "cases" in reg[0]:
        out += _case_criteria(rule, {k: [r["cases"][k] for r in reg] for k in reg[0]["cases"]},
                              "R", seed)
    pooled = [r for case in ("nicaragua", "venezuela", "argentina", "bolivia", "cuba")
              for r in runs.get(case, [])]
    pc_n, pc_d = sum(r["pc_n"] for r in pooled), sum(r["pc_debt"] for r in pooled)
    pa_n, pa_d = sum(r["pa_n"] for r in pooled), sum(r["pa_debt"] for r in pooled)
    iv = stats.newcombe_difference(pc_d, pc_n, pa_d, pa_n)
    out.append(Result(C["7"], rule, iv, f"{pc_d}/{pc_n} vs {pa_d}/{pa_n} pairs",
                      pc_n + pa_n, C["7"].verdict(iv)))
    return out



def _case_criteria(rule: str, runs: dict[str, list[dict]], prefix: str, seed: int
                   ) -> list[Result]:
    """Criteria 2a-5b from the per-case observations (``prefix`` "R": read off the region);
    3b needs its counterfactual case and is left out of the region's."""
    C = CRITERIA_BY_ID
    out = []
    nic, ven, arg, bol = (runs["nicaragua"], runs["venezuela"], runs["argentina"],
                          runs["bolivia"])
    out.append(_prop(C[prefix + "2a"], rule, sum(r["pc_by"] for r in nic), len(nic)))
    out.append(_prop(C[prefix + "2b"], rule, sum(r["pc_by"] for r in ven), len(ven)))
    out.append(_prop(C[prefix + "2c"], rule, sum(r["arms_chavez"] for r in ven), len(ven)))
    n12 = sum(r["present12"] for r in ven)
    kept = sum(r["present12"] and r["present20"] for r in ven)
    out.append(_prop(C[prefix + "3a"], rule, kept, n12, "runs with a 2012 tie"))
    if not prefix:
        ven0 = runs["venezuela_sunk0"]
        n12_0 = sum(r["present12"] for r in ven0)
        broke_0 = sum(r["present12"] and not r["present20"] for r in ven0)
        iv = stats.mover_ratio(broke_0, n12_0, n12 - kept, n12)
        out.append(Result(C["3b"], rule, iv, f"{broke_0}/{n12_0} vs {n12 - kept}/{n12} broke",
                          n12_0 + n12, C["3b"].verdict(iv)))
    out.append(_prop(C[prefix + "4a"], rule, sum(r["partner_kirchner"] for r in arg), len(arg)))
    n15 = sum(r["present15"] for r in arg)
    out.append(_prop(C[prefix + "4b"], rule, sum(r["present15"] and r["ended17"] for r in arg),
                     n15, "runs with a 2015 tie"))
    out.append(_prop(C[prefix + "5a"], rule, sum(r["end_partner"] for r in bol), len(bol)))
    iv = stats.bootstrap_mean([r["pc_share"] for r in bol], seed=seed)
    out.append(Result(C[prefix + "5b"], rule, iv, f"mean of {len(bol)} runs", len(bol),
                      C[prefix + "5b"].verdict(iv)))
    return out


def pattern_holds(results: list[Result], pattern: int) -> str:
    """A pattern's verdict from its criteria: fail if any fails, pass if all pass."""
    v = [r.verdict for r in results if r.criterion.pattern == pattern]
    if "fail" in v:
        return "fail"
    return "pass" if v and all(x == "pass" for x in v) else "undecided"


def failing_patterns(results: list[Result]) -> list[int]:
    """Patterns 1-5 that fail (decidedly) under one rule."""
    return [p for p in range(1, 6) if pattern_holds(results, p) == "fail"]
