// scikit-learn's figures for the headline: run bench/sklearn_nmf.py (python3 with scikit-learn) on
// the very X the page fits (exported as raw float64), measured as the page measures; or read them
// from a JSON file the user passes (a bench record, or the script's own output from another machine).

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { removeDir } from '../../test/browser/harness.js';
import { LO_ITERS, MIN_DIFF_MS } from './cases.js';
import { makeX } from './problem.js';
import { spread } from './stats.js';
import type { BenchLoss, BenchOptions, BenchSolver, SklearnFigures, SklearnResult } from './page-api.js';

const SCRIPT = fileURLToPath(new URL('../sklearn_nmf.py', import.meta.url));
/** a whole size's cases; generous: scikit-learn's KL `mu` at 1000×800 runs ≈ 30 ms per iteration */
const TIMEOUT_MS = 20 * 60_000;

type Problem = { solver: BenchSolver; betaLoss: BenchLoss };

function problems(o: BenchOptions): Problem[] {
  return o.solvers.flatMap((solver) => o.losses.filter((l) => solver === 'mu' || l === 'frobenius').map((betaLoss) => ({ solver, betaLoss })));
}

/** the BLAS line, with OPENBLAS_CORETYPE when set (it changes OpenBLAS's kernels, hence its speed) */
function blasLine(blas: string | null): string | null {
  const core = process.env.OPENBLAS_CORETYPE;
  return [blas, core ? `OPENBLAS_CORETYPE=${core}` : null].filter(Boolean).join('; ') || null;
}

/** Interpreters tried when --python names none: the one on PATH (may be a venv without scikit-learn), then the system's. */
const PYTHONS = ['python3', '/usr/bin/python3'];

/** The first of `candidates` that imports scikit-learn, or why none does. */
async function findPython(candidates: string[]): Promise<{ python: string } | { error: string }> {
  const tried: string[] = [];
  for (const python of candidates) {
    try {
      await promisify(execFile)(python, ['-c', 'import numpy, sklearn'], { timeout: 60_000 });
      return { python };
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { stderr?: string };
      tried.push(`${python}: ${err.code === 'ENOENT' ? 'not found' : (err.stderr?.trim().split('\n').at(-1) ?? err.message)}`);
    }
  }
  return { error: `no scikit-learn figures (${tried.join('; ')}): pass --python PATH, or --sklearn FILE with figures from another machine` };
}

async function runPython(candidates: string[], o: BenchOptions, log: (line: string) => void): Promise<SklearnFigures> {
  const found = await findPython(candidates);
  const figures: SklearnFigures = { source: 'python', from: candidates.join(', '), version: null, numpy: null, blas: null, results: [], error: null };
  if ('error' in found) return { ...figures, error: found.error };
  const python = (figures.from = found.python);
  const dir = await mkdtemp(join(tmpdir(), 'webnmf-bench-sklearn-'));
  try {
    for (const [m, n] of o.sizes) {
      const file = join(dir, `x-${m}x${n}.f64`);
      const X = makeX(m, n, o.k);
      await writeFile(file, new Uint8Array(X.data.buffer));
      const cases = problems(o);
      const args = [SCRIPT, '--per-iter', file, ...[m, n, o.k, LO_ITERS, o.iters, o.rounds, MIN_DIFF_MS].map(String), ...cases.map((c) => `${c.solver}:${c.betaLoss}`)];
      const t0 = performance.now();
      const { stdout } = await promisify(execFile)(python, args, { timeout: TIMEOUT_MS, maxBuffer: 1 << 24, env: process.env });
      const [head, ...lines] = stdout.trim().split('\n').map((l) => JSON.parse(l));
      Object.assign(figures, { version: head.sklearn, numpy: head.numpy, blas: blasLine(head.blas) });
      const here: SklearnResult[] = lines.map((line, i) => ({ m, n, k: o.k, ...cases[i], iters: line.iters, msPerIter: spread(line.perIterMs) }));
      figures.results.push(...here);
      const medians = here.map((r) => `${r.solver} ${r.betaLoss} ${r.msPerIter.median.toPrecision(3)} ms`).join(', ');
      log(`scikit-learn ${head.sklearn} at ${m}×${n}: ${medians} per iteration (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
  } catch (e) {
    const err = e as Error & { stderr?: string };
    figures.error = `no scikit-learn figures: ${python} ${SCRIPT} failed: ${err.stderr?.trim().split('\n').at(-1) ?? err.message}`;
    figures.results = [];
  } finally {
    await removeDir(dir);
  }
  return figures;
}

function isResult(x: unknown): x is SklearnResult {
  const r = x as SklearnResult;
  return typeof r === 'object' && r !== null && [r.m, r.n, r.k, r.msPerIter?.median].every((v) => typeof v === 'number') && typeof r.solver === 'string' && typeof r.betaLoss === 'string';
}

/** A bench record's figures (its `sklearn`), or a bare list of SklearnResult. */
async function readFigures(file: string): Promise<SklearnFigures> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(`--sklearn ${file}: ${(e as Error).message}`);
  }
  const given = (data as { sklearn?: SklearnFigures }).sklearn ?? null;
  const results = Array.isArray(data) ? data : given?.results;
  if (!Array.isArray(results) || !results.every(isResult)) {
    throw new Error(`--sklearn ${file}: expected a bench record (its "sklearn" figures) or a list of { m, n, k, solver, betaLoss, msPerIter: { median, … } }`);
  }
  return { source: 'file', from: file, version: given?.version ?? null, numpy: given?.numpy ?? null, blas: given?.blas ?? null, results, error: results.length === 0 ? `--sklearn ${file} holds no figures` : null };
}

export async function sklearnFigures(s: { python: string | null; file: string | null; skip: boolean }, o: BenchOptions, log: (line: string) => void): Promise<SklearnFigures | null> {
  if (s.skip) return null;
  if (s.file !== null) return readFigures(s.file);
  return runPython(s.python !== null ? [s.python] : PYTHONS, o, log);
}
