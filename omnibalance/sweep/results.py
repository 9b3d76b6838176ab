"""Reading a finished (or partly finished) results folder back.

Analysis only reads: it never changes a results folder. The per-run rows are read through
``pyarrow.dataset`` with just the columns asked for, so analysing a large sweep needs memory for
those columns only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from ..errors import ConfigError, unknown_key
from .store import chunk_files, chunk_key, chunk_problem, read_manifest


@dataclass(frozen=True)
class Results:
    """A sweep's results folder: its manifest and its per-run dataset."""

    folder: Path
    manifest: dict[str, Any]
    dataset: pads.Dataset

    @property
    def columns(self) -> list[str]:
        return list(self.dataset.schema.names)

    @property
    def swept(self) -> list[str]:
        """The swept parameters (the design's columns)."""
        return list(self.manifest["design"]["parameters"])

    @property
    def rules(self) -> list[str]:
        return list(self.manifest["plan"]["rules"])

    @property
    def powers(self) -> list[str]:
        """Power ids with a ``pc_ever_<ID>`` outcome."""
        return [c[len("pc_ever_"):] for c in self.columns if c.startswith("pc_ever_")]

    def check_column(self, name: str, field: str, choices: list[str] | None = None) -> None:
        """Raise a :class:`ConfigError` with the nearest name if ``name`` is not a column."""
        choices = choices if choices is not None else self.columns
        if name not in choices:
            raise unknown_key(str(self.folder), field, name, choices)

    def pick_rule(self, rule: str | None) -> str:
        """The rule to analyse: the given one, or the only one."""
        if rule is None:
            if len(self.rules) > 1:
                raise ConfigError(str(self.folder), "--rule", None,
                                  f"this sweep compares rules; choose one of "
                                  f"{', '.join(self.rules)}")
            return self.rules[0]
        if rule not in self.rules:
            raise unknown_key(str(self.folder), "--rule", rule, self.rules)
        return rule

    def read(self, columns: list[str], rule: str | None = None) -> pd.DataFrame:
        """The given columns of every run (of one rule, if given), ordered by rule (in the
        spec's order), point and replication: the run-id order of a sweep never extended, and
        the same order for an extended one (whose run ids follow its blocks)."""
        keys = ["rule", "point", "replication"]
        cols = list(dict.fromkeys(["run_id", *columns, *keys]))
        flt = pads.field("rule") == rule if rule is not None else None
        table = self.dataset.to_table(columns=cols, filter=flt)
        order = pc.index_in(table.column("rule"), value_set=pa.array(self.rules))
        table = table.append_column("_rule_index", order).sort_by(
            [("_rule_index", "ascending"), ("point", "ascending"),
             ("replication", "ascending")])
        keep = list(dict.fromkeys(["run_id", *columns]))
        return table.select(keep).to_pandas()


def open_results(folder: str | Path) -> Results:
    """Open a results folder written by ``omnibalance sweep``."""
    folder = Path(folder)
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise ConfigError("command line", "RESULTS", str(folder),
                          "is not a sweep results folder (no manifest.json); run "
                          "'omnibalance sweep SPEC --out FOLDER' first")
    manifest = read_manifest(folder, "RESULTS")
    runs = folder / "runs"
    found = chunk_files(runs, manifest["plan"].get("chunks"), str(folder))
    recorded = manifest.get("chunks", {})
    for k, path in found.items():
        problem = chunk_problem(path, recorded.get(chunk_key(k)))
        if problem is None and chunk_key(k) not in recorded:
            try:
                pq.read_metadata(path)
            except (OSError, pa.ArrowException):
                problem = "it is not a readable Parquet file (truncated or empty)"
        if problem:
            raise ConfigError(str(folder), "runs/", path.name,
                              f"{problem}; rerun the sweep's command to recompute it")
    files = [found[k] for k in sorted(found)]
    if not files:
        raise ConfigError("command line", "RESULTS", str(folder),
                          "holds no finished runs yet; run or resume the sweep first")
    dataset = pads.dataset(files, format="parquet")
    if any(f.type == pa.null() for f in dataset.schema):
        # A runner without declared outcome types: unify the chunks' inferred types.
        schema = pa.unify_schemas([pads.dataset(f, format="parquet").schema for f in files],
                                  promote_options="permissive")
        dataset = pads.dataset(files, format="parquet", schema=schema)
    return Results(folder, manifest, dataset)


def markdown_table(table: pd.DataFrame, digits: int = 3) -> str:
    """A data frame as a Markdown table, numbers rounded to ``digits``."""
    def cell(v) -> str:
        return f"{v:.{digits}f}" if isinstance(v, float) else str(v)

    head = "| " + " | ".join(map(str, table.columns)) + " |"
    rule = "|" + "---|" * len(table.columns)
    body = ["| " + " | ".join(cell(v) for v in row) + " |"
            for row in table.itertuples(index=False)]
    return "\n".join([head, rule, *body])


def output_folder(out: str | Path | None, default: Path, field: str = "--out") -> Path:
    """The folder analysis files go to, created and probed before any work: a file, a path
    that cannot be created or a read-only folder is a :class:`ConfigError`."""
    out = Path(out) if out is not None else default
    if out.exists() and not out.is_dir():
        raise ConfigError("command line", field, str(out), "exists and is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".omnibalance-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ConfigError("command line", field, str(out),
                          f"cannot write there ({exc.strerror or exc})") from None
    return out
