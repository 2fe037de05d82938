"""Benchmark (run by hand): read + check of each real filled CMRT vs openpyxl.load_workbook, same run.

    .venv/bin/python bench/bench_check.py [--repeat N] [FOLDER]

For every `filled-*.xlsx` in FOLDER (default ../shared/realworld) it prints the median time of
`mrt.read` (gate + parse in the warm isolation pool) followed by `mrt.check`, the median time of
`openpyxl.load_workbook(path)` on the same file (the two alternate, so both see the same load),
their ratio, and the peak RSS of the parsing child (a fresh one-process pool per file, so the peak
belongs to that file alone).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import openpyxl

import mrt
from mrt.isolation import ParsePool

DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "shared" / "realworld"


def _seconds(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def paired_medians(
    ours: Callable[[], object], baseline: Callable[[], object], repeat: int
) -> tuple[float, float]:
    """Median wall times of both actions, run alternately so that both see the same machine load."""
    pairs = [(_seconds(ours), _seconds(baseline)) for _ in range(repeat)]
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def read_and_check(path: Path, pool: ParsePool) -> list[mrt.Issue]:
    """What an upload costs: gate, parse in the warm pool, check."""
    return mrt.check(mrt.read(path, pool=pool))


def _children() -> set[int]:
    me = str(os.getpid())
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if stat.rsplit(")", 1)[1].split()[1] == me:
                found.add(int(entry.name))
    return found


def _peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child_peak_mib(path: Path) -> float:
    """Peak RSS of a fresh parse child that read this one file."""
    before = _children()
    pool = ParsePool(size=1)
    try:
        pool.warm()
        [child] = _children() - before
        mrt.read(path, pool=pool)
        return _peak_rss_mib(child)
    finally:
        pool.close()


def main() -> None:
    """Measure every filled file and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = sorted(args.folder.glob("filled-*.xlsx"))
    if not files:
        raise SystemExit(f"no filled-*.xlsx in {args.folder}")
    pool = ParsePool(size=1)
    pool.warm()
    header = f"{'file':<46} {'openpyxl ms':>11} {'read+check ms':>13} {'speed-up':>8} {'child peak MiB':>14}"
    print(header)
    print("-" * len(header))
    ratios = []
    for path in files:
        ours, baseline = paired_medians(
            partial(read_and_check, path, pool), partial(openpyxl.load_workbook, path), args.repeat
        )
        ratios.append(baseline / ours)
        peak = child_peak_mib(path)
        times = f"{baseline * 1000:>11.0f} {ours * 1000:>13.1f} {baseline / ours:>7.1f}x"
        print(f"{path.name:<46} {times} {peak:>14.0f}")
    pool.close()
    speed_up = statistics.median(ratios)
    print(f"median speed-up {speed_up:.1f}x over {len(files)} files, {args.repeat} runs each")


if __name__ == "__main__":
    main()
