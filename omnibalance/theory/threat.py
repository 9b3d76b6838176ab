"""Threats and the hazard of losing office (MODEL.md section 3, steps 2-3).

Threats are indices in [0, 1]. The hegemon's pressure on a regime has two channels: a share
``opposition_backing`` feeds the domestic opposition (it raises internal threat), the rest is
direct external threat, which rivals' ties, stakes and arms deter (Valley's "new target for U.S.
hostility"). Leader-removal hazard is convex in threat (David 1991: need for protection grows
faster than threat).
"""

from __future__ import annotations

import numpy as np

from ._util import clip01, power


def hegemon_pressure(ideological_distance, autocracy, rival_ties, hegemon_tie, *, us_pressure,
                     pressure_ideology, pressure_autocracy, pressure_rival_ties, appeasement):
    """Pressure the hegemon puts on a regime, in [0, 1].

    Grows with ideological distance from the hegemon (0..1), autocracy (0..1) and the regime's
    rivalry-weighted ties to the hegemon's rivals; a tie to the hegemon itself appeases it.
    ``us_pressure`` scales the hegemon's policy as a whole.
    """
    raw = (pressure_ideology * ideological_distance + pressure_autocracy * autocracy
           + pressure_rival_ties * rival_ties)
    return clip01(us_pressure * raw * (1.0 - appeasement * hegemon_tie))


def split_pressure(pressure, *, opposition_backing):
    """Split hegemon pressure into (through the opposition, direct)."""
    return opposition_backing * pressure, (1.0 - opposition_backing) * pressure


def deterrence(rival_ties, rival_stakes, rival_arms=0.0, *, deterrence_ties, deterrence_stakes,
               deterrence_arms=0.0):
    """Share of the hegemon's direct pressure that rivals' presence deters, in [0, 1).

    ``rival_ties`` are the regime's ties to the hegemon's rivals weighted by their rivalry with it;
    ``rival_stakes`` their investment plus debt owed, in annual military budgets; ``rival_arms``
    the arms they delivered (discounted security support, x M): an armed regime is costlier to
    coerce (Walt 1987: offensive capability counts against an external threat). Saturating: a
    first rival foothold deters most.
    """
    return 1.0 - np.exp(-(deterrence_ties * rival_ties + deterrence_stakes * rival_stakes
                          + deterrence_arms * rival_arms))


def external_threat(direct_pressure, deterrence_share):
    """Effective external threat: direct pressure times (1 - deterrence) (MODEL.md 3.2)."""
    return clip01(direct_pressure * (1.0 - deterrence_share))


def internal_baseline(mandate, offset, *, internal_threat, mandate_effect):
    """Baseline internal threat: higher for weak mandates (David 1991: illegitimate leaders face
    their main threats at home)."""
    return clip01(internal_threat + mandate_effect * (0.5 - mandate) + offset)


def internal_threat_next(t_in, baseline, growth, opposition_pressure, security_aid, *,
                         threat_reversion, recession_threat, opposition_effect,
                         security_aid_effect):
    """Next quarter's internal threat.

    Internal threat moves a share ``threat_reversion`` of the way to its target: the baseline
    plus the unrest a recession (negative annual ``growth``) brings plus the hegemon pressure
    routed through the opposition. Security aid received last quarter (arms, police training,
    in annual military budgets) lowers it directly.
    """
    target = baseline + recession_threat * np.maximum(0.0, -growth) \
        + opposition_effect * opposition_pressure
    return clip01(t_in + threat_reversion * (target - t_in) - security_aid_effect * security_aid)


def hazard_components(t_in, t_ex, *, hazard_internal, hazard_external, hazard_exponent):
    """The internal and external parts of the per-quarter removal hazard, e*T^g each."""
    return (hazard_internal * power(t_in, hazard_exponent),
            hazard_external * power(t_ex, hazard_exponent))


def combine_hazards(h_in, h_ex, w_in=1.0, w_ex=1.0):
    """h = 1 - (1 - w_in h_in)(1 - w_ex h_ex): either threat can remove the leader.

    The weights let a leader discount a threat when valuing options (rules.threat_weights);
    the true hazard uses weights 1.
    """
    return 1.0 - (1.0 - w_in * h_in) * (1.0 - w_ex * h_ex)


def hazard(t_in, t_ex, *, hazard_internal, hazard_external, hazard_exponent):
    """Per-quarter probability that the leader is removed (MODEL.md 3.3)."""
    h_in, h_ex = hazard_components(t_in, t_ex, hazard_internal=hazard_internal,
                                   hazard_external=hazard_external,
                                   hazard_exponent=hazard_exponent)
    return combine_hazards(h_in, h_ex)


def survival(h, horizon):
    """Probability of staying in office for ``horizon`` quarters at constant hazard ``h``."""
    return power(1.0 - h, horizon)


def election_loss_probability(mandate, growth, t_in, autocracy, *, election_base,
                              election_mandate, election_economy, election_threat):
    """Probability the incumbent loses a scheduled election.

    Logistic in mandate, growth and internal threat; autocracy (control of the count and the
    courts) scales it down: a fully autocratic regime does not lose elections.
    """
    logit = (election_base - election_mandate * (mandate - 0.5) - election_economy * growth
             + election_threat * t_in)
    return (1.0 - autocracy) / (1.0 + np.exp(-logit))
