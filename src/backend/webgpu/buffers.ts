// Every GPU buffer webnmf creates comes from here: labelled, counted per device, freed together.
// The live count lets tests prove a fit leaves nothing behind.

/** GPUBufferUsage / GPUMapMode values (fixed by the spec), so Node needs no injected globals. */
export const Usage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;
export const MAP_READ_MODE = 0x0001;

interface Counter {
  count: number;
  bytes: number;
  /** the most bytes live at once since the last resetPeakBufferBytes */
  peak: number;
}
const live = new WeakMap<GPUDevice, Counter>();

/** Buffers created by webnmf on this device and not yet destroyed. */
export function liveBufferCount(device: GPUDevice): number {
  return live.get(device)?.count ?? 0;
}

/** Bytes of webnmf's buffers on this device: live now, and at most at once since the last reset. */
export function bufferBytes(device: GPUDevice): { live: number; peak: number } {
  const c = live.get(device);
  return { live: c?.bytes ?? 0, peak: c?.peak ?? 0 };
}

export function resetPeakBufferBytes(device: GPUDevice): void {
  const c = live.get(device);
  if (c) c.peak = c.bytes;
}

/** The buffers of one fit: created up front, destroyed together by destroyAll(). */
export class BufferSet {
  private readonly owned = new Set<GPUBuffer>();
  private readonly counter: Counter;

  constructor(private readonly device: GPUDevice) {
    let c = live.get(device);
    if (!c) live.set(device, (c = { count: 0, bytes: 0, peak: 0 }));
    this.counter = c;
  }

  /** A buffer of at least `bytes` (rounded up to 16: bindings want 4-byte multiples, uniforms 16). */
  create(label: string, bytes: number, usage: number): GPUBuffer {
    const size = Math.max(16, Math.ceil(bytes / 16) * 16);
    const buffer = this.device.createBuffer({ label, size, usage });
    this.track(buffer);
    return buffer;
  }

  storage(label: string, floats: number): GPUBuffer {
    return this.create(label, floats * 4, Usage.STORAGE | Usage.COPY_SRC | Usage.COPY_DST);
  }

  /** A storage buffer filled at creation (mappedAtCreation: no staging copy of the data). */
  upload(label: string, values: ArrayLike<number>, kind: 'f32' | 'u32'): GPUBuffer {
    const size = Math.max(16, Math.ceil((values.length * 4) / 16) * 16);
    const buffer = this.device.createBuffer({ label, size, usage: Usage.STORAGE | Usage.COPY_SRC | Usage.COPY_DST, mappedAtCreation: true });
    this.track(buffer);
    const range = buffer.getMappedRange();
    (kind === 'f32' ? new Float32Array(range) : new Uint32Array(range)).set(values);
    buffer.unmap();
    return buffer;
  }

  uniform(label: string, bytes: number): GPUBuffer {
    return this.create(label, bytes, Usage.UNIFORM | Usage.COPY_DST);
  }

  staging(label: string, bytes: number): GPUBuffer {
    return this.create(label, bytes, Usage.MAP_READ | Usage.COPY_DST);
  }

  destroyAll(): void {
    for (const b of this.owned) {
      b.destroy();
      this.counter.bytes -= b.size;
    }
    this.counter.count -= this.owned.size;
    this.owned.clear();
  }

  private track(buffer: GPUBuffer): void {
    this.owned.add(buffer);
    this.counter.count++;
    this.counter.bytes += buffer.size;
    this.counter.peak = Math.max(this.counter.peak, this.counter.bytes);
  }
}
