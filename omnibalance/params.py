"""One declaration per parameter.

Every number the model reads is declared here once, with its meaning, unit, default, allowed
range and source. The model, the scenario loader and its validation, the classroom sliders, the
sensitivity bounds and the parameter table in ``docs/ODD.md`` all read these declarations; none
of them keeps a second copy of a default or a range.

Three kinds of declaration:

* :data:`PARAMETERS` -- global model parameters (one value per run). A scenario's
  ``[parameters]`` table or a sweep design may override them by name.
* :data:`REGIME_FIELDS` -- the state a scenario gives each regime (ideology, mandate, ...).
  Overridable as ``regimes.<ID>.<field>``.
* :data:`POWER_FIELDS` -- the attributes of each great power (capability, budget, ...).
  Overridable as ``powers.<ID>.<field>``.

Time step: one quarter. Money: constant US$ millions. "x M" means "as a multiple of the
regime's annual military budget M_i", the scale MODEL.md asks every deal to be reported in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

ASSET_KINDS: tuple[str, ...] = ("naval", "energy", "territory", "political", "market")
"""Asset kinds a regime can open to a patron (MODEL.md section 2): naval access, energy
stakes, territory/installations (e.g. a GLONASS station), political support (recognitions,
UN votes), and market access."""

RULES: tuple[str, ...] = ("omnibalance", "balance_of_threat", "balance_of_power", "bandwagon")
"""The alignment rules under test (David 1991; Walt 1987; Waltz 1979; bandwagoning)."""


@dataclass(frozen=True)
class Param:
    """A declared parameter: what it means in the theory and what values it may take."""

    name: str
    default: float
    low: float
    high: float
    unit: str
    meaning: str
    source: str
    group: str
    kind: type = float
    prior: tuple[float, float] | None = None
    """The declared prior range of a calibrated parameter (robustness, ``validate --prior``):
    at least +-25% around the calibrated default, within the allowed range; None for a
    parameter fixed by data or by construction."""

    def check(self, value: object) -> str | None:
        """Return why ``value`` is not allowed, or ``None`` if it is."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"must be a number ({self.kind.__name__}), got {type(value).__name__}"
        if self.kind is int and float(value) != int(value):
            return "must be a whole number"
        if not (self.low <= value <= self.high):
            return f"must be in [{_fmt(self.low)}, {_fmt(self.high)}]"
        return None

    @property
    def allowed(self) -> str:
        return f"{self.kind.__name__} in [{_fmt(self.low)}, {_fmt(self.high)}]"


def _fmt(x: float) -> str:
    return f"{x:g}"


CAL = "calibrated (docs/ODD.md, Calibration)"
ASSUMED = "modelling assumption (docs/ODD.md)"


def _p(name, default, low, high, unit, meaning, source=ASSUMED, group="", kind=float) -> Param:
    return Param(name, default, low, high, unit, meaning, source, group, kind)


