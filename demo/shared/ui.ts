// Small helpers both pages share: element lookup, formatting, topic colours, the header's
// environment chips and the status card.

import { SOFTWARE_ADAPTER } from '../../src/backend/select.js';
import type { FitSummary } from './session.js';

export interface Environment {
  adapter: { vendor: string; architecture: string; description: string; software: boolean } | null;
  /** why there is no adapter */
  reason?: string;
  /** SharedArrayBuffer + cross-origin isolation: the CPU backend may use threads */
  crossOriginIsolated: boolean;
  cores: number;
}

/** What the header shows: the WebGPU adapter (the worker asks for the same one) and the CPU's threads. */
export async function probeEnvironment(): Promise<Environment> {
  const base = { crossOriginIsolated: globalThis.crossOriginIsolated === true, cores: navigator.hardwareConcurrency || 1 };
  if (!navigator.gpu) return { ...base, adapter: null, reason: 'this browser has no navigator.gpu' };
  try {
    const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { ...base, adapter: null, reason: 'requestAdapter() found no adapter' };
    const { vendor, architecture, description } = adapter.info;
    const fallback = (adapter.info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
    // the library's rule for adapters that backend 'auto' passes over, so the header says what 'auto' will do
    const software = fallback || SOFTWARE_ADAPTER.test(`${vendor} ${architecture} ${description}`);
    return { ...base, adapter: { vendor, architecture, description, software } };
  } catch (e) {
    return { ...base, adapter: null, reason: `requestAdapter() failed: ${(e as Error).message}` };
  }
}

export function $<T extends HTMLElement = HTMLElement>(selector: string, root: ParentNode = document): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`demo markup is missing ${selector}`);
  return el;
}

/** Create an element with attributes and children (text or nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else if (k.startsWith('--')) el.style.setProperty(k, String(v));
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) el.append(c);
  return el;
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(3);
  return x.toPrecision(4).replace(/\.?0+$/, '');
}

export const formatInt = (n: number) => n.toLocaleString('en-US');

/** Tableau 10, then evenly spaced hues for k > 10. */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
export function topicColor(t: number): string {
  if (t < PALETTE.length) return PALETTE[t];
  return `hsl(${Math.round((t * 137.508) % 360)} 55% 52%)`;
}

/** The header's chips: WebGPU adapter and CPU threads. */
export function showEnvironment(env: Environment): void {
  const gpu = $('#env-gpu');
  const cpu = $('#env-cpu');
  if (env.adapter) {
    const a = env.adapter;
    const name = [a.vendor, a.architecture].filter(Boolean).join(' ') || a.description || 'adapter';
    gpu.replaceChildren(h('span', { class: `dot ${a.software ? 'soft' : 'ok'}` }), `WebGPU · ${name}${a.software ? ' (software)' : ''}`);
    gpu.title = a.software
      ? `A software adapter (${a.description || name}). Backend 'auto' runs on the CPU here, because emulating the GPU on the CPU is slower than the CPU backend; choose 'webgpu' to run the shaders anyway.`
      : `Hardware adapter: ${a.description || name}. Backend 'auto' uses it.`;
  } else {
    gpu.replaceChildren(h('span', { class: 'dot off' }), 'WebGPU unavailable');
    gpu.title = `${env.reason ?? 'no adapter'} — every fit runs on the float64 CPU backend.`;
  }
  cpu.replaceChildren(h('span', { class: 'dot ok' }), `CPU float64 · ${env.crossOriginIsolated ? `${env.cores} threads` : '1 thread'}`);
  cpu.title = env.crossOriginIsolated
    ? 'WebAssembly SIMD kernels, threaded (the page is cross-origin isolated).'
    : 'WebAssembly SIMD kernels on one thread (threads need a cross-origin isolated page: COOP/COEP headers).';
}

/** Dim results that belong to an earlier fit (while a new one runs, or after it stopped or failed). */
export function markStale(elements: HTMLElement[], stale: boolean): void {
  for (const el of elements) {
    const hasResult = el.querySelector('.empty') === null && el.childElementCount > 0;
    el.classList.toggle('stale', stale && hasResult);
    el.title = stale && hasResult ? 'from the previous fit' : '';
  }
}

export type RunState = 'idle' | 'running' | 'done' | 'stopped' | 'error';

const STATE_LABEL: Record<RunState, string> = { idle: 'Ready', running: 'Running', done: 'Done', stopped: 'Stopped', error: 'Error' };

/** The status card: a state badge, a line of text, a progress bar, stats and messages. */
export class StatusCard {
  private readonly badge: HTMLElement;
  private readonly text: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly messages: HTMLUListElement;
  readonly element: HTMLElement;

  constructor(private readonly root: HTMLElement) {
    this.element = root;
    this.badge = $('#status-badge', root);
    this.text = $('#status-text', root);
    this.bar = $('#status-bar', root);
    this.messages = $<HTMLUListElement>('#status-messages', root);
  }

  set(state: RunState, text: string): void {
    this.badge.dataset.state = state;
    this.badge.textContent = STATE_LABEL[state];
    this.text.textContent = text;
    this.root.dataset.state = state;
  }

  progress(fraction: number): void {
    this.bar.style.width = `${Math.max(0, Math.min(1, fraction)) * 100}%`;
  }

  stat(name: string, value: string, title?: string): void {
    const dd = $(`[data-stat='${name}']`, this.root);
    dd.textContent = value;
    if (title !== undefined) dd.title = title;
  }

  clearMessages(): void {
    this.messages.replaceChildren();
  }

  message(text: string, kind: 'warning' | 'error' = 'warning'): void {
    this.messages.append(h('li', { class: kind }, text));
  }

  summary(s: FitSummary): void {
    this.stat('backend', s.backendUsed);
    this.stat('iterations', formatInt(s.nIter));
    this.stat('error', formatNumber(s.reconstructionErr), 'reconstruction error ‖X − WH‖ (β-divergence form, as scikit-learn’s reconstruction_err_)');
    this.stat('time', formatMs(s.fitMs));
  }
}
