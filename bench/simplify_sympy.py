#!/usr/bin/env python3
"""Time lies' simplifier against sympy.simplify on the formulas of trained networks.

The script generates a table for each of a few physics laws (no noise), fits it with
`lies fit --save`, and for each saved graph
  - runs the lies benchmark binary, which times simplify::simplify() on the formula the
    network computes. The formula is read off the network before timing, and Google Benchmark
    reports the mean wall time per run;
  - takes the same unsimplified formula from `lies-simplify --raw --format sympy`, parses it
    with SymPy (inputs as positive symbols, as lies knows them positive from the saved input
    ranges) and times the parse and sympy.simplify once each.
It prints a Markdown table with both times and their ratio.

Usage:
  bench/simplify_sympy.py [--build build] [--rows 1000] [--seed 0] [--keep DIR]
                          [--timeout 600]

Needs SymPy (Debian: python3-sympy; run with /usr/bin/python3) and a build with the
benchmarks (LIES_BUILD_BENCH=ON, the default).
"""

import argparse
import csv
import json
import math
import os
import platform
import random
import signal
import subprocess
import sys
import tempfile
import time

try:
    import sympy
except ImportError:
    sys.exit("simplify_sympy.py: SymPy is missing; install python3-sympy "
             "(and run this script with /usr/bin/python3)")

# name, input names and ranges, target name, law
LAWS = [
    ("power_law", [("x1", 1, 5), ("x2", 1, 5)], "y", lambda x1, x2: 2.5 * x1**2 / x2),
    ("coulomb", [("q1", 1, 5), ("q2", 1, 5), ("r", 1, 5)], "F",
     lambda q1, q2, r: q1 * q2 / (4 * math.pi * r**2)),
    ("kinetic_energy", [("m", 1, 5), ("v", 1, 5)], "E", lambda m, v: 0.5 * m * v**2),
    ("gravity", [("m1", 1, 5), ("m2", 1, 5), ("r", 1, 5)], "F",
     lambda m1, m2, r: 6.674 * m1 * m2 / r**2),
    ("pendulum", [("L", 1, 5), ("g", 1, 5)], "T", lambda L, g: 2 * math.pi * math.sqrt(L / g)),
    ("kepler", [("a", 0.3, 40), ("M", 0.5, 3)], "T", lambda a, M: a**1.5 / math.sqrt(M)),
    ("potential_energy", [("m", 1, 5), ("g", 1, 5), ("h", 1, 5)], "U",
     lambda m, g, h: m * g * h),
    ("four_inputs", [("x1", 1, 5), ("x2", 1, 5), ("x3", 1, 5), ("x4", 1, 5)], "y",
     lambda x1, x2, x3, x4: x1 * x2 * x3 / x4),
]


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout()


def write_table(path, inputs, target, law, rows, rng):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([name for name, _, _ in inputs] + [target])
        for _ in range(rows):
            values = [rng.uniform(low, high) for _, low, high in inputs]
            writer.writerow([repr(v) for v in values] + [repr(law(*values))])


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"simplify_sympy.py: {' '.join(command)} failed:\n{result.stderr}")
    return result.stdout


def time_sympy(text, names, timeout):
    symbols = {name: sympy.Symbol(name, positive=True) for name in names}
    namespace = {"exp": sympy.exp, "log": sympy.log, "sin": sympy.sin, "cos": sympy.cos,
                 "sqrt": sympy.sqrt, "Max": sympy.Max, "Min": sympy.Min, "pi": sympy.pi,
                 "E": sympy.E}
    namespace.update(symbols)
    start = time.perf_counter()
    expression = sympy.sympify(text, locals=namespace)
    parse = time.perf_counter() - start
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(timeout)
    try:
        start = time.perf_counter()
        simplified = sympy.simplify(expression)
        seconds = time.perf_counter() - start
    except Timeout:
        return parse, None, None
    finally:
        signal.alarm(0)
    return parse, seconds, simplified


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default="build", help="the build directory")
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0, help="seed of data and fits")
    parser.add_argument("--keep", help="write tables and saved graphs here instead of a "
                        "temporary directory")
    parser.add_argument("--timeout", type=int, default=600,
                        help="seconds allowed for one sympy.simplify")
    args = parser.parse_args()

    lies = os.path.join(args.build, "lies")
    lies_simplify = os.path.join(args.build, "lies-simplify")
    bench = os.path.join(args.build, "bench", "lies_simplify_bench")
    for tool in (lies, lies_simplify, bench):
        if not os.access(tool, os.X_OK):
            sys.exit(f"simplify_sympy.py: {tool}: not an executable; build lies first")

    directory = args.keep or tempfile.mkdtemp(prefix="lies-simplify-bench-")
    os.makedirs(directory, exist_ok=True)
    graphs = []
    for name, inputs, target, law in LAWS:
        rng = random.Random(f"{args.seed}:{name}")
        table = os.path.join(directory, name + ".csv")
        graph = os.path.join(directory, name + ".json")
        write_table(table, inputs, target, law, args.rows, rng)
        fitted = run([lies, "fit", table, "--seed", str(args.seed), "--save", graph, "--json"])
        graphs.append((name, [n for n, _, _ in inputs], graph, json.loads(fitted)["formula"]))

    report = json.loads(run([bench, "--benchmark_format=json"] + [g for _, _, g, _ in graphs]))
    lies_times = {b["name"].split("/")[0]: (b["real_time"], b["time_unit"], b["nodes"],
                                            b["complexity"])
                  for b in report["benchmarks"] if b["name"].endswith("/simplify")}

    print(f"machine: {cpu_model()}, {os.cpu_count()} cores; "
          f"SymPy {sympy.__version__}; Python {platform.python_version()}")
    print(f"graphs in {directory}\n")
    print("| law | network nodes | lies simplify (µs) | SymPy parse (ms) | "
          "sympy.simplify (ms) | ratio simplify | ratio parse + simplify | lies-simplify | "
          "sympy.simplify |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, names, graph, fitted in graphs:
        time_value, unit, nodes, _ = lies_times[name]
        assert unit == "us", unit
        raw = run([lies_simplify, graph, "--raw", "--format", "sympy"]).split(" = ", 1)[1].strip()
        ours = run([lies_simplify, graph]).split(" = ", 1)[1].strip()
        parse, seconds, simplified = time_sympy(raw, names, args.timeout)
        if seconds is None:
            sympy_ms = f"> {args.timeout * 1000}"
            ratio = f"> {args.timeout * 1e6 / time_value:.0f}"
            both = f"> {(args.timeout + parse) * 1e6 / time_value:.0f}"
            theirs = "(timed out)"
        else:
            sympy_ms = f"{seconds * 1000:.1f}"
            ratio = f"{seconds * 1e6 / time_value:.0f}"
            both = f"{(seconds + parse) * 1e6 / time_value:.0f}"
            theirs = str(simplified)
        print(f"| {name} | {nodes:.0f} | {time_value:.0f} | {parse * 1000:.1f} | {sympy_ms} | "
              f"{ratio} | {both} | `{ours}` | `{theirs}` |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
