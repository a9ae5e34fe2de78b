// Saved models: the plain, versioned objects that toJSON() returns and fromJSON() reads back (the
// README's "Saving and loading models" documents the layout). Every rule of the format lives here:
// the envelope ({ format, version }), float arrays as { dtype, shape, data } with data the base64 of
// the array's bytes in little-endian order, and the checks that turn a bad file into an
// InvalidParameterError naming the field. Browser-safe: base64 through atob/btoa.

import { InvalidParameterError } from './errors.js';
import type { DenseMatrix, FloatArray } from './matrix/matrix.js';
import { resolveOptions, type ParamName, type ResolvedOptions } from './params.js';

/** The format version this webnmf writes, and the newest it reads. */
export const MODEL_FORMAT_VERSION = 1;

export type ModelFormat = 'webnmf.NMF' | 'webnmf.MiniBatchNMF' | 'webnmf.TfidfVectorizer';

/** A float array: its dtype, its shape (row-major), and its bytes, little-endian, in base64. */
export interface SavedArray {
  dtype: 'float64' | 'float32';
  shape: number[];
  data: string;
}

/** What every saved object starts with. */
export interface SavedEnvelope<F extends ModelFormat> {
  format: F;
  version: number;
}

/** Options that are objects of this process (a device, a signal, callbacks): never saved. */
const UNSAVED_OPTIONS: readonly string[] = ['device', 'signal', 'onProgress', 'onWarning'];
/** What fromJSON's second argument may set: the unsaved options, and where and how verbosely the model runs. */
export const LOAD_OPTIONS = ['backend', 'gpuProfile', 'device', 'signal', 'onProgress', 'onWarning', 'verbose', 'checkEvery'] as const;
/** Options added after version 1 was first written, and what a file without them meant (their default then). */
const ADDED_SINCE: Readonly<Record<string, unknown>> = { gpuProfile: 'auto' };
export type LoadOption = (typeof LOAD_OPTIONS)[number];

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const ITEM_SIZE = { float64: 8, float32: 4 } as const;

/** The bytes of `a` in little-endian order (a byte swap only on a big-endian machine). */
function littleEndianBytes(a: FloatArray): Uint8Array {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return LITTLE_ENDIAN ? bytes : swapBytes(bytes, a.BYTES_PER_ELEMENT);
}

function swapBytes(bytes: Uint8Array, size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.length);
  for (let p = 0; p < bytes.length; p += size) for (let b = 0; b < size; b++) out[p + b] = bytes[p + size - 1 - b];
  return out;
}

/** Characters per String.fromCharCode call: large enough to be fast, small enough for any engine's argument limit. */
const CHUNK = 0x8000;

function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let p = 0; p < bytes.length; p += CHUNK) parts.push(String.fromCharCode(...bytes.subarray(p, p + CHUNK)));
  return btoa(parts.join(''));
}

export function encodeArray(a: FloatArray, shape: number[]): SavedArray {
  return { dtype: a instanceof Float32Array ? 'float32' : 'float64', shape, data: toBase64(littleEndianBytes(a)) };
}

export function encodeMatrix(m: DenseMatrix): SavedArray {
  return encodeArray(m.data, [m.rows, m.cols]);
}

/** Reads a saved object's fields, each error naming the field by its path ('fitted.components.shape'). */
export class ModelReader {
  constructor(readonly what: string) {}

  fail(path: string, rule: string): never {
    throw new InvalidParameterError(path, `The saved ${this.what}'s '${path}' ${rule}.`);
  }

  /** obj[key], required unless `optional` (then null or absent gives null). */
  field(obj: Record<string, unknown>, path: string, optional = false): unknown {
    const key = path.slice(path.lastIndexOf('.') + 1);
    const v = obj[key];
    if (v === undefined || (optional && v === null)) {
      if (optional) return null;
      this.fail(path, 'is missing');
    }
    return v;
  }

  object(obj: Record<string, unknown>, path: string, optional = false): Record<string, unknown> | null {
    const v = this.field(obj, path, optional);
    if (v === null && optional) return null;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, `must be an object. Got ${describe(v)} instead`);
    return v as Record<string, unknown>;
  }

  int(obj: Record<string, unknown>, path: string, min = 0, optional = false): number | null {
    const v = this.field(obj, path, optional);
    if (v === null && optional) return null;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) this.fail(path, `must be an int in the range [${min}, inf). Got ${describe(v)} instead`);
    return v as number;
  }

  number(obj: Record<string, unknown>, path: string, optional = false): number | null {
    const v = this.field(obj, path, optional);
    if (v === null && optional) return null;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(path, `must be a finite number. Got ${describe(v)} instead`);
    return v as number;
  }

  /** A float array of exactly `shape`, as saved (float64 or float32); `nonNegative` refuses negative entries. */
  array(obj: Record<string, unknown>, path: string, shape: number[], nonNegative: boolean): FloatArray {
    const saved = this.object(obj, path)!;
    const dtype = saved.dtype;
    if (dtype !== 'float64' && dtype !== 'float32') this.fail(`${path}.dtype`, `must be 'float64' or 'float32'. Got ${describe(dtype)} instead`);
    const got = saved.shape;
    if (!Array.isArray(got) || got.length !== shape.length || got.some((d, i) => d !== shape[i])) {
      this.fail(`${path}.shape`, `must be [${shape.join(', ')}]. Got ${Array.isArray(got) ? `[${got.join(', ')}]` : describe(got)} instead`);
    }
    if (typeof saved.data !== 'string') this.fail(`${path}.data`, `must be a base64 string. Got ${describe(saved.data)} instead`);
    const size = ITEM_SIZE[dtype as 'float64' | 'float32'];
    const count = shape.reduce((a, b) => a * b, 1);
    let binary: string;
    try {
      binary = atob(saved.data as string);
    } catch {
      this.fail(`${path}.data`, 'is not valid base64');
    }
    if (binary.length !== count * size) {
      this.fail(`${path}.data`, `must hold ${count} ${dtype} values (${count * size} bytes). Got ${binary.length} bytes instead`);
    }
    let bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    if (!LITTLE_ENDIAN) bytes = swapBytes(bytes, size);
    const a = dtype === 'float32' ? new Float32Array(bytes.buffer) : new Float64Array(bytes.buffer);
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i]) || (nonNegative && a[i] < 0)) {
        this.fail(`${path}.data`, `must hold finite${nonNegative ? ', non-negative' : ''} values. Got ${a[i]} at flat index ${i}`);
      }
    }
    return a;
  }

  matrix(obj: Record<string, unknown>, path: string, rows: number, cols: number): DenseMatrix {
    return { rows, cols, data: this.array(obj, path, [rows, cols], true) };
  }
}

