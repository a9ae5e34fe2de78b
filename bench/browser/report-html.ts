// The HTML report of a record: report-template.html with uPlot and the record inlined, so the file
// opens offline. Pure, so the page (--serve) can build the same report the runner writes.

import { adapterSlug, type BenchRecord } from './record.js';

export interface ReportAssets {
  template: string;
  uplotJs: string;
  uplotCss: string;
}

export function reportHtml(rec: BenchRecord, assets: ReportAssets): string {
  // '<' escaped, so no string in the data can close the <script> element it sits in
  const data = JSON.stringify(rec).replace(/</g, '\\u003c');
  const values: Record<string, string> = {
    TITLE: `${rec.date.slice(0, 16).replace('T', ' ')} · ${adapterSlug(rec)}`,
    UPLOT_CSS: assets.uplotCss,
    UPLOT_JS: assets.uplotJs,
    DATA: data,
  };
  // one pass, so a placeholder-like text inside uPlot or the data is never substituted again
  return assets.template.replace(/\{\{([A-Z_]+)\}\}/g, (whole, key: string) => values[key] ?? whole);
}
