"""Benchmark (run by hand): how long `minerals` takes to start, against bare Python in the same run.

    .venv/bin/python bench/bench_cli.py [--runs N] [--json]

Runs, in turn N times so that all see the same machine load: `python -c pass`; `minerals --help`;
a minimal process that imports `mrt` and reads + checks a sample CMRT (`mrt.check(mrt.read(FILE))`);
and `minerals check FILE --json` on the same file (written by `minerals samples`' code into a
temporary folder), each under GNU time (/usr/bin/time). Prints min/median/max wall seconds, CPU
seconds and peak memory of each, and the ratios the targets are stated in: `--help` at most 0.25 s,
`check` at most 2x the minimal process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HELP_TARGET_S = 0.25
CHECK_TARGET_RATIO = 2.0
GNU_TIME = "/usr/bin/time"
MINIMAL_CHECK = "import sys, mrt; mrt.check(mrt.read(sys.argv[1]))"


def timed(argv: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MiB) of one run of `argv`.

    GNU time runs it, so the peak is the command's own, not that of this process forked before exec.
    """
    with tempfile.NamedTemporaryFile("r") as usage:
        start = time.perf_counter()
        done = subprocess.run(
            [GNU_TIME, "-f", "%U %S %M", "-o", usage.name, *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        wall = time.perf_counter() - start
        user, system, peak_kib = usage.read().split()[-3:]
    if done.returncode not in (0, 1):  # check exits 1 for an incomplete file; anything else is broken
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}")
    return wall, float(user) + float(system), int(peak_kib) / 1024


def spread(values: list[float]) -> dict[str, float]:
    """min, median and max."""
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def measure(commands: dict[str, list[str]], runs: int) -> dict[str, dict[str, dict[str, float]]]:
    """Each command's wall, CPU and memory spread over `runs` alternating runs."""
    samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            samples[name].append(timed(argv))
    return {
        name: {kind: spread([run[i] for run in found]) for i, kind in enumerate(("wall", "cpu", "rss_mib"))}
        for name, found in samples.items()
    }


def main() -> None:
    """Measure and print the figures and the ratios against the targets."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from cli.sample_files import write_samples

    minerals = str(Path(sys.executable).with_name("minerals"))
    with tempfile.TemporaryDirectory() as folder:
        sample = next(
            s.file for s in write_samples(Path(folder)) if s.template == "CMRT" and s.kind == "complete"
        )
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "minerals --help": [minerals, "--help"],
            "import mrt, read + check": [sys.executable, "-c", MINIMAL_CHECK, str(sample)],
            "minerals check FILE --json": [minerals, "check", str(sample), "--json"],
        }
        load_before = os.getloadavg()
        figures = measure(commands, args.runs)
        load_after = os.getloadavg()
    wall = {name: f["wall"] for name, f in figures.items()}
    ratios = {
        "help / pass (median)": wall["minerals --help"]["median"] / wall["python -c pass"]["median"],
        "check / minimal check (min)": wall["minerals check FILE --json"]["min"]
        / wall["import mrt, read + check"]["min"],
        "check / minimal check (median)": wall["minerals check FILE --json"]["median"]
        / wall["import mrt, read + check"]["median"],
    }
    verdict = {
        f"--help median <= {HELP_TARGET_S} s": wall["minerals --help"]["median"] <= HELP_TARGET_S,
        f"check median <= {CHECK_TARGET_RATIO}x minimal": ratios["check / minimal check (median)"]
        <= CHECK_TARGET_RATIO,
    }
    report = {
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="minutes"),
        "runs": args.runs,
        "load_average_before": load_before,
        "load_average_after": load_after,
        "figures": figures,
        "ratios": ratios,
        "targets_met": verdict,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    load = f"load average {load_before[0]:.2f} -> {load_after[0]:.2f}"
    print(f"{report['at']}, {args.runs} alternating runs each, {load}")
    print(f"{'':30} {'wall s min/median/max':>24} {'CPU s median':>13} {'peak MiB':>9}")
    for name, f in figures.items():
        w = f["wall"]
        print(
            f"{name:30} {w['min']:7.3f} {w['median']:7.3f} {w['max']:7.3f}"
            f" {f['cpu']['median']:13.3f} {f['rss_mib']['median']:9.1f}"
        )
    for name, value in ratios.items():
        print(f"{name:32} {value:.2f}x")
    for name, met in verdict.items():
        print(f"{name:32} {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
