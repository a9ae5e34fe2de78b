// Bind groups built from names, read from the WGSL as uniforms are: a shader's
// `@group(0) @binding(N) var<…> name` declarations give each name its number, and an entry point needs
// exactly the bindings its body and the functions it calls name (WebGPU's 'auto' layout holds those and
// no others). So a launcher passes `{ x, w, h }`, and a wrong, missing or unneeded name is an error that
// names the shader, the entry point and the binding, not a validation message about a number.

import type { Binding } from './dispatch.js';

export interface BindingDecl {
  readonly name: string;
  readonly binding: number;
  readonly uniform: boolean;
}

interface Reflection {
  readonly declared: ReadonlyMap<string, BindingDecl>;
  /** function name → its parameters and body, comments removed */
  readonly functions: ReadonlyMap<string, string>;
  readonly entries: Map<string, readonly BindingDecl[]>;
}

const reflections = new Map<string, Reflection>();

function reflect(wgsl: string): Reflection {
  let r = reflections.get(wgsl);
  if (r) return r;
  const code = wgsl.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  const declared = new Map<string, BindingDecl>();
  for (const m of code.matchAll(/@group\(0\)\s*@binding\((\d+)\)\s*var(<[^>]*>)?\s+(\w+)/g)) {
    declared.set(m[3], { name: m[3], binding: Number(m[1]), uniform: m[2]?.includes('uniform') ?? false });
  }
  const functions = new Map<string, string>();
  for (const m of code.matchAll(/\bfn\s+(\w+)\s*\(/g)) {
    const open = code.indexOf('{', m.index);
    let depth = 0;
    let end = open;
    for (; end < code.length; end++) {
      if (code[end] === '{') depth++;
      else if (code[end] === '}' && --depth === 0) break;
    }
    functions.set(m[1], code.slice(m.index + m[0].length, end + 1));
  }
  r = { declared, functions, entries: new Map() };
  reflections.set(wgsl, r);
  return r;
}

/** Identifiers a function's text names, less its own parameters and locals (which may shadow a binding) and member names. */
function namesUsed(text: string): Set<string> {
  const locals = new Set<string>();
  for (const m of text.matchAll(/\b(?:let|var|const)\s+(\w+)/g)) locals.add(m[1]);
  const params = text.slice(0, text.indexOf(')'));
  for (const m of params.matchAll(/(\w+)\s*:/g)) locals.add(m[1]);
  const names = new Set<string>();
  for (const m of text.matchAll(/(?<![.\w])[A-Za-z_]\w*/g)) if (!locals.has(m[0])) names.add(m[0]);
  return names;
}

/** Every `@group(0) @binding(N)` declaration of a shader, by name. */
export function declaredBindings(wgsl: string): ReadonlyMap<string, BindingDecl> {
  return reflect(wgsl).declared;
}

/** The bindings an entry point statically uses (through the functions it calls), in binding order. */
export function entryBindings(wgsl: string, entry: string, shader = 'shader'): readonly BindingDecl[] {
  const r = reflect(wgsl);
  const cached = r.entries.get(entry);
  if (cached) return cached;
  if (!r.functions.has(entry)) throw new Error(`webnmf internal: ${shader}.wgsl has no entry point ${entry}`);
  const seen = new Set<string>([entry]);
  const used = new Set<BindingDecl>();
  const queue = [entry];
  while (queue.length > 0) {
    for (const name of namesUsed(r.functions.get(queue.pop()!)!)) {
      const decl = r.declared.get(name);
      if (decl) used.add(decl);
      else if (r.functions.has(name) && !seen.has(name)) {
        seen.add(name);
        queue.push(name);
      }
    }
  }
  const list = [...used].sort((a, b) => a.binding - b.binding);
  r.entries.set(entry, list);
  return list;
}

/**
 * The bind group entries for `entry` from buffers given by WGSL name; the uniform binding, whatever the
 * shader calls it, gets `uniform`. Throws on a name the shader does not declare, one the entry point
 * does not use, and one it uses that is not given.
 */
export function resolveBindings(wgsl: string, shader: string, entry: string, buffers: Readonly<Record<string, Binding>>, uniform: Binding): Map<number, Binding> {
  const where = `${shader}.wgsl's entry point ${entry}`;
  const used = entryBindings(wgsl, entry, shader);
  const declared = declaredBindings(wgsl);
  for (const name in buffers) {
    const decl = declared.get(name);
    if (!decl) throw new Error(`webnmf internal: ${shader}.wgsl declares no binding '${name}' (given to ${entry}; it declares ${[...declared.keys()].join(', ')})`);
    if (!used.includes(decl)) throw new Error(`webnmf internal: ${where} does not use binding '${name}' (@binding(${decl.binding}))`);
  }
  const missing = used.find((decl) => !decl.uniform && buffers[decl.name] === undefined);
  if (missing) throw new Error(`webnmf internal: ${where} needs binding '${missing.name}' (@binding(${missing.binding})), which was not given`);
  return new Map(used.map((decl) => [decl.binding, decl.uniform ? uniform : buffers[decl.name]]));
}
