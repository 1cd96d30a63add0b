#!/usr/bin/python3
"""Time the LIES network in lies and in PyTorch on the same cases, side by side.

Builds the network of engine/network.hpp in PyTorch. It has n inputs and the constant 1,
and L hidden layers of four units: identity, exp(min(z, 4)), sin and log(max(z, 0.005)).
Each unit's input is a weighted sum of every earlier value, each unit has a bridge
weight, and the output is a weighted sum of everything. Both sides train on the same generated rows
with RMSprop at the same batch size and objective, and run in float64 with the same
number of threads. The lies side is bench/lies-bench-kernels, run on a CSV file of the
same rows.

Cases, each reported as rows per second for lies, for PyTorch, and their ratio:
  train_epoch      one epoch at --batch: mean exp(|error|), the domain violation, L1 and
                   the ADMM term, then an RMSprop step per batch (as engine::Trainer)
  forward_reverse  the mean squared error and its gradient over all rows as one batch
  forward          the predictions for all rows as one batch, without a gradient

  /usr/bin/python3 bench/pytorch_side_by_side.py --lies build/bench/lies-bench-kernels

Exits with status 0 and a message when PyTorch is not installed (Debian: python3-torch).
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

LOG_FLOOR = 0.005
EXP_CEILING = 4.0
# engine::PhaseOptions defaults of the first training phase, and engine::Trainer constants.
LEARNING_RATE = 1.5e-2
RMSPROP_DECAY = 0.99
EPSILON = 1e-8
L1 = 0.05
RHO = 0.9
VIOLATION_WEIGHT = 1.0
# Targets of the speed work: lies' rows per second as a multiple of PyTorch's.
TARGETS = {"train_epoch": 100.0, "forward_reverse": 10.0}


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lies", default="build/bench/lies-bench-kernels",
                        help="path of the lies-bench-kernels executable")
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the table")
    parser.add_argument("--inputs", type=int, default=5, help="input columns")
    parser.add_argument("--layers", type=int, default=5, help="hidden layers")
    parser.add_argument("--batch", type=int, default=128, help="rows per training step")
    parser.add_argument("--threads", type=int, default=2,
                        help="threads for both (torch.set_num_threads, --threads of lies)")
    parser.add_argument("--repeats", type=int, default=5,
                        help="timed runs per case after one warm-up; the median is reported")
    return parser.parse_args()


def make_rows(torch, rows, inputs):
    """Return inputs uniform in [-1, 1] and a smooth standardized target of them."""
    generator = torch.Generator().manual_seed(20240611)
    x = torch.rand(rows, inputs, generator=generator, dtype=torch.float64) * 2.0 - 1.0
    target = torch.zeros(rows, dtype=torch.float64)
    for j in range(inputs):
        u = x[:, j]
        target += (torch.sin(2.0 * u) if j % 2 == 0 else u * u) * (1.0 + 0.1 * j)
    target = (target - target.mean()) / target.std(unbiased=False)
    return x, target


def write_csv(path, x, target):
    with open(path, "w", encoding="ascii") as out:
        out.write(",".join([f"x{j + 1}" for j in range(x.shape[1])] + ["y"]) + "\n")
        for row, t in zip(x.tolist(), target.tolist()):
            out.write(",".join(repr(v) for v in row) + "," + repr(t) + "\n")


def build_model(torch, inputs, layers):
    """Return the LIES network as a torch.nn.Module with the weights of lies' initializer.

    A unit's weights over its fan_in values (earlier values and the constant 1) are one
    row of a Linear layer, whose bias is the weight of the constant 1.
    """

    class LiesNetwork(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.hidden = torch.nn.ModuleList(
                torch.nn.Linear(inputs + 4 * i, 4, dtype=torch.float64) for i in range(layers))
            self.bridges = torch.nn.Parameter(torch.ones(layers, 4, dtype=torch.float64))
            self.output = torch.nn.Linear(inputs + 4 * layers, 1, dtype=torch.float64)
            with torch.no_grad():
                for linear in list(self.hidden) + [self.output]:
                    bound = 1.0 / math.sqrt(linear.in_features + 1)
                    linear.weight.uniform_(-bound, bound)
                    linear.bias.uniform_(-bound, bound)

        def forward(self, x):
            """Return the predictions and each row's domain violation."""
            values = x
            violation = torch.zeros(x.shape[0], dtype=x.dtype)
            for i, linear in enumerate(self.hidden):
                z = linear(values)
                units = torch.stack([
                    z[:, 0],
                    torch.exp(torch.clamp(z[:, 1], max=EXP_CEILING)),
                    torch.sin(z[:, 2]),
                    torch.log(torch.clamp(z[:, 3], min=LOG_FLOOR)),
                ], dim=1)
                violation = (violation + torch.relu(z[:, 1] - EXP_CEILING)
                             + torch.relu(LOG_FLOOR - z[:, 3]))
                values = torch.cat([values, units * self.bridges[i]], dim=1)
            return self.output(values).squeeze(1), violation

    return LiesNetwork()