_GLOBAL: list[Param] = [
    # --- threats (MODEL.md 3.2) ---
    _p("us_pressure", 0.6, 0.0, 1.0, "index 0-1",
       "Hegemon's pressure policy: scale of the pressure it puts on hostile regimes.",
       "MODEL.md 3.2; swept in the threat sweep", "threat"),
    _p("internal_threat", 0.25, 0.0, 1.0, "probability-scale index 0-1",
       "Baseline internal threat of a regime with mandate 0.5 (opposition, unrest, coup risk).",
       "MODEL.md 2; swept in the threat sweep", "threat"),
    _p("mandate_effect", 0.8, 0.0, 2.0, "threat per unit mandate",
       "How much a weaker mandate raises baseline internal threat: baseline = internal_threat "
       "+ mandate_effect * (0.5 - mandate).", "David 1991 (weak legitimacy); MODEL.md 2", "threat"),
    _p("opposition_backing", 0.4, 0.0, 1.0, "share",
       "Share of hegemon pressure that works through the domestic opposition (raises internal "
       "threat) rather than as direct external threat.", "MODEL.md 3.2", "threat"),
    _p("pressure_ideology", 0.7, 0.0, 2.0, "pressure per unit distance",
       "Weight of ideological distance from the hegemon in its pressure on a regime.",
       "MODEL.md 3.2", "threat"),
    _p("pressure_autocracy", 0.3, 0.0, 2.0, "pressure per unit autocracy",
       "Weight of autocracy in the hegemon's pressure on a regime.", "MODEL.md 3.2", "threat"),
    _p("pressure_rival_ties", 0.3, 0.0, 2.0, "pressure per unit tie",
       "Weight of the regime's ties to the hegemon's rivals in the hegemon's pressure.",
       "MODEL.md 3.2", "threat"),
    _p("appeasement", 0.5, 0.0, 1.0, "share",
       "How far a tie to the hegemon itself lowers its pressure (appeasing the threat).",
       "David 1991 (appeasing secondary threats)", "threat"),
    _p("deterrence_ties", 1.5, 0.0, 10.0, "per unit rivalry-weighted tie",
       "How fast deterrence of the direct threat rises with ties to the hegemon's rivals.",
       "Valley (essay): 'a new target for U.S. hostility'", "threat"),
    _p("deterrence_stakes", 0.3, 0.0, 10.0, "per unit stake (x M)",
       "How fast deterrence rises with rivals' stakes (investment plus debt) in the regime.",
       "Valley (essay): sunk investment makes a US move Russia's problem too", "threat"),
    _p("deterrence_arms", 0.5, 0.0, 10.0, "per unit arms (x M)",
       "How fast deterrence rises with the arms the hegemon's rivals delivered (discounted "
       "security support): an armed regime is costlier to coerce.",
       "Walt 1987 (offensive capability); MODEL.md 3.2", "threat"),
    _p("threat_reversion", 0.15, 0.0, 1.0, "share per quarter",
       "Speed at which internal threat reverts to its baseline.", ASSUMED, "threat"),
    _p("recession_threat", 1.5, 0.0, 10.0, "threat per unit annual contraction",
       "Rise in internal threat per unit of negative annual growth.", ASSUMED, "threat"),
    _p("opposition_effect", 0.3, 0.0, 2.0, "threat per unit pressure",
       "Rise in internal threat per unit of hegemon pressure routed through the opposition.",
       "MODEL.md 3.2", "threat"),
    _p("security_aid_effect", 0.6, 0.0, 5.0, "threat per unit aid (x M)",
       "Fall in internal threat per unit of security aid (arms, police training), in annual "
       "military budgets.", "Valley (essay): Russian help modernising Ortega's police", "threat"),
    # --- hazard (MODEL.md 3.3) ---
    _p("hazard_internal", 0.12, 0.0, 1.0, "probability per quarter",
       "Leader-removal hazard at maximal internal threat (e_in).", "MODEL.md 3.3", "hazard"),
    _p("hazard_external", 0.08, 0.0, 1.0, "probability per quarter",
       "Leader-removal hazard at maximal effective external threat (e_ex).", "MODEL.md 3.3",
       "hazard"),
    _p("hazard_exponent", 3.0, 0.5, 5.0, "dimensionless",
       "Convexity g of hazard in threat: h = 1 - (1 - e_in T_in^g)(1 - e_ex T_ex^g).",
       CAL, "hazard"),
    _p("endogenous_elections", 0, 0, 1, "switch (0 or 1)",
       "1: every scheduled election is decided by the election model, the scenario's historical "
       "outcome ignored (a counterfactual); 0: historical outcomes hold while the scheduled "
       "leader is in office.", "docs/ODD.md 7.2 (a modelling decision)", "hazard", int),
    _p("election_base", -0.5, -5.0, 5.0, "log-odds",
       "Log-odds that an incumbent loses a scheduled election at mandate 0.5, zero growth and "
       "zero internal threat.", ASSUMED, "hazard"),
    _p("election_mandate", 6.0, 0.0, 20.0, "log-odds per unit mandate",
       "How much a stronger mandate lowers the log-odds of losing an election.", ASSUMED,
       "hazard"),
    _p("election_economy", 20.0, 0.0, 100.0, "log-odds per unit annual growth",
       "How much growth lowers the log-odds of losing an election.", ASSUMED, "hazard"),
    _p("election_threat", 2.0, 0.0, 10.0, "log-odds per unit internal threat",
       "How much internal threat raises the log-odds of losing an election.", ASSUMED, "hazard"),
    # --- economy (MODEL.md 3.1) ---
    _p("growth_mean", 0.03, -0.2, 0.2, "annual growth rate",
       "Long-run mean of a regime's annual growth (AR(1)).",
       "World Bank WDI, GDP growth (annual %), NY.GDP.MKTP.KD.ZG (update of 2024-06-28): mean "
       "annual growth of Argentina, Bolivia, Ecuador, Nicaragua and Venezuela about 3.2% over "
       "1990-2019 and 2000-2019 (Venezuela to 2014); the region as a whole 2.5-2.6%",
       "economy"),
    _p("growth_persistence", 0.70, 0.0, 0.99, "per quarter",
       "AR(1) persistence of growth.",
       "AR(1) coefficients 0.55-0.87 (median 0.78) of quarterly year-on-year GDP growth of "
       "Argentina, Brazil, Ecuador, Mexico and Peru (Aguiar & Gopinath 2007, J. Political "
       "Economy 115(1), replication data, samples to 2002-03), against a year-to-year "
       "autocorrelation of annual growth of only 0.1-0.35 in WDI 2000-2019: 0.70 matches both "
       "once annual averaging is allowed for (data range 0.60-0.80)", "economy"),
    _p("growth_sd", 0.025, 0.0, 0.1, "annual growth rate",
       "Standard deviation of the quarterly growth innovation.",
       "the innovation that gives the five cases' median standard deviation of annual growth, "
       "3.0 points (WDI 2000-2019; Argentina 6, Venezuela 7, Bolivia 1.3), at persistence "
       "0.70 (0.021-0.026); direct quarterly estimates 0.021-0.039, median 0.025 (Aguiar & "
       "Gopinath 2007 data); data range 0.015-0.035", "economy"),
    _p("investment_growth", 0.02, 0.0, 0.5, "annual growth per unit investment (x M)",
       "Growth added by one annual military budget's worth of foreign investment, and removed "
       "by as much debt service.", ASSUMED,
       "economy"),
    # --- the regime's decision (MODEL.md 3.4) ---
    _p("omega", 0.5, 0.0, 1.0, "weight",
       "Weight of the secondary threat (the primary threat weighs 1).", "David 1991", "decision"),
    _p("office_value", 30.0, 0.0, 200.0, "x M",
       "Value to the leader of staying in office over the planning horizon.", CAL, "decision"),
    _p("horizon", 8, 1, 40, "quarters",
       "Planning horizon of a leader: over it he counts the fall in hazard an act brings, a tie's "
       "lasting cost and the credit he repays; the patron counts the risk to its deal over it.",
       ASSUMED, "decision", int),
    _p("concession_accountability", 0.6, 0.0, 10.0, "x M per unit accountability",
       "Concession cost of a deal for an accountable (democratic) leader, per unit "
       "(1 - autocracy).",
       "MODEL.md 3.4", "decision"),
    _p("concession_ideology", 1.2, 0.0, 10.0, "x M per unit distance",
       "Concession cost per unit of ideological distance between regime and patron.",
       "MODEL.md 3.4", "decision"),
    _p("refusal_cost", 0.2, 0.0, 5.0, "x M",
       "Face a leader loses when a power publicly refuses a proposal; with the expected "
       "acceptance it decides whether a proposal is worth making.", ASSUMED, "decision"),
    _p("acceptance_learning", 0.5, 0.0, 1.0, "share",
       "How far one answer (accepted, refused, funded in part) moves the leader's expected "
       "acceptance by that power.", ASSUMED, "decision"),
    _p("concession_upkeep", 0.02, 0.0, 1.0, "share of the concession cost per quarter per unit tie",
       "The lasting domestic cost of a tie: each quarter the leader pays this share of the "
       "concession cost of the patron, times the tie. A cut tie stops it.",
       "David 1991 (appeasement has a domestic price); MODEL.md 3.4", "decision"),
    _p("alignment_value", 1.0, 0.0, 20.0, "x M",
       "Fixed value a threat-blind leader (balance of power, bandwagon) puts on a security deal "
       "with its target.", "Waltz 1979; MODEL.md 3.4", "decision"),
    _p("economic_value", 1.5, 0.0, 5.0, "per unit investment",
       "Direct value (rents, jobs) a leader puts on each unit of foreign investment, under every "
       "rule.", CAL, "decision"),
    # --- deals and bargaining (MODEL.md 3.5) ---
    _p("security_deal_size", 0.15, 0.0, 2.0, "x M per deal",
       "Security aid (arms, police training) one security deal delivers, before the regime's "
       "security_deal_scale.",
       "modelling assumption: one quarter's arms and training package. For scale, the 2016 "
       "order of 50 T-72B tanks (~$80M against a ~$79M budget, Valley's essay) is about 1.0 M, "
       "some seven such quarters; 15 sourced contracts have a median of 0.18 (docs/validation.md, "
       "Parameters fixed from data, says why it is not adopted)", "deal"),
    _p("economic_deal_size", 0.3, 0.0, 5.0, "x M per deal",
       "Investment or loans one economic deal delivers, before the regime's "
       "economic_deal_scale.", ASSUMED, "deal"),
    _p("security_credit_share", 0.65, 0.0, 1.0, "share",
       "Share of security aid sold on credit (it becomes debt to the patron).",
       "Russia's arms credits to Venezuela, US$1bn (RIA Novosti, 25 Sep 2008), 2.2bn (RT, Sep "
       "2009) and 4bn (Business Insider, Oct 2011), 7.2bn against US$10-11bn of Russian arms "
       "bought (Rosoboronexport, c. 2011; The Telegraph, Jun 2019): 0.65-0.72; Bolivia's Chinese "
       "jets and helicopters mostly on Chinese credit (UPI, 9 Feb 2011; Fox News Latino, 22 Dec "
       "2011); Peru, Argentina and Ecuador paid cash. Value-weighted about 0.6 (data range "
       "0.5-0.9)", "deal"),
    _p("economic_credit_share", 0.8, 0.0, 1.0, "share",
       "Share of an economic deal that is a loan (debt) rather than equity investment.",
       "China's state finance in the region is policy-bank loans (Inter-American Dialogue, "
       "China-Latin America Finance Database, release of 11 Feb 2016): 37bn of loans against "
       "15bn of FDI in 2010, 0.71 region-wide (Gallagher, Irwin & Koleski, 'The New Banks in "
       "Town', 2012; ECLAC), nearly all loans and oil presales for Venezuela and Ecuador; Russia "
       "in Venezuela about 13.7bn of state loans and Rosneft prepayments out of about 17bn "
       "(Reuters, via The Moscow Times, 14 Mar 2019): 0.8", "deal"),
    _p("beta", 0.3, 0.0, 0.5, "share",
       "Regime's bargaining power in the generalised Nash split (beta < 0.5: the patron is "
       "stronger).", "Nash 1950; Morrow 1991", "deal"),
    _p("denial_weight", 30.0, 0.0, 1000.0, "US$M per deal per unit rivalry",
       "Value to a patron of denying a rival a client in that rival's region (or one tied to "
       "it), an absolute amount per deal: the strategic value of a client does not grow with "
       "its military budget (divided by M_i in the bargain).", CAL, "deal"),
    _p("repayment_rate", 0.05, 0.0, 0.5, "share of debt per quarter",
       "Share of its debt a regime services each quarter in normal times.",
       "principal repaid per quarter under the terms of the region's state loans of 2007-2016: "
       "China-Venezuela Joint Fund tranches over 3 years, 0.08 (Business Recorder/AFP, Aug "
       "2015); China Development Bank loans to Ecuador of 4-8 years, 0.04-0.07 (AidData "
       "projects 35865, 69320); 15-year Ex-Im and dam loans, 0.023-0.025 (Reuters, 20 Jul "
       "2014); Russia's 2011 US$4bn loan to Venezuela at 7.4%, due by March 2019 (The Moscow "
       "Times, 26 Sep 2016). Blend about 0.04-0.05 (data range 0.02-0.09)", "deal"),
    _p("recession_repayment", 0.2, 0.0, 1.0, "multiplier",
       "Repayment in recession relative to normal times.",
       "Venezuela in recession: China's interest-only grace of 2016-2018 cut the oil sent for "
       "debt service from about 375,000 to 70,000 barrels a day, 0.19 (a Reuters review of "
       "PDVSA documents, Jul 2018); "
       "Russia's 2017 restructuring, US$133M a year in 2019-22 against 684M a year in 2023-26, "
       "0.19 (TASS, 15 Nov 2017; Reuters, 2019); the Sept 2016 protocol deferred all payments to "
       "March 2019, 0 (The Moscow Times, 26 Sep 2016); oil-secured Rosneft prepayments went on "
       "being repaid, about 1", "deal"),
    _p("recession_returns", 0.3, 0.0, 1.0, "multiplier",
       "Value to a patron of a regime's economic assets (energy stakes, market access) in "
       "recession relative to normal times: returns on them fall with the economy.",
       "Valley (essay): Russia's 'grim return' on Venezuelan oil; calibrated (docs/ODD.md, "
       "Calibration)", "deal"),
    _p("debt_scale", 2.0, 0.1, 20.0, "x M",
       "Debt ratio at which the patron's expected repayment rate halves.", ASSUMED, "deal"),
    _p("stake_horizon", 40, 1, 200, "quarters",
       "Horizon over which a patron counts the survival of its sunk stake: investments and "
       "debts outlive a deal and a leader's planning horizon.", CAL, "deal", int),
    _p("stake_depreciation", 0.02, 0.0, 0.5, "share per quarter",
       "Depreciation of a patron's sunk stake (investment and installed access).", ASSUMED,
       "deal"),
    _p("stake_loss_on_fall", 0.5, 0.0, 1.0, "share",
       "Share of a patron's stake lost when the leader falls and the successor is hostile.",
       ASSUMED, "deal"),
    # --- ties and classification (MODEL.md 3.6-3.7) ---
    _p("tie_decay", 0.09, 0.0, 1.0, "share per quarter",
       "Share of a tie lost every quarter without renewal; also the rate at which a leader "
       "forgets a power's refusals (expected acceptance drifts back to 1).", CAL, "ties"),
    _p("tie_gain", 1.5, 0.0, 10.0, "tie per unit deal (x M)",
       "Tie gained per unit of deal size, applied to the gap 1 - tau.", ASSUMED, "ties"),
    _p("security_memory", 0.9, 0.0, 1.0, "discount per quarter",
       "Discount on past security aid when measuring a client's dependence (about 2.5 years).",
       ASSUMED, "ties"),
    _p("pc_tie", 0.5, 0.0, 1.0, "tie",
       "Tie at or above which a pair can be patron-client.", "MODEL.md 3.7", "ties"),
    _p("partnership_tie", 0.2, 0.0, 1.0, "tie",
       "Tie at or above which a pair is at least a partnership.", "MODEL.md 3.7", "ties"),
    _p("pc_dependence", 0.5, 0.0, 1.0, "share",
       "Share of discounted security support from one patron that marks dependence.",
       "MODEL.md 3.7", "ties"),
    _p("pc_support_min", 0.3, 0.0, 10.0, "x M (discounted)",
       "Least discounted security support from one patron that can make a client dependent: a "
       "single small deal with nobody else supplying is not dependence.", "MODEL.md 3.7",
       "ties"),
    _p("pc_share", 0.45, 0.0, 1.0, "share",
       "Bargaining share at or below which a client is dependent rather than a partner.",
       "MODEL.md 3.7", "ties"),
]

