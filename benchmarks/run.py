"""Benchmark: parse, validate, reason, every view, the site and export at N times the shipped graph, and the
whole ``iotkg build`` command.

For each size (``benchmarks/generate.py``; role categories per copy unless ``--categories shared``) it prints
the median seconds of each stage run in-process, the wall time of the whole ``iotkg build`` command (a fresh
process: imports, every stage, the site, every file written) and its peak memory, and, side by side, the naive
path: owlrl's OWL-RL closure of the whole graph, both as ``DeductiveClosure(OWLRL_Semantics).expand`` with
owlrl's defaults and as its full closure (``axiomatic_triples=True, datatype_axioms=True``), with the build's
ratio to each. Each size runs in its own process under an address-space cap, so an oversized run fails cleanly
and names the stage. Last, the cost of a repeated ``iotkg query``/``iotkg roles`` on unchanged data against
``python -c "import rdflib"``.

    python benchmarks/run.py                 # 1x and 10x, naive path at both
    python benchmarks/run.py --times 1 10 100 --naive-up-to 10
    python benchmarks/run.py --times 1 10 --categories shared
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


def measure_size(times: int, repeat: int, build_repeat: int, naive: bool, categories: str) -> dict:
    """All stage timings for one size (runs inside a child process); the build command runs ``build_repeat``
    times."""
    import owlrl
    from generate import generate
    from rdflib import Graph

    from iotkg import export, site, views
    from iotkg.pipeline.load import load
    from iotkg.pipeline.reason import reason
    from iotkg.pipeline.validate import validate
    from iotkg.store import from_reasoned

    figures: dict = {"times": times}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "instances"
        generate(ROOT / "instances", folder, times, categories)
        os.environ["IOTKG_CACHE_DIR"] = str(Path(tmp) / "cache")
        stage("build command")
        figures["build_runs"], figures["build_peak_mb"] = build_command(folder, Path(tmp) / "dist", build_repeat)
        figures["build"] = statistics.median(figures["build_runs"])
        stage("parse")
        figures["parse"], sources = timed(lambda: load(folder), repeat)
        stage("validate")
        figures["validate"], _ = timed(lambda: validate(sources), repeat)
        stage("reason")
        figures["reason"], reasoned = timed(lambda: reason(sources), repeat)
        figures["triples"] = len(reasoned.asserted_triples)
        figures["inferred"] = len(reasoned.inferred_triples)
        stage("views")
        store_seconds, graph = timed(lambda: from_reasoned(reasoned, folder, cache=False), repeat)  # as the build
        view_times, results = {}, {}
        for view in views.list_views():
            view_times[view.name], results[view.name] = timed(lambda view=view: views.run_view(view, graph), repeat)
        figures["views"] = store_seconds + sum(view_times.values())
        figures["views_each"] = view_times
        stage("site")
        figures["site"], _ = timed(lambda: site.write_site(graph, Path(tmp) / "site", results=results), repeat)
        stage("export")
        out = Path(tmp) / "out"
        figures["export"], _ = timed(lambda: export.export(reasoned, out, sources), repeat)
        if naive:

            def owlrl_closure(**options: bool) -> int:
                graph = Graph()
                graph += sources.asserted  # (the rdflib graph of the inputs, made for owlrl alone)
                owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, **options).expand(graph)
                return len(graph)

            stage("naive (owlrl defaults)")
            figures["naive"], _ = timed(owlrl_closure, 1 if times > 1 else repeat)
            stage("naive (owlrl full closure)")
            figures["naive_full"], _ = timed(
                lambda: owlrl_closure(axiomatic_triples=True, datatype_axioms=True), 1 if times > 1 else repeat
            )
    figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def stage(name: str) -> None:
    """Say which stage runs (on stderr), so that a failed run names it."""
    print(f"stage: {name}", file=sys.stderr, flush=True)


def build_command(instances: Path, out: Path, repeat: int) -> tuple[list[float], float]:
    """The wall time of each run of ``iotkg build`` in a fresh process, and the largest peak memory (MB) of those
    runs."""
    iotkg = str(Path(sys.executable).with_name("iotkg"))
    samples, peak = [], 0.0
    for run in range(repeat):
        target = out / str(run)
        started = time.perf_counter()
        result = subprocess.run(
            [iotkg, "build", "--instances", str(instances), "--out", str(target)], capture_output=True, text=True
        )
        samples.append(time.perf_counter() - started)
        if result.returncode != 0:
            raise RuntimeError(f"iotkg build failed: {result.stderr.strip()[-500:]}")
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    return samples, peak


def child(times: int, repeat: int, build_repeat: int, naive: bool, memory_gb: float, categories: str) -> dict:
    """Run ``measure_size`` in a fresh process under an address-space cap."""
    flag = "1" if naive else "0"
    arguments = [times, repeat, build_repeat, flag, memory_gb, categories]
    command = [sys.executable, __file__, "--child", *map(str, arguments)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()] or ["failed"]
        stages = [line for line in lines if line.startswith("stage: ")]
        failed_in = stages[-1].removeprefix("stage: ") if stages else "start"
        return {"times": times, "error": f"in stage '{failed_in}': " + " | ".join(lines[-4:])}
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
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of the build command and of each stage (median); stages: 1 at 100x"
    )
    parser.add_argument("--naive-up-to", type=int, default=10, help="largest size to run the naive closure at")
    parser.add_argument("--memory-gb", type=float, default=16.0, help="address-space cap per size")
    parser.add_argument("--categories", choices=("per-copy", "shared"), default="per-copy", help="see generate.py")
    parser.add_argument("--child", nargs=6, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        times, repeat, build_repeat, naive, memory_gb, categories = args.child
        cap = int(float(memory_gb) * 1024**3)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        print(json.dumps(measure_size(int(times), int(repeat), int(build_repeat), naive == "1", categories)))
        return

    print(f"role categories: {args.categories}; {os.cpu_count()} CPUs")
    print(
        f"{'size':>5} {'triples':>8} {'inferred':>9} {'parse':>6} {'valid.':>6} {'reason':>6} {'views':>6}"
        f" {'site':>6} {'export':>6} {'build':>7} {'MB':>6} {'naive':>8} {'ratio':>6} {'full':>8} {'ratio':>6}"
    )
    runs = []
    for times in args.times:
        repeat = 1 if times >= 100 else args.repeat
        figures = child(times, repeat, args.repeat, times <= args.naive_up_to, args.memory_gb, args.categories)
        if "error" in figures:
            print(f"{times:>4}x  failed {figures['error']}")
            continue
        columns = []
        for key in ("naive", "naive_full"):
            seconds = figures.get(key)
            columns.append(f"{seconds:>8.2f} {figures['build'] / seconds:>6.1%}" if seconds else f"{'-':>8} {'-':>6}")
        print(
            f"{times:>4}x {figures['triples']:>8} {figures['inferred']:>9} {figures['parse']:>6.2f}"
            f" {figures['validate']:>6.2f} {figures['reason']:>6.2f} {figures['views']:>6.2f} {figures['site']:>6.2f}"
            f" {figures['export']:>6.2f} {figures['build']:>7.2f} {figures['build_peak_mb']:>6.0f} {' '.join(columns)}"
        )
        runs.append(f"{times}x: " + ", ".join(f"{seconds:.2f}" for seconds in figures["build_runs"]))
    print()
    print("build runs, seconds: " + "; ".join(runs))
    print("seconds, medians. Stages run in-process; build = the whole 'iotkg build' command in a fresh process (all")
    print("stages, the site and every file), MB = its peak memory; naive = owlrl's closure of the whole graph with its")
    print("defaults, full = owlrl's full closure (axiomatic triples and datatype axioms); ratio = build / naive.")
    print()
    for label, seconds in repeated_commands(max(args.repeat, 5)):
        print(f"{seconds:7.3f} s  {label}")


if __name__ == "__main__":
    main()
