// What both commands do around a fit: choose the backend ('auto' settled here) and name it first on
// stderr, draw the progress bar, turn Ctrl-C into an abort, print the library's warnings after.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { isSoftwareAdapter, type AdapterIdentity } from '../backend/adapter.js';
import { acquireBackend } from '../backend/select.js';
import type { NMFWarning } from '../errors.js';
import type { BackendName, GpuProfile, ProgressInfo } from '../params.js';
import { CliError } from './errors.js';
import { progressBar } from './progress.js';

/**
 * Which adapter WebGPU would offer, asked in a child process: Dawn prints driver chatter on
 * stderr (about XDG_RUNTIME_DIR, refused Vulkan drivers) that would bury the CLI's own lines, so
 * this process loads Dawn only when there is an adapter to use. null: no adapter (or no Dawn).
 */
async function probeAdapter(): Promise<AdapterIdentity | null> {
  let dawn: string;
  try {
    dawn = import.meta.resolve('webgpu');
  } catch {
    return null;
  }
  const script = `const d = await import(${JSON.stringify(dawn)});
const a = await d.create([]).requestAdapter({ powerPreference: 'high-performance' });
const i = a?.info;
process.stdout.write(JSON.stringify(i ? { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, isFallbackAdapter: !!i.isFallbackAdapter } : null));
process.exit(0);`;
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 30_000 });
    return JSON.parse(stdout) as AdapterIdentity | null;
  } catch {
    return null;
  }
}

export interface ChosenBackend {
  backend: BackendName;
  /** the first stderr line: where the fit runs */
  line: string;
  description: string;
}

/**
 * The backend the fit will run on. For 'auto' this is the library's rule (WebGPU on a hardware
 * adapter, else the CPU), settled before the fit so that the CPU case never loads Dawn; the fit
 * then gets the backend named here (backends are cached per process).
 */
export async function chooseBackend(requested: unknown, gpuProfile?: unknown): Promise<ChosenBackend> {
  const cpu = (note = ''): ChosenBackend => ({ backend: 'cpu', description: 'cpu (float64)', line: `webnmf: running on cpu (float64)${note}` });
  if (requested === 'gpujs') {
    const chosen = await acquireBackend('gpujs', null);
    return { backend: 'gpujs', description: chosen.description, line: `webnmf: running on ${chosen.description}` };
  }
  if (requested === 'cpu' || (requested !== 'auto' && requested !== 'webgpu' && requested !== undefined)) return cpu();
  const adapter = await probeAdapter();
  if (requested === 'webgpu' && adapter === null) {
    throw new CliError("--backend webgpu: WebGPU is not available here: no adapter (no GPU, or no Vulkan/Metal/D3D12 driver; in Node, VK_ICD_FILENAMES may point at a SwiftShader ICD). Use --backend auto or cpu to run without a GPU.");
  }
  if (requested !== 'webgpu' && (adapter === null || isSoftwareAdapter(adapter))) {
    const name = adapter && [adapter.vendor, adapter.architecture, adapter.description].filter(Boolean).join(' ');
    return cpu(adapter === null ? " ('auto': no WebGPU adapter)" : ` ('auto' passes over the software adapter ${name})`);
  }
  // a bad gpuProfile is refused by the fit itself, with the library's message
  const profile = (['auto', 'hardware', 'software'] as unknown[]).includes(gpuProfile) ? (gpuProfile as GpuProfile) : 'auto';
  const chosen = await acquireBackend(requested === 'webgpu' ? 'webgpu' : 'auto', null, profile);
  return { backend: chosen.name, description: chosen.description, line: `webnmf: running on ${chosen.description}` };
}

export interface FitHooks {
  onProgress(info: ProgressInfo): void;
  onWarning(w: NMFWarning): void;
  signal: AbortSignal;
  /** stop the bar and release Ctrl-C; after a fit that succeeded, print the warnings */
  finish(succeeded: boolean): void;
}

/**
 * The backend line goes out when the fit reports its first iteration (or when it ends, if it
 * never reports), so options or data the fit refuses give one line on stderr: the error.
 */
export function fitHooks(maxIter: number, backendLine: string): FitHooks {
  const bar = progressBar(maxIter);
  const warnings: NMFWarning[] = [];
  const controller = new AbortController();
  // The first Ctrl-C aborts the fit (it stops within a check interval); a second one leaves at once.
  const onSigint = () => {
    if (!controller.signal.aborted) return controller.abort(new CliError('interrupted', 130));
    bar.stop();
    process.stderr.write('webnmf: interrupted (twice): exiting now\n');
    process.exit(130);
  };
  process.on('SIGINT', onSigint);
  let announced = false;
  const announce = () => {
    if (!announced) process.stderr.write(`${backendLine}\n`);
    announced = true;
  };
  return {
    onProgress(info) {
      announce();
      bar.update(info);
    },
    onWarning: (w) => warnings.push(w),
    signal: controller.signal,
    finish(succeeded) {
      bar.stop();
      process.off('SIGINT', onSigint);
      if (!succeeded) return;
      announce();
      for (const w of warnings) process.stderr.write(`webnmf: ${w.category}: ${w.message}\n`);
    },
  };
}
