"""Benchmark: parse, validate, reason, every view and export at N times the shipped graph.

Prints medians of several runs per stage, the naive path (owlrl's full OWL-RL closure of the whole graph) side
by side with the ratio to it, the peak memory of each size (each size runs in its own process, under a memory
cap so that an oversized run fails cleanly), and the cost of a repeated ``iotkg query``/``iotkg roles`` on
unchanged data against ``python -c "import rdflib"``.

    python benchmarks/run.py                 # 1x and 10x, naive path at both
    python benchmarks/run.py --times 1 10 100 --naive-up-to 10
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def timed(function, repeat: int) -> tuple[float, object]:
    """Median wall time of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def measure_size(times: int, repeat: int, naive: bool) -> dict:
    """All stage timings for one size (runs inside a child process)."""
    import owlrl
    from generate import generate
    from rdflib import Graph

    from iotkg import export, views
    from iotkg.reason import reason
    from iotkg.sources import load
    from iotkg.store import from_reasoned
    from iotkg.validate import validate

    figures: dict = {"times": times}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "instances"
        generate(ROOT / "instances", folder, times)
        print(f"{times}x: parse", file=sys.stderr, flush=True)
        figures["parse"], sources = timed(lambda: load(folder), repeat)
        asserted = sources.asserted
        figures["triples"] = len(asserted)
        print(f"{times}x: validate", file=sys.stderr, flush=True)
        figures["validate"], _ = timed(lambda: validate(sources), repeat)
        print(f"{times}x: reason", file=sys.stderr, flush=True)
        figures["reason"], reasoned = timed(lambda: reason(asserted), repeat)
        figures["inferred"] = len(reasoned.inferred)
        os.environ["IOTKG_CACHE_DIR"] = str(Path(tmp) / "cache")
        store_seconds, graph = timed(lambda: from_reasoned(reasoned, folder), repeat)
        view_times = {}
        for view in views.list_views():
            view_times[view.name], _ = timed(lambda view=view: views.run_view(view, graph), repeat)
        figures["views"] = store_seconds + sum(view_times.values())
        figures["views_each"] = view_times
        out = Path(tmp) / "out"
        figures["export"], _ = timed(lambda: export.export(reasoned, out), repeat)
        figures["build"] = sum(figures[k] for k in ("parse", "validate", "reason", "views", "export"))
        if naive:

            def full_closure() -> int:
                graph = Graph()
                graph += asserted
                owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
                return len(graph)

            figures["naive"], _ = timed(full_closure, 1 if times > 1 else repeat)
    figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def child(times: int, repeat: int, naive: bool, memory_gb: float) -> dict:
    """Run ``measure_size`` in a fresh process under an address-space cap."""
    command = [sys.executable, __file__, "--child", str(times), str(repeat), "1" if naive else "0", str(memory_gb)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()] or ["failed"]
        return {"times": times, "error": " | ".join(lines[-6:])}
    return json.loads(result.stdout.strip().splitlines()[-1])


def command_seconds(args: list[str], repeat: int, env: dict[str, str]) -> float:
    """Median wall time of a command."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(args, capture_output=True, env=env, check=True, cwd=ROOT)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def repeated_commands(repeat: int) -> list[tuple[str, float]]:
    """A repeated query/roles on unchanged data (warm cache) against importing rdflib."""
    iotkg = str(Path(sys.executable).with_name("iotkg"))
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "IOTKG_CACHE_DIR": cache}
        cold = command_seconds([iotkg, "query", "players", "--format", "csv"], 1, env)
        rows = [
            ('python -c "import rdflib"', command_seconds([sys.executable, "-c", "import rdflib"], repeat, env)),
            ("iotkg query players (first run, cold cache)", cold),
            (
                "iotkg query players (repeated)",
                command_seconds([iotkg, "query", "players", "--format", "csv"], repeat, env),
            ),
            ("iotkg roles BRSKI:Pledge (repeated)", command_seconds([iotkg, "roles", "BRSKI:Pledge"], repeat, env)),
        ]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--times", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--repeat", type=int, default=3, help="runs per stage (median); 1 at 100x")
    parser.add_argument("--naive-up-to", type=int, default=10, help="largest size to run the naive closure at")
    parser.add_argument("--memory-gb", type=float, default=16.0, help="address-space cap per size")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        times, repeat, naive, memory_gb = args.child
        cap = int(float(memory_gb) * 1024**3)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        print(json.dumps(measure_size(int(times), int(repeat), naive == "1")))
        return

    print(
        f"{'size':>5} {'triples':>8} {'inferred':>9} {'parse':>7} {'valid.':>7} {'reason':>7} {'views':>7}"
        f" {'export':>7} {'build':>7} {'naive':>8} {'build/naive':>11} {'peak MB':>8}"
    )
    for times in args.times:
        repeat = 1 if times >= 100 else args.repeat
        figures = child(times, repeat, times <= args.naive_up_to, args.memory_gb)
        if "error" in figures:
            print(f"{times:>4}x  failed: {figures['error']}")
            continue
        naive = figures.get("naive")
        ratio = f"{figures['build'] / naive:.1%}" if naive else "-"
        naive_text = f"{naive:.2f}" if naive else "skipped"
        print(
            f"{times:>4}x {figures['triples']:>8} {figures['inferred']:>9} {figures['parse']:>7.2f}"
            f" {figures['validate']:>7.2f} {figures['reason']:>7.2f} {figures['views']:>7.2f} {figures['export']:>7.2f}"
            f" {figures['build']:>7.2f} {naive_text:>8} {ratio:>11} {figures['peak_mb']:>8.0f}"
        )
    print()
    print("seconds, medians; build = parse + validate + reason + views + export; naive = owlrl full closure alone")
    print()
    for label, seconds in repeated_commands(max(args.repeat, 5)):
        print(f"{seconds:7.3f} s  {label}")


if __name__ == "__main__":
    main()
