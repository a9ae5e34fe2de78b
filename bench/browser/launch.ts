// The browser a run measures in: one the user names (--browser PATH, --channel, --ws-endpoint to a
// browser already running, possibly on another machine), else puppeteer's Chrome or the system
// Chromium (test/browser/harness.ts). Launched with WebGPU on (--enable-unsafe-webgpu) plus the user's
// --flag's; the report records the flags, the version and the whole command line the browser reports.

import { existsSync, statSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer';
import { CHROMIUM_ARGS, findBrowser } from '../../test/browser/harness.js';
import { UsageError, type BrowserOptions } from './options.js';
import type { LaunchReport } from './page-api.js';

/**
 * One case is one page.evaluate; a large case on a software adapter runs for minutes, longer than
 * puppeteer's default 3-minute protocol timeout. The page's own errors end the run at once (PageWatch).
 */
const PROTOCOL_TIMEOUT_MS = 30 * 60_000;

/**
 * --enable-unsafe-swiftshader: the gpujs backend's WebGL2 may be SwiftShader (no GPU), which Chromium
 * no longer falls back to without this flag (it did, with a deprecation warning). It allows the
 * fallback; it never replaces a GPU.
 */
export const BENCH_ARGS = [...CHROMIUM_ARGS, '--enable-unsafe-swiftshader'];

export interface BrowserChoice {
  mode: LaunchReport['mode'];
  executablePath: string | null;
  channel: string | null;
  endpoint: string | null;
  headless: boolean;
  flags: string[];
}

/** Which browser, checked before anything is built: a bad path is one clear line, never a silent fallback. */
export function chooseBrowser(o: BrowserOptions): BrowserChoice {
  const flags = [...BENCH_ARGS, ...o.flags];
  const base = { channel: null, endpoint: null, headless: !o.headful, flags };
  if (o.wsEndpoint !== null) {
    if (!/^(wss?|https?):\/\//.test(o.wsEndpoint)) throw new UsageError(`--ws-endpoint ${o.wsEndpoint}: not a ws:// (or http://host:port) address`);
    return { ...base, mode: 'ws-endpoint', executablePath: null, endpoint: o.wsEndpoint, flags: [] };
  }
  if (o.headful && process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    throw new UsageError('--headful needs a display, and neither $DISPLAY nor $WAYLAND_DISPLAY is set (run under xvfb-run, or leave --headful out)');
  }
  if (o.browser !== null) {
    if (!existsSync(o.browser)) throw new UsageError(`--browser ${o.browser}: no such file`);
    if (!statSync(o.browser).isFile()) throw new UsageError(`--browser ${o.browser}: not a file (on macOS, name the binary inside the .app, e.g. "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")`);
    return { ...base, mode: 'executable', executablePath: o.browser };
  }
  if (o.channel !== null) {
    let path: string;
    try {
      path = puppeteer.executablePath(o.channel);
    } catch (e) {
      throw new UsageError(`--channel: ${(e as Error).message.replace(/\s+/g, ' ').trim()}`);
    }
    return { ...base, mode: 'channel', executablePath: path, channel: o.channel };
  }
  return { ...base, mode: 'executable', executablePath: findBrowser() };
}

export interface OpenBrowser {
  browser: Browser;
  report: LaunchReport;
  /** close what we launched; only disconnect from a browser we found running */
  close(): Promise<void>;
}

export async function openBrowser(c: BrowserChoice): Promise<OpenBrowser> {
  let browser: Browser;
  if (c.mode === 'ws-endpoint') {
    const at = c.endpoint!.startsWith('http') ? { browserURL: c.endpoint! } : { browserWSEndpoint: c.endpoint! };
    browser = await puppeteer.connect({ ...at, protocolTimeout: PROTOCOL_TIMEOUT_MS }).catch((e: Error) => {
      throw new Error(`--ws-endpoint ${c.endpoint}: ${e.message}`);
    });
  } else {
    browser = await puppeteer.launch({ executablePath: c.executablePath!, headless: c.headless, args: c.flags, protocolTimeout: PROTOCOL_TIMEOUT_MS });
  }
  let commandLine: string[] | null = null;
  try {
    // answered when the browser runs with --enable-automation (puppeteer launches it so)
    const session = await browser.target().createCDPSession();
    commandLine = (await session.send('Browser.getBrowserCommandLine')).arguments;
    await session.detach();
  } catch {
    // a browser started by hand: its flags are its own business, and the report says it could not tell
  }
  const report: LaunchReport = { ...c, version: await browser.version(), commandLine };
  return { browser, report, close: () => (c.mode === 'ws-endpoint' ? browser.disconnect() : browser.close()) };
}
