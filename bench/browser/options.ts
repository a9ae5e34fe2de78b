// npm run bench's command line: the grid, how hard to measure, which browser, scikit-learn, output.
// Every bad value is one clear line naming the flag.

import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { BenchBackend, BenchLoss, BenchOptions, BenchSolver } from './page-api.js';

/**
 * Sized for the default run to take a few minutes on SwiftShader (2 cores), where Chromium's WebGPU
 * does 0.1–1.5 GFLOP/s: 1000×800 alone costs ≈ 30 ms to over a second per iteration there.
 */
export const DEFAULT_SIZES = '100x80,200x150,400x300';

export const USAGE = `usage: npm run bench -- [grid] [browser] [scikit-learn] [--out bench/results]
  grid:    --sizes ${DEFAULT_SIZES}  --k 10  --backends webgpu,gpujs,cpu  --solvers cd,mu
           --profile auto|hardware|software (webnmf's gpuProfile: the WebGPU kernel plan; default auto)
           --losses frobenius,kullback-leibler  --iters 20  --rounds 5  --curve-iters 100
           --gemm 512 (N of the WebGPU GEMM case; 0: none)  --peak-gflops G (your GPU's peak, from its sheet)
  browser: --browser PATH | --channel stable|beta|dev|canary | --ws-endpoint ws://… (or http://host:9222)
           --headful  --flag=--some-chromium-flag (repeatable)
           --serve [--port P]: serve the page (cross-origin isolated) for any browser to open by hand
  sklearn: --python PATH (default: python3, else /usr/bin/python3) | --sklearn FILE.json (figures from an earlier run) | --no-sklearn
  npm run bench -- --render bench/results/<run>.json   (rewrite that run's HTML report)`;

const CHANNELS = { stable: 'chrome', beta: 'chrome-beta', dev: 'chrome-dev', canary: 'chrome-canary' } as const;
export type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];

export interface BrowserOptions {
  browser: string | null;
  channel: Channel | null;
  wsEndpoint: string | null;
  headful: boolean;
  flags: string[];
}

export interface CliOptions {
  bench: BenchOptions;
  browser: BrowserOptions;
  serve: { port: number } | null;
  sklearn: { python: string | null; file: string | null; skip: boolean };
  out: string;
  render: string | null;
}

/** A bad command line: one line, the flag and the rule. */
export class UsageError extends Error {}

function list<T extends string>(flag: string, value: string, allowed: readonly T[]): T[] {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const it of items) if (!allowed.includes(it as T)) throw new UsageError(`--${flag}: '${it}' is not one of ${allowed.join(', ')}`);
  if (items.length === 0) throw new UsageError(`--${flag} is empty`);
  return [...new Set(items)] as T[];
}

function integer(flag: string, value: string, min: number): number {
  const x = Number(value);
  if (!Number.isInteger(x) || x < min) throw new UsageError(`--${flag} must be an integer ≥ ${min}, got '${value}'`);
  return x;
}

