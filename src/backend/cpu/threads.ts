// Worker threads for the CPU kernels (workspace.ts). One pool of workers per JS thread, never keeping a
// Node process alive. A workspace whose memory is shared gets a Team: up to threads − 1 workers of
// the pool, started at the team's first call big enough to split, each holding its own instance
// of the kernels on that memory. workspace.ts cuts a call into chunks (argument lists for disjoint parts
// of the output); Team.run wakes the workers, and every thread, the calling one included, claims
// chunks from a shared counter until none is left, so a thread that wakes late or runs on a busy
// core simply takes fewer.
//
// The handover is int32 words in SharedArrayBuffers, each on its own 64-byte line:
//   worker slot  SIGNAL  bumped by the host at every assignment and message; an idle worker waits on it
//                STATE   IDLE → ASSIGNED (host) → RUNNING (worker, compareExchange) → DONE | FAILED,
//                        or ASSIGNED → TAKEN (host, compareExchange): the worker woke too late to help
//                POSTED  messages the host has posted to the worker; ACK: messages it has handled
//                TEAM    whose call an assignment is; COUNT: chunks the worker has run
//   team call    NEXT    the next chunk to claim (Atomics.add)
//                KERNEL (its index among the module's exports), CHUNKS, then ARGS: MAX_ARGS words per chunk
// The host writes the call before storing ASSIGNED, and returns only when no worker is RUNNING, so
// a worker that won ASSIGNED → RUNNING reads a call that stays put until it stores DONE.
//
// Messages (the worker's slot; a team's module, memory and call block; a release) are delivered only
// when a worker's handler returns to its event loop, so a worker stops serving calls while POSTED ≠
// its count. The host never waits for a worker to start (a browser may not start one until the main
// thread yields): a worker joins a team's calls once its ACK shows it holds the team's memory.
//
// Releasing a memory: a worker that drops its instance still holds the memory until its own garbage
// collector runs, which an idle worker may never do. So a worker left with no team is terminated,
// and a fresh one that never held a memory takes its place (a spare: unref'd like every worker, so
// it never keeps a Node process alive); the next team starts on it without waiting for a thread to
// boot (about 40 ms on 2 cores, a tenth of a small fit). A spare no team has taken for
// SPARE_WORKER_MS ends too. A worker shared with another live team drops the instance.

/** At most this many threads per workspace, however many cores there are. */
export const MAX_THREADS = 8;
/** At most this many chunks per call. */
export const MAX_CHUNKS = 64;
/**
 * A spare worker (one that replaced a worker whose memories were all released) ends after this
 * long without a team. Long enough that fits separated by other work (a benchmark's rounds, an
 * application's requests) find their threads started; an idle thread costs no CPU.
 */
export const SPARE_WORKER_MS = 60_000;

type Kernels = Record<string, (...args: number[]) => number | void>;

/** The words of a worker slot and of a team's call, and the kernel names; handed to the worker source as JSON. */
const LAYOUT = {
  SIGNAL: 0, STATE: 1, POSTED: 2, ACK: 3, TEAM: 4, COUNT: 5, SLOT_WORDS: 16,
  IDLE: 0, ASSIGNED: 1, RUNNING: 2, TAKEN: 3, DONE: 4, FAILED: 5,
  NEXT: 0, KERNEL: 16, CHUNKS: 17, ARGS: 18, MAX_ARGS: 11,
};
type Layout = typeof LAYOUT;
const { SIGNAL, STATE, POSTED, ACK, TEAM, COUNT, SLOT_WORDS, ASSIGNED, RUNNING, TAKEN, FAILED, NEXT, KERNEL, CHUNKS, ARGS, MAX_ARGS } = LAYOUT;
const CALL_WORDS = ARGS + MAX_CHUNKS * MAX_ARGS;

/**
 * After a call a worker polls SIGNAL this many times (about 50 µs) before it sleeps in
 * Atomics.wait, so the next call of a fit finds it awake: waking a sleeping thread takes tens of
 * µs, longer than a small call. The host polls a RUNNING worker as long before sleeping on it.
 */
const SPIN = 20000;

type Message =
  | { slot: SharedArrayBuffer }
  | { team: number; module: WebAssembly.Module; memory: WebAssembly.Memory; call: SharedArrayBuffer }
  | { team: number };

/**
 * The worker's whole program. Its source text (toString) becomes the worker script, so it refers to
 * nothing but its parameters and globals; no named inner functions either (tsx's keepNames would
 * wrap them in a helper the worker does not have).
 */
