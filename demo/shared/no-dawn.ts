// Stands in for the `webgpu` package (Dawn, a Node addon) in the demo's browser bundle: the library
// imports it only when navigator.gpu is absent, and then falls back to the CPU on this error.

export function create(): never {
  throw new Error("Dawn (the 'webgpu' package) runs in Node only; this browser offers no navigator.gpu");
}
