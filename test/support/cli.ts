// The `webnmf` command from source, as a user would run it (node --import tsx src/cli/main.ts …), in
// the repository so tsx and the packages resolve.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** sees stderr as it grows, and may signal the child (Ctrl-C tests) */
  onStderr?: (text: string, child: ReturnType<typeof spawn>) => void;
  /** a child still running after this long is killed (its run then has code null) */
  killAfterMs?: number;
}

export function webnmf(...args: string[]): Promise<Run>;
export function webnmf(options: RunOptions, ...args: string[]): Promise<Run>;
export function webnmf(...all: (string | RunOptions)[]): Promise<Run> {
  const options = typeof all[0] === 'object' ? (all.shift() as RunOptions) : {};
  const args = all as string[];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const killer = options.killAfterMs ? setTimeout(() => child.kill('SIGKILL'), options.killAfterMs) : null;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      options.onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (killer) clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}
