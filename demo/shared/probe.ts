// What a demo page exposes on `window.demo` for test/demo/demo.test.ts: read-only views of what the
// page shows, so the test checks the page's own state rather than scraping a canvas.

import type { Measure } from './loss-chart.js';
import type { RunState } from './ui.js';

export interface DemoProbe {
  page: 'topics' | 'digits';
  state(): RunState;
  /** the convergence measure the chart plots, in order, and what it is */
  series(): { measure: Measure; values: number[] };
  /** topics: top words per topic; digits: empty */
  topics(): string[][];
  /** digits: how many component and reconstruction canvases have been drawn */
  drawn(): { components: number; reconstructions: number };
  /** how many times the components were redrawn while a fit ran */
  liveDraws(): number;
  /** the iteration of the last progress report the page received */
  iteration(): number;
  /** topics: the last finished fit's W and H as the fit returned them, and its documents' labels and years */
  result?(): { W: PlainMatrix; H: PlainMatrix; labels: string[]; years: number[] | null; featureNames: string[] } | null;
  /** topics: the export files' contents, by file name */
  exports?(): Record<string, string>;
  /** topics: the linked views' selection */
  selection?(): { topic: number | null; year: number | null };
  /** topics: the topic map's circles */
  mapLayout?(): { cx: number[]; cy: number[]; r: number[] } | null;
  /** topics: each topic's share by year, as the topics-over-time view draws it */
  yearShares?(): { years: number[]; shares: number[] } | null;
  /** topics: the side-by-side runs' figures */
  compared?(): { first: unknown; second: unknown; secondLoss: string } | null;
}

export interface PlainMatrix {
  rows: number;
  cols: number;
  data: number[];
}

declare global {
  interface Window {
    demo?: DemoProbe;
  }
}
