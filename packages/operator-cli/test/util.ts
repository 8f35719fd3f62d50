import { PassThrough } from 'stream';
import { run, runPreflight } from '../src';
import { Io } from '../src/io';

/** What one run of the CLI printed and returned. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr together: what an operator (or a log) would see. */
  readonly output: string;
}

/** Runs the CLI in process with `stdin` piped in (or a terminal that types `stdin`, with `tty`). */
export async function runCli(argv: string[], stdin = '', tty = false): Promise<RunResult> {
  const input = Object.assign(new PassThrough(), { isTTY: tty });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk) => out.push(String(chunk)));
  stderr.on('data', (chunk) => err.push(String(chunk)));
  input.end(stdin);
  const code = await run(argv, { stdin: input, stdout, stderr });
  return { code, stdout: out.join(''), stderr: err.join(''), output: out.join('') + err.join('') };
}

/** A well-formed OAuth client value that must never appear in any output. */
export const OAUTH_VALUE = 'piksel-client-7f3a:s3cr3t-VALUE-never-shown';

/** A well-formed Slack webhook value that must never appear in any output. */
export const SLACK_VALUE = 'https://hooks.slack.com/services/T000/B000/XXXXsecretXXXX';

/** Runs `piksel-preflight` in process, with the (mocked) AWS clients of the default chain. */
export async function runPreflightCli(argv: string[]): Promise<RunResult> {
  return runInProcess(runPreflight, argv);
}

/** Runs one of the operator commands in process with no input, capturing what it prints. */
export async function runInProcess(command: (argv: string[], io: Io) => Promise<number>, argv: string[]): Promise<RunResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk) => out.push(String(chunk)));
  stderr.on('data', (chunk) => err.push(String(chunk)));
  const code = await command(argv, { stdin: new PassThrough(), stdout, stderr });
  return { code, stdout: out.join(''), stderr: err.join(''), output: out.join('') + err.join('') };
}