function workerMain(L: Layout, spin: number): void {
  const port = typeof process === 'object' && typeof process.getBuiltinModule === 'function'
    ? process.getBuiltinModule('node:worker_threads').parentPort
    : null;
  const target = (port ?? self) as unknown as { onmessage: (event: { data: Message }) => void };
  const teams = new Map<number, { kernels: Kernels; names: string[]; call: Int32Array<SharedArrayBuffer> }>();
  let slot: Int32Array<ArrayBufferLike> = new Int32Array(L.SLOT_WORDS);
  let received = 0;
  target.onmessage = (event) => {
    const message = event.data;
    if ('slot' in message) slot = new Int32Array(message.slot);
    else if ('memory' in message) {
      const instance = new WebAssembly.Instance(message.module, { env: { memory: message.memory } });
      const names = WebAssembly.Module.exports(message.module).map((e) => e.name);
      teams.set(message.team, { kernels: instance.exports as unknown as Kernels, names, call: new Int32Array(message.call) });
    } else teams.delete(message.team);
    Atomics.store(slot, L.ACK, ++received);
    for (;;) {
      const signal = Atomics.load(slot, L.SIGNAL);
      if (Atomics.load(slot, L.POSTED) !== received) return; // delivered once this handler returns
      if (Atomics.compareExchange(slot, L.STATE, L.ASSIGNED, L.RUNNING) === L.ASSIGNED) {
        let state = L.DONE;
        try {
          const { kernels, names, call } = teams.get(slot[L.TEAM]) as { kernels: Kernels; names: string[]; call: Int32Array };
          const kernel = kernels[names[call[L.KERNEL]]];
          const chunks = call[L.CHUNKS];
          for (let c = Atomics.add(call, L.NEXT, 1); c < chunks; c = Atomics.add(call, L.NEXT, 1)) {
            const a = L.ARGS + c * L.MAX_ARGS;
            kernel(call[a], call[a + 1], call[a + 2], call[a + 3], call[a + 4], call[a + 5], call[a + 6], call[a + 7], call[a + 8], call[a + 9], call[a + 10]);
            slot[L.COUNT]++;
          }
        } catch {
          state = L.FAILED;
        }
        Atomics.store(slot, L.STATE, state);
        Atomics.notify(slot, L.STATE);
      }
      for (let i = 0; i < spin && Atomics.load(slot, L.SIGNAL) === signal; i++);
      Atomics.wait(slot, L.SIGNAL, signal);
    }
  };
}

interface PoolWorker {
  readonly slot: Int32Array<SharedArrayBuffer>;
  /** Messages posted so far (mirrors the slot's POSTED word). */
  posted: number;
  /** Live teams holding a memory in this worker. */
  teams: number;
  /** Failed to start or crashed: never woken for a call again. */
  dead: boolean;
  post(message: Message): void;
  terminate(): void;
}

/** The pool: a worker per position (a team of t threads uses positions 0 … t − 2), null where none runs. */
const workers: (PoolWorker | null)[] = [];
/** Chunks run by workers since terminated (for workerChunks). */
let retiredChunks = 0;
/** Worker threads started so far (for workerThreads). */
let spawned = 0;

const nodeBuiltin = <T extends 'node:worker_threads' | 'node:os'>(name: T) =>
  typeof process === 'object' && typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule(name) : undefined;

/** Workers, shared memory and Atomics are all there (Node: always; a browser: when cross-origin isolated). */
export function threadsSupported(): boolean {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return false;
  if (nodeBuiltin('node:worker_threads') !== undefined) return true;
  return typeof Worker === 'function' && globalThis.crossOriginIsolated === true && typeof URL.createObjectURL === 'function';
}

/** The number of cores, at most MAX_THREADS. */
export function defaultThreads(): number {
  const cores = nodeBuiltin('node:os')?.availableParallelism() ?? globalThis.navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(MAX_THREADS, cores));
}

/** For tests and benchmarks only: chunks run by worker threads (not the calling thread) so far. */
export function workerChunks(): number {
  return workers.reduce((sum, w) => sum + (w === null ? 0 : Atomics.load(w.slot, COUNT)), retiredChunks);
}

/**
 * For tests and benchmarks only: worker threads running now (`live`), those of them holding no
 * memory (`spare`), and how many were ever started (`started`).
 */
