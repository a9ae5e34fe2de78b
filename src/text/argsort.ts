// numpy's default argsort (kind='quicksort'), ported so that ties break exactly as scikit-learn's do
// where it calls `argsort()`: max_features (CountVectorizer._limit_features) and the top words of a
// topic. numpy ≤ 1.25 runs this introsort for every dtype (1.26 added an AVX-512 argsort on some
// CPUs, which breaks ties differently); the reference is numpy/core/src/npysort/quicksort.cpp and
// heapsort.cpp. It is not stable: equal keys come out in an order only this exact algorithm gives.

/** Partitions spanning at most this many steps (pr − pl) are finished by insertion sort (numpy's SMALL_QUICKSORT). */
const SMALL_QUICKSORT = 15;

/** numpy's order for floats: NaN sorts after every number. */
function less(a: number, b: number): boolean {
  return a < b || (b !== b && a === a);
}

/** floor(log2(n)) for n ≥ 1 (numpy's npy_get_msb). */
function msb(n: number): number {
  let depth = 0;
  while ((n >>= 1) > 0) depth++;
  return depth;
}

/** numpy's aheapsort over tosort[lo .. lo+n): the fallback when quicksort recurses too deep. */
function heapsort(v: ArrayLike<number>, tosort: Int32Array, lo: number, n: number): void {
  // numpy indexes the heap from 1: a[i] is tosort[lo + i - 1]
  const a = (i: number) => tosort[lo + i - 1];
  const set = (i: number, x: number) => (tosort[lo + i - 1] = x);
  const siftDown = (start: number, size: number, tmp: number) => {
    let i = start;
    for (let j = start << 1; j <= size; ) {
      if (j < size && less(v[a(j)], v[a(j + 1)])) j += 1;
      if (less(v[tmp], v[a(j)])) {
        set(i, a(j));
        i = j;
        j += j;
      } else break;
    }
    set(i, tmp);
  };
  for (let l = n >> 1; l > 0; --l) siftDown(l, n, a(l));
  for (; n > 1; ) {
    const tmp = a(n);
    set(n, a(1));
    n -= 1;
    siftDown(1, n, tmp);
  }
}

/** Indices that sort `v` ascending as numpy's argsort(kind='heapsort') does (tested on its own). */
export function argsortHeapsort(v: ArrayLike<number>): Int32Array {
  const tosort = Int32Array.from({ length: v.length }, (_, i) => i);
  heapsort(v, tosort, 0, v.length);
  return tosort;
}

/** Indices that sort `v` ascending, in numpy's quicksort order (ties included). */
export function argsort(v: ArrayLike<number>): Int32Array {
  const num = v.length;
  const tosort = new Int32Array(num);
  for (let i = 0; i < num; i++) tosort[i] = i;
  if (num < 2) return tosort;
  const swap = (i: number, j: number) => {
    const t = tosort[i];
    tosort[i] = tosort[j];
    tosort[j] = t;
  };
  const stack: number[] = [];
  const depths: number[] = [];
  let pl = 0;
  let pr = num - 1;
  let cdepth = msb(num) * 2;
  for (;;) {
    if (cdepth < 0) {
      heapsort(v, tosort, pl, pr - pl + 1);
    } else {
      while (pr - pl > SMALL_QUICKSORT) {
        // median of three, moved next to the right end
        const pm = pl + ((pr - pl) >> 1);
        if (less(v[tosort[pm]], v[tosort[pl]])) swap(pm, pl);
        if (less(v[tosort[pr]], v[tosort[pm]])) swap(pr, pm);
        if (less(v[tosort[pm]], v[tosort[pl]])) swap(pm, pl);
        const vp = v[tosort[pm]];
        let pi = pl;
        let pj = pr - 1;
        swap(pm, pj);
        for (;;) {
          do ++pi;
          while (less(v[tosort[pi]], vp));
          do --pj;
          while (less(vp, v[tosort[pj]]));
          if (pi >= pj) break;
          swap(pi, pj);
        }
        swap(pi, pr - 1);
        // the larger side waits on the stack; the loop goes on with the smaller one
        if (pi - pl < pr - pi) {
          stack.push(pi + 1, pr);
          pr = pi - 1;
        } else {
          stack.push(pl, pi - 1);
          pl = pi + 1;
        }
        depths.push(--cdepth);
      }
      for (let pi = pl + 1; pi <= pr; ++pi) {
        const vi = tosort[pi];
        const vp = v[vi];
        let pj = pi;
        while (pj > pl && less(vp, v[tosort[pj - 1]])) {
          tosort[pj] = tosort[pj - 1];
          pj--;
        }
        tosort[pj] = vi;
      }
    }
    if (stack.length === 0) break;
    pr = stack.pop()!;
    pl = stack.pop()!;
    cdepth = depths.pop()!;
  }
  return tosort;
}