def median_seconds(repeats, body):
    body()
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        body()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def time_torch(torch, args, x, target):
    """Return PyTorch's rows per second for each case, and its parameter count."""
    torch.manual_seed(1)
    model = build_model(torch, args.inputs, args.layers)
    parameters = list(model.parameters())
    count = sum(p.numel() for p in parameters)
    rows = x.shape[0]
    result = {}

    def forward():
        with torch.no_grad():
            model(x)

    result["forward"] = rows / median_seconds(args.repeats, forward)

    def forward_reverse():
        model.zero_grad(set_to_none=True)
        prediction, _ = model(x)
        torch.mean((prediction - target) ** 2).backward()

    result["forward_reverse"] = rows / median_seconds(args.repeats, forward_reverse)

    initial = [p.detach().clone() for p in parameters]

    def train_epoch():
        with torch.no_grad():
            for p, start in zip(parameters, initial):
                p.copy_(start)
        optimizer = torch.optim.RMSprop(parameters, lr=LEARNING_RATE, alpha=RMSPROP_DECAY,
                                        eps=EPSILON)
        admm_z = [p.detach().clone() for p in parameters]
        admm_u = [torch.zeros_like(p) for p in parameters]
        order = torch.randperm(rows)
        for first in range(0, rows - args.batch + 1, args.batch):
            batch = order[first:first + args.batch]
            prediction, violation = model(x[batch])
            loss = (torch.exp(torch.abs(prediction - target[batch])).mean()
                    + VIOLATION_WEIGHT * violation.mean())
            for p, z, u in zip(parameters, admm_z, admm_u):
                loss = loss + L1 * p.abs().sum() + 0.5 * RHO * ((p - z + u) ** 2).sum()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()

    trained = rows // args.batch * args.batch
    result["train_epoch"] = trained / median_seconds(args.repeats, train_epoch)
    return result, count


def time_lies(args, csv_path):
    """Return lies' rows per second for each case and its parameter count."""
    command = [args.lies, "--json", "--data", csv_path, "--layers", str(args.layers),
               "--batch", str(args.batch), "--threads", str(args.threads),
               "--repeats", str(args.repeats), "--cases", "forward,forward_reverse,train_epoch"]
    completed = subprocess.run(command, check=True, capture_output=True, text=True)
    result = {}
    count = 0
    for line in completed.stdout.splitlines():
        record = json.loads(line)
        result[record["case"]] = record["rows_per_second"]
        count = record["params"]
    return result, count


def main():
    args = parse_arguments()
    try:
        import torch  # pylint: disable=import-outside-toplevel
    except ImportError:
        print("pytorch_side_by_side: skipped, PyTorch is not installed "
              "(Debian: apt-get install python3-torch)")
        return 0
    if not os.access(args.lies, os.X_OK):
        print(f"pytorch_side_by_side: {args.lies} not found; build it with "
              "cmake --build build --target lies-bench-kernels", file=sys.stderr)
        return 1

    torch.set_num_threads(args.threads)
    x, target = make_rows(torch, args.rows, args.inputs)
    with tempfile.TemporaryDirectory() as folder:
        csv_path = os.path.join(folder, "rows.csv")
        write_csv(csv_path, x, target)
        lies, lies_params = time_lies(args, csv_path)
    theirs, torch_params = time_torch(torch, args, x, target)

    print(f"rows {args.rows}, inputs {args.inputs}, layers {args.layers}, "
          f"batch {args.batch}, threads {args.threads}, float64, "
          f"parameters lies {lies_params} / PyTorch {torch_params}, "
          f"PyTorch {torch.__version__}")
    if lies_params != torch_params:
        print("pytorch_side_by_side: the two networks differ in parameter count",
              file=sys.stderr)
        return 1
    print(f"{'case':16} {'batch':>7} {'lies rows/s':>14} {'PyTorch rows/s':>15} "
          f"{'ratio':>8} {'target':>8}")
    for case in ("train_epoch", "forward_reverse", "forward"):
        batch = args.batch if case == "train_epoch" else args.rows
        ratio = lies[case] / theirs[case]
        target_text = ""
        if case in TARGETS:
            met = "met" if ratio >= TARGETS[case] else "missed"
            target_text = f"{TARGETS[case]:.0f}x {met}"
        print(f"{case:16} {batch:7d} {lies[case]:14.4g} {theirs[case]:15.4g} "
              f"{ratio:7.1f}x {target_text:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
