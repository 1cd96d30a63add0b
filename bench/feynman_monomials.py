#!/usr/bin/env python3
"""Run `lies fit` on the AI Feynman equations that are a constant times a product of powers.

For each such equation of the table, the script draws ROWS rows uniformly from the listed
variable ranges (no noise), writes them to a CSV file, runs `lies fit --json` on it, and
decides with SymPy whether the returned formula is a symbolic solution by the SRBench
rule: truth - formula or truth / formula simplifies to a constant (a non-zero one for the
ratio). It prints one line per equation and a summary, and can write a CSV of results.

Usage:
  bench/feynman_monomials.py TABLE [--lies build/lies] [--rows 10000] [--seed 0]
                             [--out results.csv] [--only I.12.1,II.3.24]

TABLE is FeynmanEquations.csv of the AI Feynman database (UTF-8 with BOM, CRLF line ends,
empty trailing rows); it is read, never modified. Needs SymPy (Debian: python3-sympy).
"""

import argparse
import csv
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time

try:
    import sympy
except ImportError:
    sys.exit("feynman_monomials.py: SymPy is missing; install python3-sympy "
             "(and run this script with /usr/bin/python3)")

FUNCTIONS = {"exp": sympy.exp, "sqrt": sympy.sqrt, "sin": sympy.sin, "cos": sympy.cos,
             "tan": sympy.tan, "tanh": sympy.tanh, "ln": sympy.log, "log": sympy.log,
             "arcsin": sympy.asin, "asin": sympy.asin, "acos": sympy.acos,
             "atan": sympy.atan, "pi": sympy.pi, "E": sympy.E}


def read_table(path):
    """Yield (name, output, formula, [(variable, low, high), ...]) for every equation."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            if not row.get("Filename"):
                continue
            variables = []
            for k in range(1, 11):
                name = (row.get(f"v{k}_name") or "").strip()
                if name:
                    variables.append((name, float(row[f"v{k}_low"]), float(row[f"v{k}_high"])))
            yield row["Filename"], row["Output"], row["Formula"], variables


def symbols_for(variables):
    # Positive symbols: every range of the monomial equations is positive, and SymPy
    # then combines powers freely. Names such as gamma or I must stay plain symbols.
    return {name: sympy.Symbol(name, positive=True) for name, _, _ in variables}


def parse(text, symbols):
    namespace = dict(FUNCTIONS)
    namespace.update(symbols)
    return sympy.sympify(text, locals=namespace)


def is_monomial(expression):
    """Whether the expression is a constant times a product of powers of symbols."""
    expression = sympy.powsimp(sympy.expand_power_base(expression, force=True), force=True)
    for factor in sympy.Mul.make_args(expression):
        if factor.is_number:
            continue
        base, exponent = factor.as_base_exp()
        if not (base.is_Symbol and exponent.is_number):
            return False
    return True


def is_symbolic_solution(truth, candidate):
    """SRBench rule: truth - candidate, or truth / candidate (non-zero), is a constant."""
    difference = sympy.simplify(truth - candidate)
    if difference.is_number:
        return True
    if candidate == 0:
        return False
    ratio = sympy.simplify(truth / candidate)
    return bool(ratio.is_number and ratio != 0)


def write_data(path, variables, output, function, rows, rng):
    names = [name for name, _, _ in variables]
    target = output if output not in names else output + "_out"
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(names + [target])
        for _ in range(rows):
            values = [rng.uniform(low, high) for _, low, high in variables]
            writer.writerow([repr(v) for v in values] + [repr(float(function(*values)))])
    return target


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("table", help="path of FeynmanEquations.csv")
    parser.add_argument("--lies", default="build/lies", help="the lies executable")
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0, help="seed of data and fit")
    parser.add_argument("--out", help="write one CSV row per equation here")
    parser.add_argument("--only", help="comma-separated equation names to run")
    args = parser.parse_args()

    if not os.path.isfile(args.table):
        sys.exit(f"feynman_monomials.py: {args.table}: file not found")
    if not os.access(args.lies, os.X_OK):
        sys.exit(f"feynman_monomials.py: {args.lies}: not an executable; build lies first")
    only = set(args.only.split(",")) if args.only else None

    results = []
    with tempfile.TemporaryDirectory() as directory:
        for name, output, formula, variables in read_table(args.table):
            if only and name not in only:
                continue
            symbols = symbols_for(variables)
            truth = parse(formula, symbols)
            if not is_monomial(truth):
                continue
            ordered = [symbols[v] for v, _, _ in variables]
            function = sympy.lambdify(ordered, truth, modules="math")
            rng = random.Random(f"{args.seed}:{name}")
            path = os.path.join(directory, name + ".csv")
            target = write_data(path, variables, output, function, args.rows, rng)

            start = time.monotonic()
            run = subprocess.run([args.lies, "fit", path, "--target", target, "--json",
                                  "--seed", str(args.seed)], capture_output=True, text=True)
            wall = time.monotonic() - start
            if run.returncode != 0:
                results.append((name, False, math.nan, 0, wall, "error: " + run.stderr.strip()))
            else:
                fit = json.loads(run.stdout)
                solved = is_symbolic_solution(truth, parse(fit["sympy"], symbols))
                results.append((name, solved, fit["r2"], fit["complexity"], wall, fit["formula"]))
            r = results[-1]
            print(f"{r[0]:<12} {'solved' if r[1] else 'NOT solved':<10} R2={r[2]:<10.6g} "
                  f"complexity={r[3]:<4} {r[4]:6.2f}s  {r[5]}", flush=True)

    solved = sum(1 for r in results if r[1])
    times = sorted(r[4] for r in results)
    median = times[len(times) // 2] if times else math.nan
    print(f"\n{solved} of {len(results)} solved; median wall time {median:.2f} s; "
          f"total {sum(times):.1f} s")
    if args.out:
        with open(args.out, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["name", "solved", "r2", "complexity", "seconds", "formula"])
            writer.writerows(results)
    return 0 if results else 1


if __name__ == "__main__":
    sys.exit(main())