function describe(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : String(v);
}

const FORMAT_LOADERS: Record<ModelFormat, string> = {
  'webnmf.NMF': 'NMF.fromJSON',
  'webnmf.MiniBatchNMF': 'MiniBatchNMF.fromJSON',
  'webnmf.TfidfVectorizer': 'TfidfVectorizer.fromJSON',
};

/** Checks the envelope (an object, our format, a version this code reads); returns the object. */
export function openSaved(json: unknown, format: ModelFormat, reader: ModelReader): Record<string, unknown> {
  const loader = FORMAT_LOADERS[format];
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InvalidParameterError('json', `${loader} takes the object that toJSON() returned (or JSON.parse of it). Got ${describe(json)} instead.`);
  }
  const obj = json as Record<string, unknown>;
  const given = obj.format;
  if (given !== format) {
    const other = FORMAT_LOADERS[given as ModelFormat];
    throw new InvalidParameterError(
      'format',
      other ? `${loader} reads '${format}' models; this one is '${String(given)}': load it with ${other}.`
        : `This is not a saved webnmf ${reader.what}: its 'format' must be '${format}'. Got ${describe(given)} instead.`,
    );
  }
  const version = reader.int(obj, 'version', 1)!;
  if (version > MODEL_FORMAT_VERSION) {
    throw new InvalidParameterError(
      'version',
      `This ${reader.what} was saved in format version ${version}, by a newer webnmf; this webnmf reads versions up to ${MODEL_FORMAT_VERSION}. Update webnmf to load it.`,
    );
  }
  return obj;
}

/** The options worth saving: every one the estimator takes but the objects of this process. */
export function savedParams(o: ResolvedOptions, allowed: readonly ParamName[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of allowed) if (!UNSAVED_OPTIONS.includes(name)) out[name] = o[name];
  return out;
}

/**
 * The saved params with the caller's load options on top, checked by the estimator's own table:
 * a bad saved value is named 'params.<name>', a bad load option by its name.
 */
function loadParams<T extends object>(reader: ModelReader, saved: Record<string, unknown>, load: T, allowed: readonly ParamName[], caller: string): Record<string, unknown> & T {
  const loadable = LOAD_OPTIONS.filter((o) => allowed.includes(o));
  for (const key of Object.keys(load)) {
    if (!(loadable as string[]).includes(key)) {
      throw new InvalidParameterError(key, `Unknown option '${key}' for ${caller}.fromJSON. Valid options are: ${loadable.join(', ')}.`);
    }
  }
  for (const [name, meant] of Object.entries(ADDED_SINCE)) if (allowed.includes(name as ParamName) && !(name in saved)) saved = { ...saved, [name]: meant };
  for (const key of Object.keys(saved)) if (UNSAVED_OPTIONS.includes(key)) reader.fail(`params.${key}`, 'is never saved (it is an object of the process that ran the model)');
  for (const name of allowed) if (!UNSAVED_OPTIONS.includes(name)) reader.field(saved, `params.${name}`);
  try {
    resolveOptions(saved, allowed, caller);
  } catch (e) {
    if (e instanceof InvalidParameterError) throw new InvalidParameterError(`params.${e.parameter}`, `The saved ${reader.what}'s params: ${e.message}`);
    throw e;
  }
  const params = { ...saved, ...load };
  resolveOptions(params, allowed, caller);
  return params;
}

/** A saved estimator, read as far as every estimator's file goes: its options, and the fitted part's shape. */
export interface EstimatorFile {
  read: ModelReader;
  /** the saved options with the load options on top, checked */
  params: Record<string, unknown>;
  /** null: saved before any fit */
  fitted: { fit: Record<string, unknown>; k: number; n: number } | null;
}

export function readEstimator(json: unknown, format: 'webnmf.NMF' | 'webnmf.MiniBatchNMF', load: object, allowed: readonly ParamName[]): EstimatorFile {
  const caller = format.slice('webnmf.'.length);
  const read = new ModelReader(caller);
  const saved = openSaved(json, format, read);
  const params = loadParams(read, read.object(saved, 'params')!, load, allowed, caller);
  const fit = read.object(saved, 'fitted', true);
  if (!fit) return { read, params, fitted: null };
  const k = read.int(fit, 'fitted.nComponentsOut', 1)!;
  if (typeof params.nComponents === 'number' && params.nComponents !== k) read.fail('fitted.nComponentsOut', `must equal params.nComponents (${params.nComponents}). Got ${k} instead`);
  return { read, params, fitted: { fit, k, n: read.int(fit, 'fitted.nFeaturesIn', 1)! } };
}