export function workerThreads(): { live: number; spare: number; started: number } {
  const live = workers.filter((w): w is PoolWorker => w !== null && !w.dead);
  return { live: live.length, spare: live.filter((w) => w.teams === 0).length, started: spawned };
}

/** For tests only: ends the spare workers now (as SPARE_WORKER_MS without a team would). */
export function endSpareWorkers(): void {
  for (const [position, worker] of workers.entries()) {
    if (worker !== null && worker.teams === 0) {
      workers[position] = null;
      retire(worker);
    }
  }
}

let blockingAllowed: boolean | undefined;

/** Atomics.wait is forbidden on a browser's main thread; there the host polls instead. */
function canBlock(): boolean {
  if (blockingAllowed === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0); // value differs: returns at once
      blockingAllowed = true;
    } catch {
      blockingAllowed = false;
    }
  }
  return blockingAllowed;
}

const sharedInt32 = (words: number) => new Int32Array(new SharedArrayBuffer(words * Int32Array.BYTES_PER_ELEMENT));

/** Posts a message and wakes the worker, which returns to its event loop to receive it. */
function send(worker: PoolWorker, message: Message): void {
  if (worker.dead) return;
  worker.post(message);
  Atomics.store(worker.slot, POSTED, ++worker.posted);
  Atomics.add(worker.slot, SIGNAL, 1);
  Atomics.notify(worker.slot, SIGNAL, 1);
}

/** The worker script: workerMain called with the layout. */
const workerSource = (): string => `(${workerMain.toString()})(${JSON.stringify(LAYOUT)}, ${SPIN});\n`;
/** A browser's workers all load one blob: URL, made once. */
let workerUrl: string | undefined;

function spawn(position: number): PoolWorker {
  const name = `webnmf-cpu-${position + 1}`;
  const worker: PoolWorker = { slot: sharedInt32(SLOT_WORDS), posted: 0, teams: 0, dead: false, post: () => {}, terminate: () => {} };
  const nodeThreads = nodeBuiltin('node:worker_threads');
  try {
    if (nodeThreads !== undefined) {
      const thread = new nodeThreads.Worker(workerSource(), { eval: true, name });
      thread.unref(); // an idle pool never keeps the process alive
      thread.on('error', () => (worker.dead = true));
      thread.on('exit', () => (worker.dead = true));
      worker.post = (message) => thread.postMessage(message);
      worker.terminate = () => void thread.terminate();
    } else {
      workerUrl ??= URL.createObjectURL(new Blob([workerSource()], { type: 'text/javascript' }));
      const thread = new Worker(workerUrl, { name });
      thread.onerror = () => (worker.dead = true);
      worker.post = (message) => thread.postMessage(message);
      worker.terminate = () => thread.terminate();
    }
  } catch {
    worker.dead = true; // e.g. a content security policy without blob: workers
  }
  spawned++;
  workers[position] = worker;
  send(worker, { slot: worker.slot.buffer });
  return worker;
}

/** Replaces a worker just retired by a fresh one that holds no memory, ended if no team takes it in time. */
function spawnSpare(position: number): void {
  const spare = spawn(position);
  const timer = setTimeout(() => {
    if (spare.teams === 0 && workers[position] === spare) {
      workers[position] = null;
      retire(spare);
    }
  }, SPARE_WORKER_MS);
  (timer as { unref?: () => void }).unref?.(); // a spare never keeps a Node process alive
}

