"""One date axis for every time-series figure: the run command's and the app's (notebooks)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # this test process only: no display

from omnibalance.app.figures import threat_figure  # noqa: E402
from omnibalance.model import OmnibalanceModel  # noqa: E402
from omnibalance.plotting import run_figure  # noqa: E402


def test_the_run_figure_and_the_app_figure_label_the_same_years():
    model = OmnibalanceModel("nicaragua_2007", rule="omnibalance", rng=1)
    model.run()
    cli = run_figure(model).axes[1]
    app = threat_figure(model, "NIC").axes[-1]
    labels = [t.get_text() for t in cli.get_xticklabels()]
    assert labels == [t.get_text() for t in app.get_xticklabels()]
    assert list(cli.get_xticks()) == list(app.get_xticks())
    assert labels[0] == "2007" and all(y.isdigit() for y in labels)
    assert cli.get_xlim() == (0, model.n_steps)
    # A tick (major, or minor between the labelled ones) at each first quarter of the run.
    q1 = {s for s in range(model.n_steps + 1) if model.case.date(s).endswith("Q1")}
    assert set(cli.get_xticks()) | set(cli.get_xticks(minor=True)) == q1