export function parseCli(argv: string[]): CliOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        sizes: { type: 'string', default: DEFAULT_SIZES },
        k: { type: 'string', default: '10' },
        iters: { type: 'string', default: '20' },
        rounds: { type: 'string', default: '5' },
        'curve-iters': { type: 'string', default: '100' },
        backends: { type: 'string', default: 'webgpu,gpujs,cpu' },
        solvers: { type: 'string', default: 'cd,mu' },
        losses: { type: 'string', default: 'frobenius,kullback-leibler' },
        gemm: { type: 'string', default: '512' },
        profile: { type: 'string', default: 'auto' },
        'peak-gflops': { type: 'string' },
        browser: { type: 'string' },
        channel: { type: 'string' },
        'ws-endpoint': { type: 'string' },
        headful: { type: 'boolean', default: false },
        flag: { type: 'string', multiple: true, default: [] },
        serve: { type: 'boolean', default: false },
        port: { type: 'string', default: '0' },
        python: { type: 'string' },
        sklearn: { type: 'string' },
        'no-sklearn': { type: 'boolean', default: false },
        out: { type: 'string', default: 'bench/results' },
        render: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\s*\n\s*/g, ' '));
  }
  if (values.help) return 'help';

  const sizes = values.sizes.split(',').map((s): [number, number] => {
    const m = /^\s*(\d+)\s*[x×]\s*(\d+)\s*$/.exec(s);
    if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new UsageError(`--sizes: '${s}' is not ROWSxCOLS (e.g. 400x300)`);
    return [Number(m[1]), Number(m[2])];
  });
  let peakGflops: number | null = null;
  if (values['peak-gflops'] !== undefined) {
    peakGflops = Number(values['peak-gflops']);
    if (!(peakGflops > 0)) throw new UsageError(`--peak-gflops must be a positive number of GFLOP/s, got '${values['peak-gflops']}'`);
  }
  if (values.profile.includes(',')) throw new UsageError(`--profile takes one of auto, hardware, software, got '${values.profile}'`);
  const bench: BenchOptions = {
    sizes,
    k: integer('k', values.k, 1),
    iters: integer('iters', values.iters, 1),
    rounds: integer('rounds', values.rounds, 1),
    curveIters: integer('curve-iters', values['curve-iters'], 1),
    backends: list<BenchBackend>('backends', values.backends, ['webgpu', 'gpujs', 'cpu']),
    solvers: list<BenchSolver>('solvers', values.solvers, ['cd', 'mu']),
    losses: list<BenchLoss>('losses', values.losses, ['frobenius', 'kullback-leibler']),
    gemm: integer('gemm', values.gemm, 0),
    peakGflops,
    gpuProfile: list<'auto' | 'hardware' | 'software'>('profile', values.profile, ['auto', 'hardware', 'software'])[0],
  };
  for (const [m, n] of sizes) if (bench.k > Math.min(m, n)) throw new UsageError(`--k ${bench.k} is larger than min(${m}, ${n})`);
  if (!bench.solvers.includes('mu') && !bench.losses.includes('frobenius')) throw new UsageError("--losses kullback-leibler needs --solvers mu ('cd' is frobenius only): nothing to run");

  const picked = (['browser', 'channel', 'ws-endpoint'] as const).filter((f) => values[f] !== undefined);
  if (picked.length > 1) throw new UsageError(`--${picked.join(' and --')}: give one way to find the browser`);
  if (values['ws-endpoint'] !== undefined && (values.headful || values.flag.length > 0)) {
    throw new UsageError('--headful and --flag apply to a browser the bench launches; one at --ws-endpoint keeps the flags it was started with');
  }
  if (values.serve && (picked.length > 0 || values.headful || values.flag.length > 0)) {
    throw new UsageError('--serve runs no browser: open the URL it prints in the browser you want (with its own flags)');
  }
  let channel: Channel | null = null;
  if (values.channel !== undefined) {
    if (!(values.channel in CHANNELS)) throw new UsageError(`--channel: '${values.channel}' is not one of ${Object.keys(CHANNELS).join(', ')}`);
    channel = CHANNELS[values.channel as keyof typeof CHANNELS];
  }
  const sk = (['python', 'sklearn', 'no-sklearn'] as const).filter((f) => values[f] !== undefined && values[f] !== false);
  if (sk.length > 1) throw new UsageError(`--${sk.join(' and --')}: give one source of scikit-learn figures`);

  return {
    bench,
    browser: { browser: values.browser ?? null, channel, wsEndpoint: values['ws-endpoint'] ?? null, headful: values.headful, flags: values.flag },
    serve: values.serve ? { port: integer('port', values.port, 0) } : null,
    sklearn: { python: values.python ?? null, file: values.sklearn ?? null, skip: values['no-sklearn'] },
    out: resolve(values.out),
    render: values.render ?? null,
  };
}
