// Counts of WebGPU calls (and the host time spent inside them), measured from outside webnmf: the
// prototype methods of GPUDevice, GPUQueue and GPUBuffer are wrapped while a counter is installed (Dawn may hand out a fresh queue wrapper per
// `device.queue` access, so instances are not patched). Everything on the device counts, so install
// a counter only while webnmf alone runs.

const COUNTED = {
  device: ['createBuffer', 'createBindGroup', 'createCommandEncoder', 'createComputePipeline', 'createShaderModule'],
  queue: ['submit', 'writeBuffer'],
  buffer: ['mapAsync'],
} as const;

export type CountName = (typeof COUNTED)[keyof typeof COUNTED][number];
export type Counts = Record<CountName, number>;

const MAP_READ = 0x0001, COPY_DST = 0x0008;

export class GpuCallCounter {
  private counts: Counts = GpuCallCounter.zero();
  /** ms spent inside each call (for mapAsync: until its promise is returned, not resolved) */
  private times: Counts = GpuCallCounter.zero();
  private restore: (() => void)[] = [];

  constructor(private readonly device: GPUDevice) {}

  static zero(): Counts {
    const out = {} as Counts;
    for (const names of Object.values(COUNTED)) for (const n of names) out[n] = 0;
    return out;
  }

  install(): this {
    if (this.restore.length > 0) return this;
    const probe = this.device.createBuffer({ size: 16, usage: MAP_READ | COPY_DST, label: 'bench:probe' });
    const protos: Record<keyof typeof COUNTED, object> = {
      device: Object.getPrototypeOf(this.device),
      queue: Object.getPrototypeOf(this.device.queue),
      buffer: Object.getPrototypeOf(probe),
    };
    probe.destroy();
    for (const [kind, names] of Object.entries(COUNTED) as [keyof typeof COUNTED, readonly CountName[]][]) {
      const proto = protos[kind] as Record<string, unknown>;
      for (const name of names) {
        const original = proto[name] as (...args: unknown[]) => unknown;
        const self = () => this;
        proto[name] = function (this: unknown, ...args: unknown[]) {
          const t0 = performance.now();
          try {
            return original.apply(this, args);
          } finally {
            const c = self();
            c.counts[name]++;
            c.times[name] += performance.now() - t0;
          }
        };
        this.restore.push(() => (proto[name] = original));
      }
    }
    return this;
  }

  uninstall(): void {
    for (const undo of this.restore.splice(0)) undo();
  }

  reset(): void {
    this.counts = GpuCallCounter.zero();
    this.times = GpuCallCounter.zero();
  }

  snapshot(): Counts {
    return { ...this.counts };
  }

  timesMs(): Counts {
    return { ...this.times };
  }

  /** Run fn with the counter installed and reset; return its result and the counts it caused. */
  async during<T>(fn: () => Promise<T>): Promise<{ result: T; counts: Counts; timesMs: Counts }> {
    this.install();
    this.reset();
    try {
      const result = await fn();
      return { result, counts: this.snapshot(), timesMs: this.timesMs() };
    } finally {
      this.uninstall();
    }
  }
}
