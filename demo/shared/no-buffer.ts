// Stands in for Node's `buffer` module in the demo's browser bundle. @stdlib/buffer-ctor (under
// @stdlib/utils-copy, which the datasets use) reads `require('buffer').Buffer` and then, finding no
// Node Buffer, uses its own polyfill; undefined here is what "no Node Buffer" looks like.

export const Buffer = undefined;