PRIOR_WIDTH = 0.25
"""Half-width of a default prior range, relative to the calibrated value (issue Model 2: at
least +-25%; a prior is never narrowed to make a criterion pass)."""

CALIBRATED: tuple[str, ...] = (
    "us_pressure", "internal_threat", "mandate_effect", "opposition_backing",
    "security_aid_effect", "deterrence_arms", "hazard_internal", "hazard_external",
    "hazard_exponent", "omega", "office_value", "concession_accountability",
    "concession_ideology", "concession_upkeep", "refusal_cost", "economic_value",
    "denial_weight", "recession_returns", "stake_horizon", "tie_decay")
"""The behavioural parameters the patterns are calibrated with (docs/validation.md,
Calibration), under every rule; each gets the prior range +-PRIOR_WIDTH around its
calibrated value."""

RULE_PARAMETERS: dict[str, tuple[str, ...]] = {
    "omnibalance": (), "balance_of_threat": (),
    "balance_of_power": ("alignment_value",), "bandwagon": ("alignment_value",)}
"""Parameters only some rules read, calibrated for those rules besides CALIBRATED."""

RULE_INERT: dict[str, tuple[str, ...]] = {
    "omnibalance": (), "balance_of_threat": ("omega",),
    "balance_of_power": ("omega", "office_value"), "bandwagon": ("omega", "office_value")}
