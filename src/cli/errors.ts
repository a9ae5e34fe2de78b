// What the CLI tells a user when something is wrong: one line, `webnmf: <message>`, never a stack.

import { InvalidParameterError, NMFError } from '../errors.js';

/** A problem with the command line or an input file, worded for the user. */
export class CliError extends Error {
  override readonly name = 'CliError';
  /** 2: the command line is wrong (usage); 1: the data or the fit is; 130: interrupted. */
  constructor(message: string, readonly exitCode: number = 1) {
    super(message);
  }
}

/** The library names options in camelCase; on the command line they are kebab-case flags. */
export function flagOf(parameter: string): string {
  return `--${parameter.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Data errors of the library (about X, W or H) prefixed with the file they came from (once: a reader's error names it already). */
export function inFile(e: unknown, files: Record<string, string | undefined>): unknown {
  const file = e instanceof InvalidParameterError ? files[e.parameter] : undefined;
  if (file) return new CliError(e instanceof Error && e.message.startsWith(`${file}: `) ? e.message : `${file}: ${(e as Error).message}`);
  return e;
}

/** One line and an exit code for any error. */
export function describeError(e: unknown): { line: string; exitCode: number } {
  const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();
  if (e instanceof CliError) return { line: oneLine(e.message), exitCode: e.exitCode };
  if (e instanceof InvalidParameterError) {
    // an option's rule broken is a usage error, named by its flag; X, W, H and documents are data
    const isData = /^[A-Z]$/.test(e.parameter) || e.parameter === 'documents';
    return { line: oneLine(isData ? e.message : `${flagOf(e.parameter)}: ${e.message}`), exitCode: isData ? 1 : 2 };
  }
  if (e instanceof NMFError) return { line: oneLine(e.message), exitCode: 1 };
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS')) {
    const unknown = /^Unknown option '([^']+)'/.exec(err.message);
    return { line: oneLine(unknown ? `unknown option '${unknown[1]}' (see --help)` : err.message), exitCode: 2 };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { line: oneLine(`internal error: ${message} (set WEBNMF_DEBUG=1 for the stack trace)`), exitCode: 70 };
}
