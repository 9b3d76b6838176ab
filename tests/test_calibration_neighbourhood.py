"""The calibration procedure's last step: of the best-ranked points, keep the one whose
+-25% neighbourhood passes best (docs/ODD.md 8.1, step 4)."""

from types import SimpleNamespace

from omnibalance import params
from omnibalance.validation import calibration


def test_calibration_keeps_the_candidate_whose_neighbourhood_passes_best(monkeypatch):
    """Step 4: among the best-ranked points, the one whose +-25% neighbourhood passes every
    criterion most often is kept, not the knife edge that ranks first; the neighbourhoods use
    their own seed, and each neighbourhood lies within +-25% of its candidate."""
    d = params.defaults()
    names = list(calibration.search_box("omnibalance"))
    edge = calibration.Scored("omnibalance", 0, {k: d[k] for k in names}, 20, 3.0, {})
    broad = calibration.Scored("omnibalance", 7, {k: 1.5 * d[k] for k in names}, 19, 2.0, {})
    seen = []

    def fake(rule, points, replications, seed, workers=1):
        seen.append((points, seed))
        centre = broad if points[0]["office_value"] > 1.2 * d["office_value"] else edge
        share = 0.75 if centre is broad else 0.25
        return [[SimpleNamespace(criterion=SimpleNamespace(id="1a"),
                                 verdict="pass" if j < share * len(points) else "fail")]
                for j in range(len(points))]

    monkeypatch.setattr(calibration, "evaluate_points", fake)
    hoods = calibration.neighbourhood("omnibalance", [edge, broad], candidates=2, points=8,
                                      replications=5)
    assert [h.candidate.point for h in hoods] == [7, 0]
    assert (hoods[0].all_pass, hoods[1].all_pass) == (0.75, 0.25)
    assert all(seed == calibration.NEIGHBOURHOOD_SEED != 0 for _, seed in seen)
    for pts, _ in seen:
        centre = broad if pts[0]["office_value"] > 1.2 * d["office_value"] else edge
        for pt in pts:
            for k in ("office_value", "omega", "tie_decay"):
                assert abs(pt[k] - centre.values[k]) <= 0.25 * centre.values[k] + 1e-9, k
    # One candidate: the best-ranked point is kept.
    assert calibration.neighbourhood("omnibalance", [edge, broad], candidates=1, points=8,
                                     replications=5)[0].candidate is edge