"""Calibrated parameters a rule never reads (balance of threat weighs internal threat 0, so
no secondary weight; the threat-blind rules value no hazard): left out of its search and box."""

def package_toml(name: str) -> dict[str, Any]:
    """A TOML file shipped inside the package (``omnibalance/<name>``), parsed."""
    import tomllib
    from importlib import resources

    return tomllib.loads((resources.files("omnibalance") / name).read_text(encoding="utf-8"))


def _load_calibration() -> dict[str, dict[str, float]]:
    table = package_toml("calibration.toml")
    kind = {p.name: p.kind for p in _GLOBAL}
    return {rule: {k: kind[k](v) for k, v in values.items()}
            for rule, values in table.get("rules", {}).items()}


RULE_CALIBRATION: dict[str, dict[str, float]] = _load_calibration()
"""Each rule's calibrated values (``omnibalance/calibration.toml``), found by the same
procedure for every rule (omnibalance.validation.calibration; docs/validation.md,
Calibration). A parameter a rule does not list stays at its default; the defaults are the
search's centre."""


SCALE: tuple[str, ...] = ("pressure_ideology",)
"""Parameters fixed because another parameter sets the same scale, so that no data could tell
them apart: the model reads only the product ``us_pressure * pressure_ideology`` (and
``us_pressure`` times the other two weights), so ``us_pressure`` (calibrated, swept) carries
the scale of the hegemon's pressure and ``pressure_ideology`` stays at its default."""

