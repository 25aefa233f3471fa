"""Neural-network training speed: fromscratch.nn vs PyTorch (CPU), side by side in one process.

Run: ``python benchmarks/bench_nn.py`` (about a minute). For each task both libraries train the
same architecture with the same dtype (float32), batch size, optimizer (Adam, lr 1e-3) and
per-epoch shuffling; the table shows the median time per epoch over interleaved repeats and the
ratio ours / PyTorch (below 1: we are faster).

(a) digits, 64-128-128-10 ReLU, batch 32 (1,797 samples, 57 steps per epoch): tiny matrices,
    so the time goes to per-operation bookkeeping (graph recording, Python calls, optimizer
    loops). Target: ratio <= 0.8.
(b) MNIST-5k, 784-512-512-10 ReLU, batch 256 (20 steps per epoch): the matrix products
    dominate. Target: ratio <= 1.1.

Threads. Both sides are pinned to the same number of threads (``--threads``, default 1):
NumPy's BLAS through threadpoolctl and PyTorch through ``torch.set_num_threads``. One thread
gives stable numbers on a shared machine; with several idle cores try ``--threads 4``.
"""

from __future__ import annotations

import argparse

import numpy as np
import torch
from _timing import median_seconds
from threadpoolctl import threadpool_limits

from fromscratch import nn, optim
from fromscratch.datasets import load_digits, load_mnist
from fromscratch.nn.training import train_epoch


def ours_epoch(sizes: list[int], X: np.ndarray, y: np.ndarray, batch_size: int):
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        layers.append(nn.Linear(n_in, n_out, random_state=i, dtype=np.float32))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    model = nn.Sequential(*layers)
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    loss = nn.CrossEntropyLoss()
    loader = nn.DataLoader(X, y, batch_size=batch_size, shuffle=True, random_state=0)
    return lambda: train_epoch(model, loss, optimizer, loader)


def torch_epoch(sizes: list[int], X: np.ndarray, y: np.ndarray, batch_size: int):
    torch.manual_seed(0)
    layers: list[torch.nn.Module] = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        layers.append(torch.nn.Linear(n_in, n_out))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y)
    generator = torch.Generator().manual_seed(0)

    def epoch() -> float:
        order = torch.randperm(len(X_t), generator=generator)
        total = 0.0
        for start in range(0, len(X_t), batch_size):
            index = order[start : start + batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(X_t[index]), y_t[index])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(index)  # what train_epoch records, for a fair count
        return total / len(X_t)

    return epoch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    digits = load_digits()
    mnist = load_mnist()
    tasks = [
        ("digits 64-128-128-10, batch 32", [64, 128, 128, 10],
         (digits.X / 16).astype(np.float32), digits.y.astype(np.int64), 32, 0.8),
        ("MNIST-5k 784-512-512-10, batch 256", [784, 512, 512, 10],
         (mnist.X / 255).astype(np.float32), mnist.y.astype(np.int64), 256, 1.1),
    ]
    print(f"threads: {args.threads} (NumPy BLAS and PyTorch); float32; Adam lr=1e-3; "
          f"median of {args.repeats} epochs; torch {torch.__version__}, numpy {np.__version__}")
    print(f"{'task':<38}{'ours ms':>10}{'torch ms':>10}{'ratio':>8}{'target':>8}")
    with threadpool_limits(limits=args.threads, user_api="blas"):
        for name, sizes, X, y, batch_size, target in tasks:
            times = median_seconds({
                "ours": ours_epoch(sizes, X, y, batch_size),
                "torch": torch_epoch(sizes, X, y, batch_size),
            }, repeats=args.repeats)
            ratio = times["ours"] / times["torch"]
            print(f"{name:<38}{1e3 * times['ours']:>10.1f}{1e3 * times['torch']:>10.1f}"
                  f"{ratio:>8.2f}{'<= ' + str(target):>8}")


if __name__ == "__main__":
    main()
