// The public types name a few platform globals. Declared here (members they share with the DOM
// library, @webgpu/types and @types/node, so they merge with those) the declarations compile with
// lib ES2022 alone; where the full types are present, those are what users see. Both entries
// (index.ts, worker/index.ts) import this file, so both declaration files carry it.

declare global {
  interface GPUDevice {
    destroy(): undefined;
  }
  interface AbortSignal {
    readonly aborted: boolean;
  }
  interface Blob {
    readonly size: number;
  }
  /** webnmf/worker's estimators end their worker on [Symbol.dispose] (`using`), where the runtime has it */
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

export {};