DATA: tuple[str, ...] = ("growth_mean", "growth_persistence", "growth_sd",
                         "security_credit_share", "economic_credit_share", "repayment_rate",
                         "recession_repayment")
"""Parameters fixed from data: each one's ``source`` cites it (docs/ODD.md, parameter table)."""

FIXED: dict[str, str] = {
    **dict.fromkeys(("pc_tie", "partnership_tie", "pc_dependence", "pc_share", "pc_support_min",
                     "security_memory"), "definition"),
    "endogenous_elections": "switch",
    **dict.fromkeys(SCALE, "scale"),
    **dict.fromkeys(DATA, "data")}
"""Globals that are not free: the classification's definitions (what the categories of
MODEL.md 3.7 mean, read by the patterns, not fitted to them), switches between model
variants, a scale another parameter already sets (SCALE) and values fixed from data (DATA).
Every other global is free -- calibrated (CALIBRATED, RULE_PARAMETERS) or assumed -- unless
the parameter screen fixed it (SCREENED)."""


def _load_screening() -> tuple[dict[str, float], float]:
    table = package_toml("screening.toml")
    return ({name: max(row.values()) for name, row in table["mu_star"].items()},
            float(table["procedure"]["needed"]))


SCREEN_MU_STAR, SCREEN_NEEDED = _load_screening()
"""Each free global's largest Morris mu* over the criteria (``omnibalance/screening.toml``,
written by experiments/screen_parameters.py; docs/validation.md, "Which parameters the
patterns need"), and the mu* from which a criterion needs a parameter."""

