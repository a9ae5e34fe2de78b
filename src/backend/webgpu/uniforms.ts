// Uniform structs laid out from the WGSL itself: the first `struct Params { … }` of a shader is
// parsed, so no byte offset is typed by hand. Only 4-byte scalars (u32, i32, f32) are allowed,
// which keeps the layout rule trivial: field i sits at byte 4·i, the struct is padded to 16.

export interface UniformLayout {
  readonly fields: ReadonlyMap<string, { index: number; type: 'u32' | 'i32' | 'f32' }>;
  readonly bytes: number;
}

const layouts = new Map<string, UniformLayout>();

export function uniformLayout(wgsl: string, struct = 'Params'): UniformLayout {
  const key = `${struct}\n${wgsl}`;
  const cached = layouts.get(key);
  if (cached) return cached;
  const body = new RegExp(`struct\\s+${struct}\\s*\\{([^}]*)\\}`).exec(wgsl)?.[1];
  if (body === undefined) throw new Error(`webnmf internal: no struct ${struct} in shader`);
  const fields = new Map<string, { index: number; type: 'u32' | 'i32' | 'f32' }>();
  for (const decl of body.replace(/\/\/.*$/gm, '').split(',').map((d) => d.trim()).filter(Boolean)) {
    const m = /^(\w+)\s*:\s*(\w+)$/.exec(decl);
    if (!m || !['u32', 'i32', 'f32'].includes(m[2])) throw new Error(`webnmf internal: unsupported uniform field '${decl}'`);
    fields.set(m[1], { index: fields.size, type: m[2] as 'u32' | 'i32' | 'f32' });
  }
  const layout = { fields, bytes: Math.ceil((fields.size * 4) / 16) * 16 };
  layouts.set(key, layout);
  return layout;
}

/** Host copy of one uniform buffer: set fields by name, then write() (no allocation per write; skipped when nothing changed). */
export class UniformBlock {
  private readonly data: ArrayBuffer;
  private readonly u32: Uint32Array;
  private readonly i32: Int32Array;
  private readonly f32: Float32Array;
  /** the host copy differs from the buffer's contents */
  private dirty = true;

  constructor(readonly layout: UniformLayout, readonly buffer: GPUBuffer) {
    this.data = new ArrayBuffer(layout.bytes);
    this.u32 = new Uint32Array(this.data);
    this.i32 = new Int32Array(this.data);
    this.f32 = new Float32Array(this.data);
  }

  set(values: Record<string, number | boolean>): this {
    for (const name in values) {
      const f = this.layout.fields.get(name);
      if (!f) throw new Error(`webnmf internal: uniform has no field '${name}'`);
      const v = Number(values[name]);
      const before = this.u32[f.index];
      if (f.type === 'f32') this.f32[f.index] = v;
      else if (f.type === 'i32') this.i32[f.index] = v;
      else this.u32[f.index] = v;
      if (this.u32[f.index] !== before) this.dirty = true;
    }
    return this;
  }

  /** Upload the host copy, unless it is what the buffer already holds (steps repeat l1, l2, γ). */
  write(queue: GPUQueue): void {
    if (!this.dirty) return;
    queue.writeBuffer(this.buffer, 0, this.data);
    this.dirty = false;
  }
}
