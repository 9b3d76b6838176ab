"""docs/ODD.md stays in step with the parameter declarations and the code it cites."""

import re
from pathlib import Path

from omnibalance.docs_tools import (
    ODD,
    SCREEN_BEGIN,
    SCREEN_END,
    VALIDATION,
    current_block,
    screening_markdown,
)
from omnibalance.params import PARAMETERS, parameter_table_markdown
from omnibalance.theory import bargaining, dynamics, outlook, rules, threat


def test_odd_parameter_tables_match_declarations():
    assert current_block(ODD.read_text()) == parameter_table_markdown().strip("\n"), \
        "docs/ODD.md is stale: run `python -m omnibalance.docs_tools`"


def test_validation_parameter_screen_matches_screening_toml():
    assert current_block(VALIDATION.read_text(), SCREEN_BEGIN, SCREEN_END) == \
        screening_markdown().strip("\n"), \
        "docs/validation.md is stale: run `python -m omnibalance.docs_tools`"


def test_every_parameter_is_explained_in_odd_submodels():
    text = ODD.read_text()
    prose = text[: text.index("### 7.8")]
    missing = [n for n in PARAMETERS if f"`{n}`" not in prose and n not in prose]
    assert not missing, f"parameters without an equation in docs/ODD.md: {missing}"


def test_functions_cited_in_odd_exist():
    text = ODD.read_text()
    modules = [threat, rules, bargaining, dynamics, outlook]
    cited = set(re.findall(r"\(`([a-z_]+)`\)", text))
    names = {n for m in modules for n in dir(m)}
    unknown = {c for c in cited if c not in names and c not in PARAMETERS}
    assert not unknown, f"docs/ODD.md cites functions that do not exist: {unknown}"


def test_readme_commands_exist():
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert "make run" in readme and "make test" in readme


def test_sweeps_md_redo_one_run_example_gives_the_row_of_that_run(tmp_path, monkeypatch):
    """docs/sweeps.md's example redoes run (138, 7) of the threat sweep (once a grid, whose old
    text gave it internal_threat = 0.6, us_pressure = 0.3, the two swapped; now a Latin
    hypercube: the values come from design.parquet). This runs the documented code
    on a results folder holding point 138's chunk of the real spec and compares with the row."""
    import re

    import numpy as np
    import pyarrow.parquet as pq

    from omnibalance.runner import run_once
    from omnibalance.scenario import load_scenario
    from omnibalance.sweep.design import build_design
    from omnibalance.sweep.engine import design_table, plan_of
    from omnibalance.sweep.outcomes import outcome_fields, runs_schema
    from omnibalance.sweep.spec import load_spec
    from omnibalance.sweep.work import ChunkTask, run_chunk

    root = Path(__file__).resolve().parent.parent
    text = (root / "docs" / "sweeps.md").read_text()
    code = re.search(r"```python\n(import numpy as np\nimport pandas as pd\n.*?)```", text,
                     re.S).group(1)
    spec = load_spec(root / "experiments" / "threat_sweep.toml")
    design = build_design(spec)
    folder = tmp_path / "results" / "threat_sweep"
    folder.mkdir(parents=True)
    pq.write_table(design_table(design), folder / "design.parquet")
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(code, scope)  # noqa: S102 -- the documented example, as a reader would run it
    assert scope["params"] == design.point(138)
    # The same run as the sweep computes it (one chunk's task, reduced to that run).
    plan = plan_of(spec, design)
    run_id = (0 * plan.points + 138) * plan.replications + 7
    chunk = run_id // plan.chunk_size
    schema = runs_schema(design.names, design.kinds,
                         outcome_fields(run_once, load_scenario(spec.scenario)))
    task = ChunkTask(chunk=chunk, plan=plan, runner=run_once, scenario=spec.scenario,
                     steps=spec.steps, focus=spec.focus, fixed=dict(spec.fixed),
                     points={p: design.point(p) for p in
                             sorted({plan.locate(r)[1] for r in plan.chunk_runs(chunk)})},
                     entropy=spec.seed, schema=schema, series=spec.series)
    row = next(r for r in run_chunk(task).runs.to_pylist() if r["run_id"] == run_id)
    assert (row["point"], row["replication"]) == (138, 7)
    for key, value in scope["again"].items():
        if key in row and not isinstance(value, float | np.floating):
            assert row[key] == value, key
