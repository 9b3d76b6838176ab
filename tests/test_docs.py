"""docs/ODD.md stays in step with the parameter declarations and the code it cites."""

import re
from pathlib import Path

from omnibalance.docs_tools import ODD, current_block
from omnibalance.params import PARAMETERS, parameter_table_markdown
from omnibalance.theory import bargaining, dynamics, outlook, rules, threat


def test_odd_parameter_tables_match_declarations():
    assert current_block(ODD.read_text()) == parameter_table_markdown().strip("\n"), \
        "docs/ODD.md is stale: run `python -m omnibalance.docs_tools`"


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
