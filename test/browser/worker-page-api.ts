// What the worker page (worker-page/main.ts) exposes on `window.webnmfWorker` for worker.test.ts:
// each check runs the same thing on the page's thread and in a WorkerNMF (a module Web Worker) and
// reports how the two compare.

/** Where two arrays first differ (-1: nowhere, same dtype, same bits). */
export interface Comparison {
  dtypes: [string, string];
  firstDifference: number;
}

export interface FitReport {
  W: Comparison;
  components: Comparison;
  transform: Comparison;
  inverseTransform: Comparison;
  sameAttributes: boolean;
  backendUsed: string;
  /** iterations reported by onProgress: on the page's thread, through the worker */
  progress: [number[], number[]];
  sameJSON: boolean;
}

export interface AbortReport {
  /** the call rejected with the signal's own reason */
  rejectedWithReason: boolean;
  buffersDuring: number | null;
  buffersAfter: number | null;
  iterationsReported: number;
}

/** [name, message, parameter] of the error on the page's thread, then through the worker. */
export type ErrorPair = [[string, string, string | undefined], [string, string, string | undefined]];

export interface WorkerPageApi {
  errors: string[];
  fit(options: Record<string, unknown>): Promise<FitReport>;
  abort(): Promise<AbortReport>;
  twoAtOnce(): Promise<[Comparison, Comparison]>;
  errorPairs(): Promise<ErrorPair[]>;
  /** a model saved in Node, loaded into the page and into a worker: transform of X2 as numbers */
  load(saved: unknown, X2: number[][]): Promise<{ page: number[]; worker: number[]; dtype: string }>;
  miniBatch(): Promise<{ components: Comparison; nSteps: [number, number] }>;
}

declare global {
  interface Window {
    webnmfWorker?: WorkerPageApi;
  }
}