SCREENED: tuple[str, ...] = tuple(
    n for n, mu in SCREEN_MU_STAR.items()
    if mu < SCREEN_NEEDED and n not in FIXED and n not in CALIBRATED
    and not any(n in v for v in RULE_PARAMETERS.values()))
"""Assumed parameters that no criterion needs (factor fixing, Saltelli et al. 2008): fixed at
their defaults, no longer free. A calibrated parameter stays calibrated whatever the screen
says (another rule may read it)."""


def status(name: str) -> str:
    """``calibrated``, ``assumed``, ``screened`` (fixed: no criterion needs it), ``data``
    (fixed from a cited source), ``scale`` (fixed: another parameter sets its scale),
    ``definition`` or ``switch``."""
    if name in FIXED:
        return FIXED[name]
    if name in CALIBRATED or any(name in v for v in RULE_PARAMETERS.values()):
        return "calibrated"
    if name in SCREENED:
        return "screened"
    return "assumed"


PARAMETERS: dict[str, Param] = {p.name: p for p in _GLOBAL}


def free_parameters() -> list[str]:
    """The free globals: those calibrated or assumed (not fixed by FIXED or by the screen)."""
    return [n for n in PARAMETERS if status(n) in ("calibrated", "assumed")]


_REGIME: list[Param] = [
    _p("ideology", 0.0, -1.0, 1.0, "-1 anti-US left .. +1 pro-US",
       "The leader's ideology x_i.", "MODEL.md 2", "regime"),
    _p("autocracy", 0.3, 0.0, 1.0, "index 0-1",
       "Autocracy a_i: 0 fully accountable, 1 unaccountable.", "MODEL.md 2", "regime"),
    _p("mandate", 0.5, 0.0, 1.0, "share",
       "Genuine popular support for the leader (not a vote share inflated by fraud).",
       "MODEL.md 2", "regime"),
    _p("military_budget", 100.0, 1.0, 1e6, "US$M per year",
       "Annual military budget M_i: the scale in which aid, debt and assets are reported.",
       "MODEL.md 2", "regime"),
    _p("growth", 0.03, -0.3, 0.3, "annual growth rate", "Initial annual growth g_i.",
       "MODEL.md 2", "regime"),
    _p("opposition_ideology", 0.5, -1.0, 1.0, "-1 .. +1",
       "Mean ideology of a successor drawn when the leader is removed or loses an election.",
       "MODEL.md 3.3", "regime"),
    _p("security_deal_scale", 1.0, 0.001, 10.0, "multiplier",
       "Size of this regime's security deals relative to security_deal_size (x M): its "
       "typical arms contract against the typical one (a large military that makes most of its "
       "own arms buys a smaller share of its budget abroad per deal).",
       "MODEL.md 3.5 (deal sizes stay within what a patron can offer)", "regime"),
    _p("economic_deal_scale", 1.0, 0.001, 10.0, "multiplier",
       "Size of this regime's economic deals relative to economic_deal_size (x M): its "
       "typical state loan or investment against the typical one.",
       "MODEL.md 3.5 (deal sizes stay within what a patron can offer)", "regime"),
    _p("internal_threat_offset", 0.0, -1.0, 1.0, "threat",
       "Case-specific shift of baseline internal threat.", "MODEL.md 2", "regime"),
]
for _k in ASSET_KINDS:
    _REGIME.append(_p(f"asset_{_k}", 0.0, 0.0, 10.0, "x M per deal",
                      f"Value of the regime's {_k} assets opened in a deal (before the patron's "
                      "interest weight).", "MODEL.md 2", "regime"))
