"""Benchmark (run by hand): read + check of each real filled CMRT against two baselines, same run.

    .venv/bin/python bench/bench_check.py [--repeat N] [--passes P] [--rounds R] [FOLDER]

For every `filled-*.xlsx` in FOLDER (default ../shared/realworld) it times, alternately so that all
three see the same machine load: `mrt.read` (cheap checks in the parent, gate + parse in the warm
isolation pool) followed by `mrt.check`; `openpyxl.load_workbook(path)`; and python-calamine opening
the file and loading the same sheets the reader loads (found by one in-process read). It prints
min/median/max of each per file, the ratios of the medians of wall time and of CPU time (this process
plus the parse child, so contention from other work on the machine counts less), and the peak RSS of
the parsing child (a fresh one-process pool per file, so the peak belongs to that file alone). Figures
are cut, never rounded to nearest: speed-ups and rates down, ratios over calamine and CPU ms up.

Bulk: R rounds, each reading and checking every file P times through the default pool (`ParsePool()`,
one submitting thread per child); files per second and CPU milliseconds a file (this process and the
pool's children), min/median/max over the rounds. On a shared machine the rate follows the load;
the CPU a file costs hardly does.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import openpyxl
import python_calamine

import mrt
from mrt.isolation import ParsePool
from mrt.reader import read_book
from mrt.workbook import open_book

DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "shared" / "realworld"


def _cpu_ns(pids: Sequence[int]) -> int:
    """CPU time this process and the given children have used so far (schedstat: nanoseconds)."""
    own = time.process_time_ns()
    return own + sum(int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) for pid in pids)


def _seconds(action: Callable[[], object], pids: Sequence[int]) -> tuple[float, float]:
    cpu, start = _cpu_ns(pids), time.perf_counter()
    action()
    return time.perf_counter() - start, (_cpu_ns(pids) - cpu) / 1e9


def alternating(
    actions: Sequence[Callable[[], object]], repeat: int, pids: Sequence[int] = ()
) -> list[list[tuple[float, float]]]:
    """(wall, CPU) seconds of each action, run in turn `repeat` times so that all see the same load;
    CPU time counts this process and `pids` (the parse child), so it is what the work cost."""
    runs = [[_seconds(a, pids) for a in actions] for _ in range(repeat)]
    return [[run[i] for run in runs] for i in range(len(actions))]


def read_and_check(path: Path, pool: ParsePool) -> list[mrt.Issue]:
    """What an upload costs: cheap checks, gate + parse in the warm pool, check."""
    return mrt.check(mrt.read(path, pool=pool))


def sheets_read(path: Path) -> list[str]:
    """The sheets the reader loads from this file (one in-process read, before any cache is warm)."""
    book = open_book(path)
    read_book(book)
    return [name for name, sheet in book._sheets.items() if sheet is not None]


def calamine_load(path: Path, sheets: list[str]) -> None:
    """The baseline parse: open the workbook and load those sheets into Python values."""
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in sheets:
        wb.get_sheet_by_name(name).to_python(skip_empty_area=True)


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


def bulk_rates(files: list[Path], passes: int, rounds: int) -> tuple[list[float], list[float], int]:
    """Files per second of each round through the default pool, CPU ms per file (this process and the
    pool's children: what a file costs whatever else the machine runs), and the pool's size."""
    before = _children()
    pool = ParsePool()
    pool.warm()
    children = sorted(_children() - before)
    work = [path for _ in range(passes) for path in files]
    rates, cpu_ms = [], []
    try:
        with ThreadPoolExecutor(pool.size) as threads:
            for _ in range(rounds):
                cpu, start = _cpu_ns(children), time.perf_counter()
                list(threads.map(partial(read_and_check, pool=pool), work))
                rates.append(len(work) / (time.perf_counter() - start))
                cpu_ms.append((_cpu_ns(children) - cpu) / 1e6 / len(work))
    finally:
        pool.close()
    return rates, cpu_ms, pool.size


def _cut(value: float, digits: int, up: bool = False) -> str:
    """`value` to `digits` decimals, cut toward the less flattering side: down for speed-ups and rates,
    up (`up`) for times over a baseline and CPU a file; never rounded to nearest."""
    scale = 10**digits
    cut = (math.ceil if up else math.floor)(value * scale) / scale
    return f"{cut:.{digits}f}"


def _spread(values: Sequence[float], digits: int = 1, up: bool = False) -> str:
    picks = (min(values), statistics.median(values), max(values))
    return "/".join(_cut(v, digits, up) for v in picks)


def main() -> None:
    """Measure every filled file and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--passes", type=int, default=5, help="passes over all files per bulk round")
    parser.add_argument("--rounds", type=int, default=5, help="bulk rounds")
    parser.add_argument("--bulk-only", action="store_true", help="measure the bulk throughput alone")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", module="openpyxl")  # unsupported extensions, once per file
    files = sorted(args.folder.glob("filled-*.xlsx"))
    if not files:
        raise SystemExit(f"no filled-*.xlsx in {args.folder}")
    print(_conditions("start"))
    if not args.bulk_only:
        per_file(files, args.repeat)
    rates, cpu_ms, size = bulk_rates(files, args.passes, args.rounds)
    print(
        f"bulk: {args.rounds} rounds of {args.passes} passes over {len(files)} files, default pool of "
        f"{size}: {_spread(rates)} files/s, {_spread(cpu_ms, 0, up=True)} CPU ms a file (min/median/max)"
    )
    print(_conditions("end"))


def _conditions(when: str) -> str:
    """The date and the machine's load average (1, 5, 15 minutes), for the README's conditions."""
    load = "/".join(f"{v:.2f}" for v in os.getloadavg())
    return f"{when}: {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}, load average {load}"


def per_file(files: list[Path], repeat: int) -> None:
    """Time every file against both baselines and print the table and the ratios."""
    sheets = {path: sheets_read(path) for path in files}
    before = _children()
    pool = ParsePool(size=1)
    pool.warm()
    child = sorted(_children() - before)
    print(f"times in ms, min/median/max of {repeat} alternating runs; CPU: median, parse child included")
    header = (
        f"{'file':<44} {'openpyxl':>16} {'calamine':>15} {'read+check':>15} "
        f"{'×openpyxl':>9} {'÷calamine':>9} {'CPU ×opx':>8} {'CPU ÷cal':>8} {'peak MiB':>8}"
    )
    print(header)
    print("-" * len(header))
    wall: dict[str, list[float]] = {"speed-up": [], "over": []}
    cpu: dict[str, list[float]] = {"speed-up": [], "over": []}
    for path in files:
        ours, opx, cal = alternating(
            [
                partial(read_and_check, path, pool),
                partial(openpyxl.load_workbook, path),
                partial(calamine_load, path, sheets[path]),
            ],
            repeat,
            child,
        )
        for kind, out in ((0, wall), (1, cpu)):
            o, x, c = (statistics.median(t[kind] for t in ts) for ts in (ours, opx, cal))
            out["speed-up"].append(x / o)
            out["over"].append(o / c)
        ms = [[t[0] * 1000 for t in ts] for ts in (opx, cal, ours)]
        print(
            f"{path.name:<44} {_spread(ms[0], 0):>16} {_spread(ms[1], 0):>15} {_spread(ms[2], 0):>15} "
            f"{_cut(wall['speed-up'][-1], 1):>8}x {_cut(wall['over'][-1], 2, up=True):>8}x "
            f"{_cut(cpu['speed-up'][-1], 1):>7}x {_cut(cpu['over'][-1], 2, up=True):>7}x "
            f"{_cut(child_peak_mib(path), 0, up=True):>8}"
        )
    pool.close()
    print(f"sheets loaded: {', '.join(sheets[files[0]])}")
    for label, out in (("wall", wall), ("CPU", cpu)):
        print(
            f"{label}: speed-up over openpyxl {_spread(out['speed-up'])}x; "
            f"read+check / calamine {_spread(out['over'], 2, up=True)}x (min/median/max, {len(files)} files)"
        )


if __name__ == "__main__":
    main()
