// What a demo page exposes on `window.demo` for test/demo/demo.test.ts: read-only views of what the
// page shows, so the test checks the page's own state rather than scraping a canvas.

import type { RunState } from './ui.js';

export interface DemoProbe {
  page: 'topics' | 'digits';
  state(): RunState;
  /** the convergence measure the chart plots, in order, and what it is */
  series(): { measure: 'loss' | 'violation'; values: number[] };
  /** topics: top words per topic; digits: empty */
  topics(): string[][];
  /** digits: how many component and reconstruction canvases have been drawn */
  drawn(): { components: number; reconstructions: number };
}

declare global {
  interface Window {
    demo?: DemoProbe;
  }
}
