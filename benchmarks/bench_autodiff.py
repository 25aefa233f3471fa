"""Autodiff speed: fromscratch.autodiff vs PyTorch autograd (CPU), side by side in one process.

Run: ``python benchmarks/bench_autodiff.py`` (about half a minute). Prints medians and ratios
(ours / PyTorch: below 1 means we are faster).

(a) per-operation overhead: forward + backward through a chain of 1,000 elementwise ops on a
    10-element vector. Both sides spend their time in Python/C++ bookkeeping, not arithmetic.
(b) gradient of an MLP loss (64 -> 128 relu -> 10, softmax cross-entropy, float64 and float32)
    at batch 64 and 1,024. Here the matrix products dominate at the larger batch.
(c) forward vs reverse Jacobian cost of f(x) = tanh(W x), W of shape (m, n): forward mode needs
    n passes, reverse mode m (plus one forward pass).

Threads. NumPy's matmul uses its BLAS (OpenBLAS) with its own thread pool and PyTorch uses its
intra-op pool; both are left at their defaults (``torch.get_num_threads()`` is printed), which
is what a user gets. On a machine shared with other jobs, thread pools make timings noisy: for
stable numbers pin both to one thread (``OPENBLAS_NUM_THREADS=1`` and ``--torch-threads 1``).
Benchmarks (a) and (c) are single-threaded on both sides anyway (tiny arrays).
"""

from __future__ import annotations

import argparse

import numpy as np
import torch
from _timing import median_seconds

import fromscratch.autodiff.numpy as anp
from fromscratch.autodiff import Tensor, jacobian


def chain_ours(x0: np.ndarray, n_ops: int) -> None:
    x = Tensor(x0, requires_grad=True)
    y = x
    for i in range(n_ops // 4):
        y = anp.sin(y) * 0.999 + 0.001
        y = anp.tanh(y) if i % 2 else anp.exp(y * 0.5)
    anp.sum(y).backward()


def chain_torch(x0: np.ndarray, n_ops: int) -> None:
    x = torch.tensor(x0, requires_grad=True)
    y = x
    for i in range(n_ops // 4):
        y = torch.sin(y) * 0.999 + 0.001
        y = torch.tanh(y) if i % 2 else torch.exp(y * 0.5)
    y.sum().backward()


def mlp_problem(batch: int, dtype: type, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "X": rng.normal(size=(batch, 64)).astype(dtype),
        "onehot": np.eye(10, dtype=dtype)[rng.integers(0, 10, size=batch)],
        "W1": (rng.normal(size=(64, 128)) * 0.1).astype(dtype),
        "b1": np.zeros(128, dtype=dtype),
        "W2": (rng.normal(size=(128, 10)) * 0.1).astype(dtype),
        "b2": np.zeros(10, dtype=dtype),
    }


def mlp_ours(p: dict[str, np.ndarray], params: list[Tensor]) -> None:
    W1, b1, W2, b2 = params
    for t in params:
        t.grad = None
    logits = anp.relu(p["X"] @ W1 + b1) @ W2 + b2
    loss = -anp.mean(anp.sum(anp.log_softmax(logits, 1) * p["onehot"], 1))
    loss.backward()


def mlp_torch(p: dict[str, torch.Tensor], params: list[torch.Tensor]) -> None:
    W1, b1, W2, b2 = params
    for t in params:
        t.grad = None
    logits = torch.relu(p["X"] @ W1 + b1) @ W2 + b2
    loss = -(torch.log_softmax(logits, 1) * p["onehot"]).sum(1).mean()
    loss.backward()


def row(label: str, ours: float, theirs: float) -> None:
    print(f"{label:<44} {ours * 1e3:>10.3f} {theirs * 1e3:>10.3f} {ours / theirs:>7.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--torch-threads", type=int, default=None)
    args = parser.parse_args()
    if args.torch_threads:
        torch.set_num_threads(args.torch_threads)
    print(f"numpy {np.__version__}, torch {torch.__version__} "
          f"({torch.get_num_threads()} intra-op threads), repeats {args.repeats}, medians\n")
    print(f"{'benchmark':<44} {'ours ms':>10} {'torch ms':>10} {'ratio':>7}")

    x0 = np.random.default_rng(0).normal(size=10)
    t = median_seconds({"ours": lambda: chain_ours(x0, 1000),
                        "torch": lambda: chain_torch(x0, 1000)}, args.repeats, warmup=2)
    row("(a) chain of 1,000 ops, fwd+bwd", t["ours"], t["torch"])

    for dtype in (np.float64, np.float32):
        for batch in (64, 1024):
            p = mlp_problem(batch, dtype)
            ours_params = [Tensor(p[k], requires_grad=True) for k in ("W1", "b1", "W2", "b2")]
            pt = {k: torch.from_numpy(v) for k, v in p.items()}
            torch_params = [pt[k].clone().requires_grad_(True) for k in ("W1", "b1", "W2", "b2")]
            t = median_seconds({"ours": lambda p=p, q=ours_params: mlp_ours(p, q),
                                "torch": lambda p=pt, q=torch_params: mlp_torch(p, q)},
                               args.repeats * 2, warmup=2)
            row(f"(b) MLP loss gradient, batch {batch}, {np.dtype(dtype).name}",
                t["ours"], t["torch"])

    print("\n(c) Jacobian of tanh(W x), W (m, n): median ms, forward vs reverse mode (ours)")
    print(f"{'n':>5} {'m':>5} {'forward ms':>11} {'reverse ms':>11}")
    rng = np.random.default_rng(1)
    for n, m in [(1, 64), (4, 64), (16, 64), (64, 64), (64, 16), (64, 4), (64, 1)]:
        W = rng.normal(size=(m, n))
        x = rng.normal(size=n)

        def f(x, W=W):
            return anp.tanh(W @ x)

        t = median_seconds({"forward": lambda f=f, x=x: jacobian(f, mode="forward")(x),
                            "reverse": lambda f=f, x=x: jacobian(f, mode="reverse")(x)},
                           max(3, args.repeats // 3), warmup=1)
        print(f"{n:>5} {m:>5} {t['forward'] * 1e3:>11.3f} {t['reverse'] * 1e3:>11.3f}")


if __name__ == "__main__":
    main()
