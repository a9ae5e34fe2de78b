"""Time scikit-learn's NMF on the same problem the webnmf CPU benchmark runs.

Usage: sklearn_nmf.py ROWS COLS K ITERS CASE...   (CASE = solver:beta, e.g. mu:frobenius)
X = numpy.random.RandomState(0).random_sample((ROWS, COLS)); init='random', random_state=0;
tol=0 so every run does exactly ITERS iterations. Prints one JSON line per case.
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.decomposition import non_negative_factorization

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