REGIME_FIELDS: dict[str, Param] = {p.name: p for p in _REGIME}

_POWER: list[Param] = [
    _p("capability", 100.0, 0.0, 1e5, "US$bn military expenditure",
       "Capability C_p; 'strongest' means largest C_p.", "MODEL.md 2 (SIPRI-like measure)",
       "power"),
    _p("budget", 200.0, 0.0, 1e6, "US$M per quarter",
       "Budget for aid and investment in the region each quarter.", "MODEL.md 2", "power"),
    _p("ideology", 0.0, -1.0, 1.0, "-1 .. +1",
       "Position on the regimes' ideological scale (the US is +1).", "MODEL.md 2", "power"),
    _p("sunk_weight", 0.5, 0.0, 1.0, "weight",
       "How far the power's existing stake counts when it decides to keep a client alive.",
       "MODEL.md 2; Valley (essay) on Venezuela after 2013", "power"),
    _p("backs_opposition", 0.0, 0.0, 1.0, "share",
       "How far the power backs the opposition of regimes ideologically far from it (times the "
       "distance): it raises their internal threat and its own aid to them protects less. The "
       "hegemon's backing is its pressure's opposition channel (opposition_backing) instead.",
       "David 1991 (a power that backs the opposition cannot protect against it); MODEL.md 3.2",
       "power"),
    _p("regional_stake", 0.0, 0.0, 1.0, "weight",
       "How much the power cares about the region as its own (the hegemon: 1).",
       "MODEL.md 2", "power"),
]
for _k in ASSET_KINDS:
    _POWER.append(_p(f"interest_{_k}", 0.5, 0.0, 5.0, "weight",
                     f"Interest weight w[p,{_k}] of the power in {_k} assets.", "MODEL.md 2",
                     "power"))
