"""Benchmark smelter matching (run by hand): 10,000 misspelt declared rows against a real look-up list.

    .venv/bin/python bench/bench_match.py [--rows 10000] [--template PATH] [--seed 7]

Rows are generated at run time from the look-up names of a blank RMI template in ../shared/realworld
(typos, swapped words, changed or dropped legal suffixes, case, accents); nothing from it is stored.
Prints CPU time on one core (process time, fair on a busy machine) and top-1 accuracy, next to
baselines measured in the same run: an exact dictionary look-up on folded names (all rows) and
difflib (a sample, extrapolated).
"""

from __future__ import annotations

import argparse
import difflib
import os
import random
import time
from pathlib import Path

from mrt.model import NOT_LISTED, SmelterRow
from mrt.reader import read_file
from risk import Registry, match_row
from risk.normalize import exact_key, name_key

TEMPLATE = Path(__file__).resolve().parents[2] / "shared" / "realworld" / "rmi-cmrt-6.5-blank-en.xlsx"
SUFFIXES = ("Co., Ltd.", "Company Limited", "Ltd", "Inc.", "Corporation", "S.A.", "GmbH", "LLC", "")
ACCENTS = {"a": "á", "e": "é", "o": "ö", "u": "ü", "i": "í", "c": "ç"}


def typo(text: str, rng: random.Random) -> str:
    """One substituted, dropped, doubled or swapped letter."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:-1])
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    if kind == 2:
        return text[:i] + text[i] + text[i:]
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :] if i + 2 <= len(text) else text


def perturb(name: str, rng: random.Random) -> str:
    """A declared spelling of `name` with one to three kinds of damage."""
    words = name.split()
    for change in rng.sample(("typo", "swap", "suffix", "case", "accent"), rng.randint(1, 3)):
        if change == "swap" and len(words) > 2:
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
        elif change == "suffix":
            kept = [w for w in words if name_key(w)] or words
            words = kept + [s for s in [rng.choice(SUFFIXES)] if s]
        elif change == "case":
            words = [w.upper() if rng.random() < 0.5 else w.lower() for w in words]
        elif change == "accent":
            words = ["".join(ACCENTS.get(ch, ch) if rng.random() < 0.3 else ch for ch in w) for w in words]
        elif change == "typo":
            j = rng.randrange(len(words))
            words[j] = typo(words[j], rng)
    return " ".join(words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--template", type=Path, default=TEMPLATE)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--difflib-sample", type=int, default=300)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    registry = Registry.from_lookup(read_file(args.template).lookup)
    rng = random.Random(args.seed)
    names = [
        (f.smelter_id, f.metal, f.country, n)
        for f in registry.facilities.values()
        for n in (f.name, *f.aliases)
    ]
    truth, rows = [], []
    for i in range(args.rows):
        cid, metal, country, name = rng.choice(names)
        truth.append(cid)
        rows.append(SmelterRow(5 + i, metal, NOT_LISTED, perturb(name, rng), country, None))
    print(f"registry: {len(registry)} facilities, {len(names)} names; {len(rows)} declared rows; one core")

    start = time.process_time()
    matches = [match_row(registry, row) for row in rows]
    ours = time.process_time() - start
    auto_ok = sum(1 for m, t in zip(matches, truth, strict=True) if m.matched_id == t and not m.review)
    review_ok = sum(1 for m, t in zip(matches, truth, strict=True) if m.matched_id == t and m.review)
    wrong_auto = sum(
        1 for m, t in zip(matches, truth, strict=True) if m.matched_id not in (None, t) and not m.review
    )
    unmatched = sum(1 for m in matches if m.matched_id is None)

    exact = {
        (f.metal, exact_key(n)): f.smelter_id
        for f in registry.facilities.values()
        for n in (f.name, *f.aliases)
    }
    start = time.process_time()
    exact_hits = [exact.get((row.metal or "", exact_key(row.name or ""))) for row in rows]
    exact_time = time.process_time() - start
    exact_ok = sum(1 for h, t in zip(exact_hits, truth, strict=True) if h == t)

    per_metal: dict[str, dict[str, str]] = {}
    for f in registry.facilities.values():
        for alias in (f.name, *f.aliases):
            per_metal.setdefault(f.metal, {})[alias.lower()] = f.smelter_id
    sample = rows[: args.difflib_sample]
    start = time.process_time()
    diff_hits = []
    for row in sample:
        choices = per_metal.get(row.metal or "", {})
        best = difflib.get_close_matches((row.name or "").lower(), list(choices), n=1, cutoff=0.0)
        diff_hits.append(choices[best[0]] if best else None)
    diff_time = (time.process_time() - start) * len(rows) / len(sample)
    diff_ok = sum(1 for h, t in zip(diff_hits, truth[: len(sample)], strict=True) if h == t)

    n = len(rows)
    print(f"{'method':<38}{'time (s)':>10}{'x ours':>9}{'top-1':>9}")
    for label, seconds, accuracy in (
        ("risk.match_row (id/alias/WRatio)", ours, (auto_ok + review_ok) / n),
        ("exact folded-name dict (baseline)", exact_time, exact_ok / n),
        (f"difflib, {len(sample)}-row sample, scaled", diff_time, diff_ok / len(sample)),
    ):
        print(f"{label:<38}{seconds:>10.3f}{seconds / ours:>9.2f}{accuracy:>9.1%}")
    print(
        f"ours: {auto_ok / n:.1%} right and auto-accepted, {review_ok / n:.1%} right but sent to review, "
        f"{wrong_auto / n:.2%} wrong and auto-accepted, {unmatched / n:.1%} unmatched; "
        f"{ours / n * 1e6:.0f} us per row; target < 2 s: {'met' if ours < 2 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
