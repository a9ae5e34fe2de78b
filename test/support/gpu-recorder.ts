// A recording GPUDevice: the real device (Dawn + SwiftShader here) wrapped so that every compute
// dispatch encoded through it is recorded with its workgroup size (read from the WGSL of its pipeline,
// override constants applied), its grid and the buffers its bind group holds. With `dropSubmits` the
// command buffers are not submitted: plans for large X are built for real (buffers, pipelines, bind
// groups, all validated by the device) and their steps encoded, without SwiftShader running the work.
// Used by the plan-shape test (test/webgpu/plan-shape.test.ts) and the plan printer (bench:webgpu --plan).

export interface BoundBuffer {
  label: string;
  /** bytes bound: the buffer's, or the bound range's */
  size: number;
}

export interface RecordedDispatch {
  /** the bind group's label (webnmf labels it as the launch) */
  label: string;
  /** the pipeline's label (webnmf: shader.entry(constants)) */
  pipeline: string;
  workgroupSize: [number, number, number];
  /** invocations per workgroup */
  invocations: number;
  grid: [number, number, number];
  workgroups: number;
  buffers: BoundBuffer[];
  /** the bind group itself (callers may map it back to what made it) */
  bindGroup: GPUBindGroup;
}

export interface Recorder {
  device: GPUDevice;
  /** dispatches recorded since the last start() */
  dispatches: RecordedDispatch[];
  start(): void;
  stop(): RecordedDispatch[];
}

interface PipelineInfo {
  label: string;
  workgroupSize: [number, number, number];
}

/** Bind methods of a native object to it, so a Proxy can stand in for it (Dawn checks `this`). */
function forward<T extends object>(target: T, overrides: Record<string, unknown>): T {
  return new Proxy(target, {
    get(t, prop) {
      if (typeof prop === 'string' && prop in overrides) return overrides[prop];
      const v = Reflect.get(t, prop, t);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
}

export function recordingDevice(device: GPUDevice, options: { dropSubmits: boolean }): Recorder {
  const moduleCode = new WeakMap<GPUShaderModule, string>();
  const pipelines = new WeakMap<GPUComputePipeline, PipelineInfo>();
  const groups = new WeakMap<GPUBindGroup, { label: string; buffers: BoundBuffer[] }>();
  const dispatches: RecordedDispatch[] = [];
  let recording = false;

  const pass = (real: GPUComputePassEncoder): GPUComputePassEncoder => {
    let pipeline: PipelineInfo | undefined;
    let group: GPUBindGroup | undefined;
    return forward(real, {
      setPipeline(p: GPUComputePipeline) {
        pipeline = pipelines.get(p);
        real.setPipeline(p);
      },
      setBindGroup(index: number, g: GPUBindGroup) {
        if (index === 0) group = g;
        real.setBindGroup(index, g);
      },
      dispatchWorkgroups(x: number, y = 1, z = 1) {
        if (recording) {
          if (!pipeline || !group) throw new Error('gpu-recorder: a dispatch without a recorded pipeline or bind group');
          const g = groups.get(group);
          const [sx, sy, sz] = pipeline.workgroupSize;
          dispatches.push({
            label: g?.label ?? '?', pipeline: pipeline.label, workgroupSize: pipeline.workgroupSize, invocations: sx * sy * sz,
            grid: [x, y, z], workgroups: x * y * z, buffers: g?.buffers ?? [], bindGroup: group,
          });
        }
        real.dispatchWorkgroups(x, y, z);
      },
    });
  };
  const encoder = (real: GPUCommandEncoder): GPUCommandEncoder =>
    forward(real, { beginComputePass: (d?: GPUComputePassDescriptor) => pass(real.beginComputePass(d)) });
  const realQueue = device.queue;
  const queue = forward(realQueue, {
    submit: (buffers: GPUCommandBuffer[]) => (options.dropSubmits ? undefined : realQueue.submit(buffers)),
  });

  const wrapped = forward(device, {
    queue,
    createShaderModule(d: GPUShaderModuleDescriptor) {
      const m = device.createShaderModule(d);
      moduleCode.set(m, d.code);
      return m;
    },
    createComputePipeline(d: GPUComputePipelineDescriptor) {
      const p = device.createComputePipeline(d);
      const code = moduleCode.get(d.compute.module);
      if (code === undefined) throw new Error('gpu-recorder: a pipeline from a module made on another device');
      const constants = (d.compute.constants ?? {}) as Record<string, number>;
      pipelines.set(p, { label: d.label ?? '?', workgroupSize: workgroupSize(code, d.compute.entryPoint ?? 'main', constants) });
      return p;
    },
    createBindGroup(d: GPUBindGroupDescriptor) {
      const g = device.createBindGroup(d);
      const buffers: BoundBuffer[] = [];
      for (const e of d.entries) {
        const { buffer, offset = 0, size } = e.resource as GPUBufferBinding;
        if (buffer) buffers.push({ label: buffer.label, size: size ?? buffer.size - offset });
      }
      groups.set(g, { label: d.label ?? '?', buffers });
      return g;
    },
    createCommandEncoder: (d?: GPUCommandEncoderDescriptor) => encoder(device.createCommandEncoder(d)),
  });

  return {
    device: wrapped,
    dispatches,
    start() {
      dispatches.length = 0;
      recording = true;
    },
    stop() {
      recording = false;
      return [...dispatches];
    },
  };
}

/**
 * The @workgroup_size of `entry` in `code`, its expressions evaluated with the pipeline's override
 * constants, the overrides' defaults and the module's consts (WGSL integer arithmetic: + − * / ( )).
 */
export function workgroupSize(code: string, entry: string, constants: Record<string, number>): [number, number, number] {
  const m = new RegExp(`@workgroup_size\\(([^)]*(?:\\([^)]*\\)[^)]*)*)\\)\\s*fn\\s+${entry}\\s*\\(`).exec(code);
  if (!m) throw new Error(`gpu-recorder: no @workgroup_size for entry point ${entry}`);
  const decls = new Map<string, string>();
  for (const d of code.matchAll(/(?:override|const)\s+(\w+)\s*(?::\s*\w+)?\s*=\s*([^;]+);/g)) decls.set(d[1], d[2]);
  const value = (expr: string, depth = 0): number => {
    if (depth > 20) throw new Error(`gpu-recorder: cannot evaluate ${expr}`);
    const text = expr.replace(/\b([A-Za-z_]\w*)\b/g, (name) => {
      if (name === 'u32' || name === 'i32') return '';
      if (name in constants) return String(Number(constants[name]));
      const d = decls.get(name);
      if (d === undefined) throw new Error(`gpu-recorder: ${name} has no value in @workgroup_size of ${entry}`);
      return `(${value(d, depth + 1)})`;
    }).replace(/(\d+)u\b/g, '$1');
    if (!/^[\d\s+\-*/().]*$/.test(text)) throw new Error(`gpu-recorder: cannot evaluate ${expr}`);
    return Math.trunc(Function(`return (${text});`)() as number);
  };
  const dims = splitTopLevel(m[1]).map((e) => value(e));
  return [dims[0] ?? 1, dims[1] ?? 1, dims[2] ?? 1];
}

function splitTopLevel(args: string): string[] {
  const out: string[] = [];
  let depth = 0, cur = '';
  for (const ch of args) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}
