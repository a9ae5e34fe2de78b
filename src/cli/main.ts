// webnmf's command line (Node): `webnmf fit FILE`, `webnmf topics [FILES...]`, `webnmf transform MODEL FILE...`. Every failure is one
// line on stderr, `webnmf: <message>`, and a non-zero exit (2: usage, 1: data or fit, 130: Ctrl-C).

import { version } from '../../package.json';
import { CliError, describeError } from './errors.js';
import { FIT_HELP, fitCommand } from './fit.js';
import { TOPICS_HELP, topicsCommand } from './topics.js';
import { TRANSFORM_HELP, transformCommand } from './transform.js';

const HELP = [
  "webnmf — scikit-learn's Non-negative Matrix Factorization on WebGPU, with a float64 CPU fallback",
  '',
  'Usage:',
  '  webnmf fit FILE [options]        factor a .csv, .tsv, .mtx or .npy matrix; --out DIR writes W and H',
  '  webnmf topics [FILES...] [opts]  topics of text files (none: the State of the Union addresses)',
  '  webnmf transform MODEL FILE...   W for new data under a model saved by fit or topics --save',
  '  webnmf COMMAND --help            the options of a command',
  '  webnmf --version, -V             the version',
].join('\n');

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(`${HELP}\n`);
    process.exitCode = 2;
    return;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${HELP}\n\n${FIT_HELP}\n\n${TOPICS_HELP}\n\n${TRANSFORM_HELP}\n`);
    return;
  }
  if (command === '--version' || command === '-V') {
    process.stdout.write(`${version}\n`);
    return;
  }
  if (command === 'fit') return fitCommand(rest);
  if (command === 'topics') return topicsCommand(rest);
  if (command === 'transform') return transformCommand(rest);
  throw new CliError(`unknown command '${command}': expected 'fit', 'topics' or 'transform' (see webnmf --help).`, 2);
}

const argv = process.argv.slice(2);
try {
  await main(argv);
} catch (e) {
  if (process.env.WEBNMF_DEBUG) console.error(e);
  const { line, exitCode } = describeError(e);
  process.stderr.write(`webnmf: ${line}\n`);
  process.exitCode = exitCode;
}
// A WebGPU device (Dawn, in Node) may hold the event loop open after the fit; leave once output is out.
setTimeout(() => process.exit(), 200).unref();
