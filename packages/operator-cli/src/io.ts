import { createInterface } from 'readline';
import { Readable, Writable } from 'stream';
import { CliError } from './errors';

/** The streams a command reads and writes; tests give their own. */
export interface Io {
  readonly stdin: Readable & { isTTY?: boolean };
  readonly stdout: Writable;
  /** Errors, notes and the value prompt. */
  readonly stderr: Writable;
}

/** The process's own streams. */
export function processIo(): Io {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
}

/** Writes one line to stdout. */
export function say(io: Io, line = ''): void {
  io.stdout.write(`${line}\n`);
}

/** Writes one line to stderr. */
export function warn(io: Io, line: string): void {
  io.stderr.write(`${line}\n`);
}

/**
 * Reads a secret value: all of stdin with `fromStdin` (one trailing line break dropped, as
 * `echo` and most clipboards add it), otherwise from a prompt on the terminal that echoes nothing.
 */
export async function readValue(io: Io, fromStdin: boolean, prompt: string): Promise<string> {
  if (fromStdin) {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks).toString('utf-8').replace(/\r?\n$/, '');
  }
  if (!io.stdin.isTTY) {
    throw new CliError('no terminal to prompt for the value on; pipe the value in and add --value-stdin');
  }
  return hiddenPrompt(io, prompt);
}

/** Prompts on stderr and reads one line from the terminal without echoing it. */
function hiddenPrompt(io: Io, prompt: string): Promise<string> {
  io.stderr.write(prompt);
  // readline echoes what it reads to its output; give it one that discards everything.
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: io.stdin, output: silent, terminal: true });
  return new Promise((resolve, reject) => {
    rl.on('SIGINT', () => {
      rl.close();
      io.stderr.write('\n');
      reject(new CliError('cancelled; nothing was written', 130));
    });
    rl.question('', (answer) => {
      rl.close();
      io.stderr.write('\n');
      resolve(answer);
    });
  });
}