POWER_FIELDS: dict[str, Param] = {p.name: p for p in _POWER}


def defaults() -> dict[str, float]:
    """The default value of every global parameter."""
    return {name: p.default for name, p in PARAMETERS.items()}


def rule_defaults(rule: str) -> dict[str, float]:
    """Every global parameter at ``rule``'s calibrated value (the defaults elsewhere)."""
    return defaults() | RULE_CALIBRATION.get(rule, {})


def calibrated_names(rule: str | None) -> tuple[str, ...]:
    """The parameters calibrated under ``rule``: those it reads (all of CALIBRATED for None)."""
    if rule is None:
        return CALIBRATED
    return tuple(n for n in CALIBRATED if n not in RULE_INERT.get(rule, ())) \
        + RULE_PARAMETERS.get(rule, ())


def prior_box(rule: str | None, width: float = PRIOR_WIDTH) -> dict[str, tuple[float, float]]:
    """Each calibrated parameter's prior range under ``rule``: +-``width`` around the rule's
    calibrated value, within the allowed range (the declared ``Param.prior`` for omnibalance).
    ``rule=None``: every parameter of CALIBRATED around the defaults, the box no rule's
    calibration has moved (``omnibalance compare`` weighs the rules on it)."""
    return box_around(rule_defaults(rule) if rule else defaults(), calibrated_names(rule),
                      width)


def box_around(centre: dict[str, float], names, width: float = PRIOR_WIDTH
               ) -> dict[str, tuple[float, float]]:
    """+-``width`` around ``centre`` for each of ``names``, within each parameter's allowed
    range (integers rounded): a prior box, or the neighbourhood of a calibration candidate."""
    out = {}
    for name in names:
        p = PARAMETERS[name]
        lo, hi = centre[name] * (1 - width), centre[name] * (1 + width)
        lo, hi = max(p.low, min(lo, hi)), min(p.high, max(lo, hi))
        if p.kind is int:
            lo, hi = float(round(lo)), float(round(hi))
        out[name] = (round(lo, 10), round(hi, 10))
    return out


PARAMETERS.update({name: replace(PARAMETERS[name], prior=box)
                   for name, box in prior_box("omnibalance").items()})


def parameter_table_markdown() -> str:
    """The parameter tables of docs/ODD.md, generated from the declarations."""
    free = free_parameters()
    n_cal = sum(status(n) == "calibrated" for n in free)
    fixed = {k: sum(status(n) == k for n in PARAMETERS)
             for k in ("screened", "data", "scale", "definition", "switch")}
    out: list[str] = [
        f"{len(PARAMETERS)} global parameters: {len(free)} free ({n_cal} calibrated, "
        f"{len(free) - n_cal} assumed), {len(PARAMETERS) - len(free)} fixed: "
        f"{fixed['data']} from data (*data*, the source cited), {fixed['screened']} because no "
        "criterion needs them (*screened*, docs/validation.md), "
        f"{fixed['scale']} because another parameter sets its scale (*scale*) and "
        f"{fixed['definition'] + fixed['switch']} as definitions or switches. *omnibalance* is "
        "omnibalance's calibrated value (section 8; the default is the calibration search's "
        "centre); *prior* its declared prior range.\n"]
    for title, table in (("Global parameters", PARAMETERS), ("Regime fields", REGIME_FIELDS),
                         ("Great-power fields", POWER_FIELDS)):
        out.append(f"#### {title}\n")
        glob = table is PARAMETERS
        out.append("| name | default | " + ("omnibalance | status | " if glob else "")
                   + "range | prior | unit | meaning | source |")
        out.append("|---|---|" + ("---|---|" if glob else "") + "---|---|---|---|---|")
        cal = rule_defaults("omnibalance")
        for p in table.values():
            meaning = p.meaning.replace("|", "\\|")
            prior = f"[{_fmt(p.prior[0])}, {_fmt(p.prior[1])}]" if p.prior else "fixed"
            extra = f"{_fmt(cal[p.name])} | {status(p.name)} | " if glob else ""
            out.append(f"| `{p.name}` | {_fmt(p.default)} | {extra}[{_fmt(p.low)}, "
                       f"{_fmt(p.high)}] | {prior} | {p.unit} | {meaning} | {p.source} |")
        out.append("")
    return "\n".join(out)
