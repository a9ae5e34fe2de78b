// What a backend can run, declared once on each backend (its `supports`), and the one check of it:
// a fit states what it needs, backend 'auto' passes over a backend that lacks any of it, and a
// backend asked for by name that lacks it is refused before any plan exists, naming the option.
// (TF.js registers a kernel per backend; unsupported means not registered, found at once.)

import { NMFError } from '../errors.js';
import type { Backend } from './backend.js';

export interface BackendSupports {
  /** solver 'pg': its plans have PgSteps */
  readonly pg: boolean;
  /** MiniBatchNMF: plans made with `minibatch` have MiniBatchSteps */
  readonly minibatch: boolean;
  /** weighted NMF (the mask option): plans take `weighted` and count only its entries */
  readonly weighted: boolean;
  /** computes in float64 (float32 X then in float32, scikit-learn's dtype rule); false: float32 throughout */
  readonly float64: boolean;
}

/** A capability something needs, as refusable: booleans that a backend may declare false. */
export type Capability = Exclude<keyof BackendSupports, 'float64'>;

/** What each capability is, for messages. */
const WHAT: Record<Capability, string> = {
  pg: "the projected gradient's steps",
  minibatch: "MiniBatchNMF's steps",
  weighted: 'weighted NMF',
};

/** One need of a fit: the capability, the option that asks for it, and what else the user may do. */
export interface Need {
  capability: Capability;
  /** the option as the user wrote it: "mask", "solver 'pg'", "MiniBatchNMF" */
  option: string;
  /** other ways out than another backend, e.g. "solver 'cd'" */
  otherwise?: string;
}

/** Whether `backend` runs everything in `needs` (backend 'auto' passes over one that does not). */
export function supportsAll(backend: Pick<Backend, 'supports'>, needs: readonly Need[]): boolean {
  return needs.every((need) => backend.supports[need.capability]);
}

/**
 * Refuse, before a plan is made, a fit `backend` cannot run. The message names the option, the
 * backend, and the ways out: backend 'auto' (which picks a backend that can), 'cpu' (the float64
 * reference, which runs everything), and `otherwise`.
 */
export function requireCapability(backend: Pick<Backend, 'name' | 'description' | 'supports'>, need: Need): void {
  if (backend.supports[need.capability]) return;
  const ways = ["backend 'auto' (it picks a backend that can)", "backend 'cpu'", ...(need.otherwise ? [need.otherwise] : [])];
  throw new NMFError(
    `${need.option} needs ${WHAT[need.capability]}, which backend '${backend.name}' (${backend.description}) does not support. Use ${ways.slice(0, -1).join(', ')} or ${ways[ways.length - 1]}.`,
  );
}

/** Every check of `needs` on `backend`, in order: the first one lacking throws. */
export function requireCapabilities(backend: Pick<Backend, 'name' | 'description' | 'supports'>, needs: readonly Need[]): void {
  for (const need of needs) requireCapability(backend, need);
}
