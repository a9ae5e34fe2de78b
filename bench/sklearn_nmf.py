"""Time scikit-learn's NMF on the same problem the webnmf CPU benchmark runs.

Usage: sklearn_nmf.py ROWS COLS K ITERS CASE...   (CASE = solver:beta, e.g. mu:frobenius)
       sklearn_nmf.py --per-iter X_FILE ROWS COLS K LO ITERS ROUNDS MIN_DIFF_MS CASE...   (npm run bench)
X = numpy.random.RandomState(0).random_sample((ROWS, COLS)); init='random', random_state=0;
tol=0 so every run does exactly ITERS iterations. Prints one JSON line per case.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.decomposition import non_negative_factorization


def per_iteration(x_file, rows, cols, k, lo, iters, rounds, min_diff_ms, cases):
    """npm run bench's measurement (bench/browser/page/measure.ts), on the X it exported.

    For each case: a 2-iteration warm-up, a calibration pair (iters raised when the two fits differ by
    less than min_diff_ms), then `rounds` pairs of fits with max_iter lo and lo + iters (tol=0);
    prints the ms per iteration of every round, (T_long - T_short) / iters, one JSON line per case.
    """
    import warnings
    from sklearn.exceptions import ConvergenceWarning

    warnings.simplefilter("ignore", ConvergenceWarning)
    X = np.fromfile(x_file, dtype="<f8").reshape(rows, cols)
    try:
        from threadpoolctl import threadpool_info
        blas = "; ".join(f"{p.get('internal_api')} {p.get('version')} ({p.get('num_threads')} threads"
                         f"{', ' + p['architecture'] if p.get('architecture') else ''})" for p in threadpool_info())
    except ImportError:
        blas = None
    print(json.dumps({"sklearn": sklearn.__version__, "numpy": np.__version__, "blas": blas}), flush=True)

    def fit_ms(solver, beta, max_iter):
        t0 = time.perf_counter()
        non_negative_factorization(X, n_components=k, init="random", random_state=0, solver=solver,
                                   beta_loss=beta, tol=0, max_iter=max_iter)
        return (time.perf_counter() - t0) * 1000

    for case in cases:
        solver, beta = case.split(":")
        fit_ms(solver, beta, 2)
        n = iters
        diff = fit_ms(solver, beta, lo + n) - fit_ms(solver, beta, lo)
        if diff < min_diff_ms:
            n = int(np.ceil(n * min_diff_ms / max(diff, min_diff_ms / 50)))
        per_iter = []
        for _ in range(rounds):
            t_lo = fit_ms(solver, beta, lo)
            per_iter.append((fit_ms(solver, beta, lo + n) - t_lo) / n)
        print(json.dumps({"case": case, "iters": n, "perIterMs": per_iter}), flush=True)


if sys.argv[1:2] == ["--per-iter"]:
    a = sys.argv[2:]
    per_iteration(a[0], *(int(v) for v in a[1:8]), a[8:])
    sys.exit(0)

rows, cols, k, iters = (int(a) for a in sys.argv[1:5])
X = np.random.RandomState(0).random_sample((rows, cols))
for case in sys.argv[5:]:
    solver, beta = case.split(":")
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        W, H, n_iter = non_negative_factorization(
            X, n_components=k, init="random", random_state=0, solver=solver,
            beta_loss=beta, tol=0, max_iter=iters)
        best = min(best, time.perf_counter() - t0)
    print(json.dumps({"case": case, "seconds": best, "nIter": n_iter, "sklearn": sklearn.__version__,
                      "checksum": float(np.linalg.norm(W @ H))}), flush=True)
