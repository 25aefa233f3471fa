"""One optimizer step on 10 million float32 parameters: fromscratch.optim vs torch.optim.

Adam, AdamW and SGD with momentum, on 4 tensors of 2.5M parameters, side by side with
``torch.optim`` (``foreach=True``, its multi-tensor path) in one process, interleaved: each round
times one step of ours, one of torch's and a plain ``np.copyto`` of the parameters' bytes.
Prints the median time per step, the ratio, and our effective memory bandwidth (the bytes an
update must read and write, divided by its time) as a fraction of the copy's bandwidth measured
in the same rounds.

    python benchmarks/bench_optim.py [--rounds 15] [--size 10000000]

Bytes an update must move, per parameter: Adam/AdamW read param, grad, m, v and write param,
m, v (7 arrays); SGD with momentum reads param, grad, buffer and writes param, buffer (5).
A copy reads and writes once (2). The copy also pays a hidden read of its destination
(write-allocate: the cache line is fetched before it is overwritten), which an update does not,
since every array it writes it has just read; so a fraction above 100% is possible. On a shared
machine, quote the ratios of several runs rather than absolute times. Our updates share their
chunks among ``fromscratch.get_config()["n_threads"]`` threads (torch uses its intra-op
threads); the copy is NumPy's plain single-threaded one.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch

from fromscratch import get_config, optim
from fromscratch.autodiff import Tensor

CASES = [
    # name, hyper-parameters, arrays read + written per parameter
    ("Adam", dict(lr=1e-3), 7),
    ("AdamW", dict(lr=1e-3), 7),
    ("SGD", dict(lr=1e-3, momentum=0.9), 5),
]


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--size", type=int, default=10_000_000, help="total parameters")
    parser.add_argument("--tensors", type=int, default=4)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    n = args.size // args.tensors
    x0 = [rng.standard_normal(n).astype(np.float32) for _ in range(args.tensors)]
    grads = [(1e-3 * rng.standard_normal(n)).astype(np.float32) for _ in range(args.tensors)]
    nbytes = sum(x.nbytes for x in x0)
    copy_src, copy_dst = np.concatenate(x0), np.empty(args.size, dtype=np.float32)

    steps = {}
    for name, hyper, _ in CASES:
        ours = [Tensor(x) for x in x0]
        theirs = [torch.tensor(x, requires_grad=True) for x in x0]
        for p, q, g in zip(ours, theirs, grads, strict=True):
            p.grad, q.grad = g, torch.from_numpy(g)
        steps[name] = (
            getattr(optim, name)(ours, **hyper).step,
            getattr(torch.optim, name)(theirs, foreach=True, **hyper).step,
        )
        for step in steps[name]:  # warm-up: state allocation, first-call overheads
            step()

    times = {name: ([], []) for name in steps}
    copy_times = []
    for _ in range(args.rounds):
        for name, (ours_step, torch_step) in steps.items():
            times[name][0].append(_timed(ours_step))
            times[name][1].append(_timed(torch_step))
            copy_times.append(_timed(lambda: np.copyto(copy_dst, copy_src)))

    copy_bandwidth = 2 * nbytes / np.median(copy_times)
    print(
        f"{args.size:,} float32 parameters in {args.tensors} tensors; {args.rounds} rounds; "
        f"torch {torch.__version__} with {torch.get_num_threads()} threads, ours on NumPy "
        f"{np.__version__} with {get_config()['n_threads']} threads; np.copyto (one thread): "
        f"{copy_bandwidth / 1e9:.1f} GB/s"
    )
    print(
        f"{'optimizer':<14}{'ours (ms)':>10}{'torch (ms)':>12}{'ours/torch':>12}"
        f"{'ours GB/s':>11}{'of copy':>9}"
    )
    for name, hyper, arrays in CASES:
        ours_t, torch_t = (float(np.median(t)) for t in times[name])
        bandwidth = arrays * nbytes / ours_t
        label = name + ("+momentum" if "momentum" in hyper else "")
        print(
            f"{label:<14}{ours_t * 1e3:>10.1f}{torch_t * 1e3:>12.1f}{ours_t / torch_t:>12.2f}"
            f"{bandwidth / 1e9:>11.1f}{bandwidth / copy_bandwidth:>9.0%}"
        )


if __name__ == "__main__":
    main()
