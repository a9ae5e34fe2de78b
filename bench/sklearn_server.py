"""scikit-learn's side of `npm run bench:cpu`: a long-lived process that answers one JSON request per
line on stdin with one JSON line on stdout, so the benchmark can interleave scikit-learn's fits with
webnmf's in one run (the same moments of machine load land on both).

Requests:
  {"op": "info"}                     versions, and the BLAS threadpoolctl finds (kernel, threads)
  {"op": "tfidf", "docs": PATH, "maxFeatures": N, "out": PATH}
                                     scikit-learn's topic-extraction TfidfVectorizer (max_df 0.95,
                                     min_df 2, English stop words) over the JSON list of documents
                                     at PATH; X written as MatrixMarket (17 significant digits)
  {"op": "load", "name": S, "mtx": PATH | "random": [ROWS, COLS], "dtype": "float64"|"float32"}
                                     keep a matrix under a name: a .mtx file (as CSR), or
                                     RandomState(0).random_sample((ROWS, COLS))
  {"op": "fit", "X": S, "params": {...}}
                                     NMF(**params).fit_transform(X), timed with the start (init)
                                     included; returns seconds, the process's CPU seconds over the
                                     fit, n_iter_, reconstruction_err_, and W's and H's dtype
Run by bench/cpu.ts with OPENBLAS_CORETYPE=SkylakeX (Debian's OpenBLAS 0.3.21 does not recognise
this Xeon and otherwise runs its slowest kernels).
"""
import json
import sys
import time

import numpy as np
import scipy
import scipy.io
import scipy.sparse as sp
import sklearn
import threadpoolctl
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer

matrices = {}


def info(_):
    return {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__,
            "blas": threadpoolctl.threadpool_info()}


def tfidf(req):
    docs = json.load(open(req["docs"], encoding="utf8"))
    vectorizer = TfidfVectorizer(max_df=0.95, min_df=2, max_features=req["maxFeatures"], stop_words="english")
    X = vectorizer.fit_transform(docs).tocsr()
    X.sort_indices()
    scipy.io.mmwrite(req["out"], X, precision=17)
    return {"rows": X.shape[0], "cols": X.shape[1], "nnz": int(X.nnz)}


def load(req):
    if "mtx" in req:
        X = sp.csr_matrix(scipy.io.mmread(req["mtx"]))
        X.sort_indices()
    else:
        rows, cols = req["random"]
        X = np.random.RandomState(0).random_sample((rows, cols))
    matrices[req["name"]] = X.astype(req.get("dtype", "float64"))
    return {"shape": list(X.shape)}


def fit(req):
    X = matrices[req["X"]]
    model = NMF(**req["params"])
    cpu0, t0 = time.process_time(), time.perf_counter()
    W = model.fit_transform(X)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    return {"seconds": seconds, "cpuSeconds": cpu, "nIter": int(model.n_iter_),
            "err": float(model.reconstruction_err_), "dtype": str(W.dtype), "componentsDtype": str(model.components_.dtype)}


OPS = {"info": info, "tfidf": tfidf, "load": load, "fit": fit}

for line in sys.stdin:
    request = json.loads(line)
    try:
        reply = OPS[request["op"]](request)
    except Exception as e:  # reported to the benchmark, which prints it
        reply = {"error": f"{type(e).__name__}: {e}"}
    print(json.dumps(reply), flush=True)
