// Starting the worker: a module Web Worker where the platform has `Worker` (browsers, Deno, Bun), a
// worker_threads Worker in Node, both behind one small interface. The browser line is written in
// the one shape bundlers recognize, `new Worker(new URL('./x.js', import.meta.url), { type: 'module' })`:
// vite, webpack and parcel bundle the worker script from it; esbuild needs the script as one more
// entry point (README, "Fitting in a worker").

import { NMFError } from '../errors.js';
import type { FromWorker, ToWorker } from './protocol.js';

export interface WorkerPort {
  post(message: ToWorker, transfer?: ArrayBuffer[]): void;
  /** Node: a worker with calls pending keeps the process alive; an idle one does not */
  busy(busy: boolean): void;
  terminate(): void;
}

export interface WorkerEvents {
  message(m: FromWorker): void;
  /** the worker could not start, crashed, or sent something unreadable */
  failed(e: Error): void;
}

/** The worker script, next to this module (dist/webnmf-worker.js; src/worker/webnmf-worker.ts in the sources). */
const SCRIPT = './webnmf-worker.js';

export function startWorker(on: WorkerEvents): WorkerPort {
  if (typeof Worker === 'function') {
    const worker = new Worker(new URL('./webnmf-worker.js', import.meta.url), { type: 'module', name: 'webnmf' });
    worker.addEventListener('message', (e: MessageEvent<FromWorker>) => on.message(e.data));
    worker.addEventListener('messageerror', () => on.failed(new NMFError('A message from the webnmf worker could not be read.')));
    worker.addEventListener('error', (e: ErrorEvent) => {
      e.preventDefault(); // the caller hears of it through the rejected call instead
      on.failed(new NMFError(`The webnmf worker failed: ${e.message || `its script (${SCRIPT}) could not be loaded`}.`));
    });
    return { post: (m, transfer = []) => worker.postMessage(m, transfer), busy: () => {}, terminate: () => worker.terminate() };
  }
  return startNodeWorker(on);
}

function startNodeWorker(on: WorkerEvents): WorkerPort {
  const threads = typeof process === 'object' && typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule('node:worker_threads') : undefined;
  if (!threads) throw new NMFError('webnmf/worker needs Web Workers (browsers, Deno, Bun) or node:worker_threads (Node >= 20.16); this runtime has neither.');
  const url = new URL(SCRIPT, import.meta.url);
  // the worker takes the process's flags, but not --input-type (of `node --input-type=module -e`), which it refuses
  const execArgv = process.execArgv.filter((a, i, all) => !a.startsWith('--input-type') && all[i - 1] !== '--input-type');
  // Run from the TypeScript sources (the tests), the script is a .ts file that Node runs through tsx.
  const worker = import.meta.url.endsWith('.ts')
    ? new threads.Worker(`import('tsx/esm/api').then((tsx) => tsx.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(url.href)}));`, { eval: true, name: 'webnmf', execArgv })
    : new threads.Worker(url, { name: 'webnmf', execArgv });
  worker.unref();
  let closing = false;
  worker.on('message', (m: FromWorker) => on.message(m));
  worker.on('messageerror', () => on.failed(new NMFError('A message from the webnmf worker could not be read.')));
  worker.on('error', (e: Error) => on.failed(new NMFError(`The webnmf worker failed: ${e.message}`)));
  worker.on('exit', (code: number) => on.failed(new NMFError(`The webnmf worker exited (code ${code}).`)));
  return {
    post: (m, transfer = []) => worker.postMessage(m, transfer),
    busy: (busy) => (busy ? worker.ref() : worker.unref()),
    // worker.terminate() with a Dawn queue promise pending aborts the process: the worker ends itself
    // once its GPU work has run; terminate() only if it has not within 10 s (a hung call)
    terminate: () => {
      if (closing) return;
      closing = true;
      worker.unref();
      worker.postMessage({ type: 'close' } satisfies ToWorker);
      const hard = setTimeout(() => void worker.terminate(), 10_000);
      hard.unref();
      worker.once('exit', () => clearTimeout(hard));
    },
  };
}
