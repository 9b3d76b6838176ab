"""The pattern x rule table as text, CSV and Markdown, and a figure with error bars."""

from __future__ import annotations

import csv
import math
from pathlib import Path

from . import patterns
from .patterns import PATTERN_6, Result

MARK = {"pass": "PASS", "fail": "FAIL", "undecided": "undecided"}


def _num(x: float) -> str:
    if math.isinf(x):
        return "inf"
    if math.isnan(x):
        return "n/a"
    return f"{x:.2f}" if abs(x) < 100 else f"{x:.0f}"


def cell(r: Result) -> str:
    iv = r.interval
    return f"{_num(iv.estimate)} [{_num(iv.low)}, {_num(iv.high)}] {r.count} {MARK[r.verdict]}"


def pattern6(results: dict[str, list[Result]]) -> dict[str, str]:
    """Pattern 6 per rule: which of 1-5 fail; overall verdict in the omnibalance column."""
    out = {}
    alt_ok = True
    for rule, res in results.items():
        fails = patterns.failing_patterns(res)
        if rule == "omnibalance":
            continue
        out[rule] = ("fails " + ", ".join(map(str, fails)) + " PASS") if fails else \
            "fails none FAIL"
        alt_ok &= bool(fails)
    if "omnibalance" in results:
        out["omnibalance"] = ("every alternative fails a pattern PASS" if alt_ok
                              else "some alternative reproduces 1-5 FAIL")
    return out


def rows(results: dict[str, list[Result]]) -> list[dict]:
    """Long-format rows: one per criterion and rule."""
    out = []
    for rule, res in results.items():
        for r in res:
            c, iv = r.criterion, r.interval
            out.append(dict(criterion=c.id, pattern=c.pattern, rule=rule, estimate=iv.estimate,
                            low=iv.low, high=iv.high, count=r.count, n=r.n, op=c.op,
                            threshold=c.threshold, interval=c.interval_method,
                            verdict=r.verdict, statement=c.statement))
    return out


def text_table(results: dict[str, list[Result]]) -> str:
    rules = list(results)
    head = ["", "criterion", *rules]
    body = []
    by_rule = {rule: {r.criterion.id: r for r in res} for rule, res in results.items()}
    for c in patterns.CRITERIA:
        body.append([c.id, f"{c.op} {c.threshold:g}",
                     *[cell(by_rule[rule][c.id]) for rule in rules]])
        if c.pattern == 5 and c.id == "5b":
            p6 = pattern6(results)
            body.append(["6", "alt. fail", *[p6.get(rule, "") for rule in rules]])
    widths = [max(len(str(x[j])) for x in [head, *body]) for j in range(len(head))]
    lines = ["  ".join(str(v).ljust(w) for v, w in zip(x, widths, strict=True))
             for x in [head, *body]]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def markdown_table(results: dict[str, list[Result]]) -> str:
    rules = list(results)
    by_rule = {rule: {r.criterion.id: r for r in res} for rule, res in results.items()}
    out = ["| pattern | criterion | " + " | ".join(f"`{r}`" for r in rules) + " |",
           "|---|---|" + "---|" * len(rules)]
    for c in patterns.CRITERIA:
        cells = []
        for rule in rules:
            r = by_rule[rule][c.id]
            iv = r.interval
            cells.append(f"{_num(iv.estimate)} [{_num(iv.low)}, {_num(iv.high)}]<br>{r.count}"
                         f"<br>**{MARK[r.verdict]}**")
        out.append(f"| {c.id} | {c.statement} ({c.op} {c.threshold:g}) | " + " | ".join(cells)
                   + " |")
        if c.id == "5b":
            p6 = pattern6(results)
            out.append(f"| 6 | {PATTERN_6[1]} | "
                       + " | ".join(f"**{p6.get(rule, '')}**" for rule in rules) + " |")
    return "\n".join(out)


def criteria_markdown() -> str:
    out = ["| id | how measured | interval | reason for the threshold |", "|---|---|---|---|"]
    for c in patterns.CRITERIA:
        out.append(f"| {c.id} | {c.measure} ({c.op} {c.threshold:g}) | {c.interval_method} | "
                   f"{c.reason} |")
    out.append(f"| 6 | {PATTERN_6[2]} | (derived) | {PATTERN_6[3]} |")
    return "\n".join(out)


def write(results: dict[str, list[Result]], folder: Path, *, replications: int,
          seed: int) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"csv": folder / "validation.csv", "markdown": folder / "validation.md",
             "figure": folder / "validation.png"}
    data = rows(results)
    with paths["csv"].open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(data[0]))
        w.writeheader()
        w.writerows(data)
    paths["markdown"].write_text(
        f"# Pattern x rule ({replications} replications per case and rule, seed {seed})\n\n"
        "Each cell: estimate [95% interval], the counts it rests on, and the verdict "
        "(PASS: the whole interval meets the criterion; FAIL: the whole interval misses it).\n\n"
        + markdown_table(results) + "\n\n## Criteria\n\n" + criteria_markdown() + "\n")
    figure(results, paths["figure"], replications=replications, seed=seed)
    return paths


def figure(results: dict[str, list[Result]], path: Path, *, replications: int,
           seed: int) -> None:
    import matplotlib.pyplot as plt

    rules = list(results)
    crit = patterns.CRITERIA
    ncol = 4
    nrow = math.ceil(len(crit) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.2 * ncol, 2.6 * nrow))
    colours = {"pass": "tab:green", "fail": "tab:red", "undecided": "tab:orange"}
    by_rule = {rule: {r.criterion.id: r for r in res} for rule, res in results.items()}
    for ax, c in zip(axes.flat, crit, strict=False):
        cap = 10.0 if c.kind == "ratio" else None
        for j, rule in enumerate(rules):
            r = by_rule[rule][c.id]
            est, lo, hi = (min(v, cap) if cap and not math.isnan(v) else v
                           for v in r.interval)
            if math.isnan(est):
                ax.plot(j, 0, "x", color="grey")
                continue
            ax.errorbar(j, est, yerr=[[max(0, est - lo)], [max(0, hi - est)]], fmt="o",
                        color=colours[r.verdict], capsize=3)
        ax.axhline(c.threshold, ls="--", color="k", lw=0.8)
        ax.set_xticks(range(len(rules)))
        ax.set_xticklabels([r.replace("balance_of_", "bo_") for r in rules], rotation=30,
                           fontsize=7)
        ax.set_title(f"{c.id}: {c.statement[:38]}{'...' if len(c.statement) > 38 else ''}",
                     fontsize=7)
        if c.kind == "ratio":
            ax.set_ylabel("ratio (capped at 10)", fontsize=7)
    for ax in list(axes.flat)[len(crit):]:
        ax.axis("off")
    fig.suptitle(f"Patterns x rules: estimate and 95% interval ({replications} replications, "
                 f"seed {seed}); dashed line: threshold; green pass, red fail, orange undecided",
                 fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
