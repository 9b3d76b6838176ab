"""What a regime's threats will be next quarter, given its ties and the aid it receives.

One function serves both the model's actual update and a leader's forecast of each option
(MODEL.md 3.2 and 3.4), so that leaders forecast with the model's own equations. Arrays over
powers sit on the last axis; any leading axes (options, regimes, runs) broadcast.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .threat import (
    deterrence,
    external_threat,
    hazard_components,
    hegemon_pressure,
    internal_threat_next,
    split_pressure,
)


class Threats(NamedTuple):
    pressure: np.ndarray
    opposition_pressure: np.ndarray
    deterrence: np.ndarray
    t_ex: np.ndarray
    t_in: np.ndarray
    h_in: np.ndarray
    h_ex: np.ndarray


class Exposure(NamedTuple):
    """What the hegemon's pressure and its deterrence read of a regime's ties (per regime)."""

    rival_ties: np.ndarray
    """Ties to the hegemon's rivals, weighted by their rivalry with it."""
    rival_stakes: np.ndarray
    """Rivals' sunk stakes plus the debt owed to them, rivalry-weighted (x M)."""
    hegemon_tie: np.ndarray
    """The tie to the hegemon itself (it appeases the hegemon)."""
    rival_arms: np.ndarray
    """Arms the hegemon's rivals delivered (discounted security support), rivalry-weighted (x M)."""


def exposure(tau, stake, debt, support, rivalry_to_hegemon, hegemon) -> Exposure:
    """A regime's :class:`Exposure` from its per-power ties, stakes, debts and security support
    (last axis)."""
    return Exposure((tau * rivalry_to_hegemon).sum(axis=-1),
                    ((stake + debt) * rivalry_to_hegemon).sum(axis=-1), tau[..., hegemon],
                    (support * rivalry_to_hegemon).sum(axis=-1))


def threats(*, exposure: Exposure, ideological_distance, autocracy, t_in_prev, baseline,
            growth, security_aid, p, foreign_backing=0.0) -> Threats:
    """Threats and hazard components implied by a regime's exposure to the powers.

    ``security_aid`` is the protective security aid received last quarter (x M);
    ``foreign_backing`` the backing other powers than the hegemon give the opposition
    (:func:`hostility`, summed over powers); ``p`` the global parameters.
    """
    pressure = hegemon_pressure(
        ideological_distance, autocracy, exposure.rival_ties, exposure.hegemon_tie,
        us_pressure=p["us_pressure"], pressure_ideology=p["pressure_ideology"],
        pressure_autocracy=p["pressure_autocracy"], pressure_rival_ties=p["pressure_rival_ties"],
        appeasement=p["appeasement"])
    opp, direct = split_pressure(pressure, opposition_backing=p["opposition_backing"])
    opp = opp + foreign_backing
    det = deterrence(exposure.rival_ties, exposure.rival_stakes, exposure.rival_arms,
                     deterrence_ties=p["deterrence_ties"], deterrence_stakes=p["deterrence_stakes"],
                     deterrence_arms=p["deterrence_arms"])
    t_ex = external_threat(direct, det)
    t_in = internal_threat_next(
        t_in_prev, baseline, growth, opp, security_aid, threat_reversion=p["threat_reversion"],
        recession_threat=p["recession_threat"], opposition_effect=p["opposition_effect"],
        security_aid_effect=p["security_aid_effect"])
    h_in, h_ex = hazard_components(t_in, t_ex, hazard_internal=p["hazard_internal"],
                                   hazard_external=p["hazard_external"],
                                   hazard_exponent=p["hazard_exponent"])
    return Threats(pressure, opp, det, t_ex, t_in, h_in, h_ex)


def hostility(backs_opposition, ideological_distance, is_hegemon):
    """How far each power other than the hegemon backs a regime's opposition, in [0, 1]: its
    declared ``backs_opposition`` times its ideological distance from the leader (0..1). The
    hegemon's backing is its pressure's opposition channel instead (``opposition_backing``)."""
    return np.where(is_hegemon, 0.0, backs_opposition * ideological_distance)


def protection(is_hegemon, pressure, opposition_backing, hostile_backing=0.0):
    """How far a power's security aid protects the regime against its internal threat.

    David (1991): a power that backs the opposition cannot be the protector against it. The
    hegemon's aid to a regime it pressures protects only in proportion to 1 - pressure; any
    other power's in proportion to 1 - its :func:`hostility`.
    """
    hostile = np.where(opposition_backing > 0, pressure, 0.0)
    return np.where(is_hegemon, 1.0 - hostile, 1.0 - hostile_backing)