/** The worker threads of one workspace. */
export interface Team {
  /** Threads its kernels may use, the calling thread included. */
  readonly threads: number;
  /**
   * Threads ready to help now, the calling thread included. The first call starts the workers and
   * sends them `module` and `memory`; until they hold it (and after destroy) this is 1.
   */
  available(module: WebAssembly.Module, memory: WebAssembly.Memory): number;
  /**
   * Calls export `kernel` once per argument list in `chunks` (at most MAX_CHUNKS of MAX_ARGS
   * numbers) on up to `threads` threads, the calling one included with `kernels` (its own instance
   * on the same memory), and returns when all are done.
   */
  run(kernels: Kernels, kernel: string, chunks: number[][], threads: number): void;
  /** Starts the workers if need be; resolves once every one holds the memory (or failed to start). */
  ready(module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<void>;
  /** Workers release the memory; later calls run on the calling thread. Safe to call twice. */
  destroy(): void;
}

let nextTeamId = 1;

/** Releases the workers' hold on a memory that was collected without destroy(). */
const orphans = new FinalizationRegistry<Team>((team) => team.destroy());

/**
 * A team of up to `threads` − 1 workers for a shared memory `owner`: when that is collected, the
 * workers release the memory too. The team never holds the memory itself (available() and ready()
 * are handed it), or it would keep `owner` alive.
 */
export function createTeam(owner: object, threads: number): Team {
  const id = nextTeamId++;
  const call = sharedInt32(CALL_WORDS);
  let members: PoolWorker[] = [];
  let marks: number[] = []; // per member, the ACK at which it holds the memory
  let joined: PoolWorker[] = []; // members known to hold it
  let state: 'new' | 'started' | 'destroyed' = 'new';

  let names: string[] = []; // the module's exports: a call names its kernel by index
  const start = (module: WebAssembly.Module, memory: WebAssembly.Memory): void => {
    if (state !== 'new') return;
    state = 'started';
    names = WebAssembly.Module.exports(module).map((e) => e.name);
    members = Array.from({ length: threads - 1 }, (_, position) => {
      const worker = workers[position];
      return worker === null || worker === undefined || worker.dead ? spawn(position) : worker;
    });
    marks = members.map((worker) => {
      worker.teams++;
      send(worker, { team: id, module, memory, call: call.buffer });
      return worker.posted;
    });
  };
  const helpers = (): PoolWorker[] => {
    if (state !== 'started') return [];
    if (joined.length < members.length) joined = members.filter((w, i) => Atomics.load(w.slot, ACK) >= marks[i]);
    return joined;
  };

  const team: Team = {
    threads,
    available(module, memory) {
      start(module, memory);
      return 1 + helpers().reduce((live, w) => live + (w.dead ? 0 : 1), 0);
    },
    run(kernels, kernel, chunks, threads) {
      const run = kernels[kernel];
      call[KERNEL] = names.indexOf(kernel);
      call[CHUNKS] = chunks.length;
      for (let c = 0; c < chunks.length; c++) {
        for (let a = 0; a < MAX_ARGS; a++) call[ARGS + c * MAX_ARGS + a] = chunks[c][a] ?? 0;
      }
      Atomics.store(call, NEXT, 0);
      const woken = helpers().filter((w) => !w.dead).slice(0, threads - 1);
      for (const { slot } of woken) {
        slot[TEAM] = id;
        Atomics.store(slot, STATE, ASSIGNED);
        Atomics.add(slot, SIGNAL, 1);
        Atomics.notify(slot, SIGNAL, 1);
      }
      let failed = false;
      try {
        for (let c = Atomics.add(call, NEXT, 1); c < chunks.length; c = Atomics.add(call, NEXT, 1)) run(...chunks[c]);
      } finally {
        // Return only when no worker is inside the call, even if ours threw: the next call
        // rewrites the words a worker reads.
        Atomics.store(call, NEXT, chunks.length);
        for (const { slot } of woken) {
          if (Atomics.compareExchange(slot, STATE, ASSIGNED, TAKEN) !== ASSIGNED && waitWhileRunning(slot) === FAILED) failed = true;
        }
      }
      if (failed) throw new Error(`A worker thread failed in the WebAssembly kernel ${kernel}.`);
    },
    async ready(module, memory) {
      start(module, memory);
      while (state === 'started' && members.some((w, i) => !w.dead && Atomics.load(w.slot, ACK) < marks[i])) {
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    },
    destroy() {
      if (state === 'destroyed') return;
      orphans.unregister(team);
      if (state === 'started') {
        for (const [position, worker] of members.entries()) {
          if (--worker.teams > 0) send(worker, { team: id });
          else {
            const current = workers[position] === worker;
            if (current) workers[position] = null;
            const healthy = !worker.dead;
            retire(worker);
            if (current && healthy) spawnSpare(position);
          }
        }
      }
      state = 'destroyed';
    },
  };
  orphans.register(owner, team, team);
  return team;
}

/** Terminates a worker that holds no live team: the only sure way to free the memories it held. */
function retire(worker: PoolWorker): void {
  retiredChunks += Atomics.load(worker.slot, COUNT);
  worker.dead = true;
  worker.terminate();
}

/** Waits while a worker is RUNNING (polling first: it is finishing its last chunk); returns its final STATE. */
function waitWhileRunning(slot: Int32Array<SharedArrayBuffer>): number {
  for (let spin = 0; ; spin++) {
    const state = Atomics.load(slot, STATE);
    if (state !== RUNNING) return state;
    if (spin >= SPIN && canBlock()) Atomics.wait(slot, STATE, RUNNING);
  }
}
