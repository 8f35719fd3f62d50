import { Command, CommanderError } from 'commander';
import { Io, warn } from './io';
/** Exit code of a command that could not do what it was asked (bad input, AWS refused). */
export const EXIT_ERROR = 2;

/** Exit code of `check` when a secret is missing, mis-tagged or has no value. */
export const EXIT_FINDINGS = 1;

/**
 * An error for the operator: its message says what was wrong and what to do, and never holds a
 * secret value. `run` prints it as `error: <message>` and exits with `exitCode`.
 */
export class CliError extends Error {
  constructor(message: string, public readonly exitCode = EXIT_ERROR) {
    super(message);
    this.name = 'CliError';
  }
}

/** AWS error names that mean the caller may not do what it tried. */
const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException']);
/** AWS error names that mean the credentials were refused. */
const BAD_CREDENTIALS = new Set([
  'ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'UnrecognizedClientException',
  'SignatureDoesNotMatch', 'InvalidSignatureException',
]);

/**
 * Node's codes for a request that never reached AWS: no DNS answer, no route, refused, reset or
 * timed out (the SDK passes these errors on as they are).
 * @see https://nodejs.org/api/errors.html#common-system-errors
 */
const UNREACHABLE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED']);

/**
 * Says in a sentence what went wrong with an AWS call and what to do. SDK messages name actions,
 * ARNs and profiles, never request payloads, so they are safe to repeat.
 */
export function describeAwsError(err: unknown): string {
  const error = err as { name?: string; message?: string; code?: string };
  const name = error.name ?? 'Error';
  const message = error.message ?? String(err);
  if ((error.code !== undefined && UNREACHABLE.has(error.code)) || name === 'TimeoutError') {
    return `the AWS endpoint could not be reached (${message}). Check the network connection, the proxy settings ` +
      '(HTTPS_PROXY, NO_PROXY) and the region (--region), then retry.';
  }
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return `no usable AWS credentials (${message}). Sign in first, e.g. "aws sso login --profile <profile>", ` +
      'then pass --profile <profile> or set AWS_PROFILE.';
  }
  if (ACCESS_DENIED.has(name)) {
    return `access denied (${message}). Use a role of the environment's account that may manage its secrets.`;
  }
  if (BAD_CREDENTIALS.has(name)) {
    return `AWS refused the credentials (${name}: ${message}). Sign in again and retry.`;
  }
  return `${name}: ${message}`;
}

/**
 * Parses `argv` with `program` and turns the outcome into the exit code both commands share: the
 * action's code (`exitCode()`, read after it ran), 0 for `--help`, 2 for a usage error, a
 * `CliError`'s own code, and 2 for anything AWS refused, with its message on stderr.
 */
export async function runProgram(program: Command, argv: string[], io: Io, exitCode: () => number): Promise<number> {
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode();
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has printed the message (or the help, with exit code 0).
      return err.exitCode === 0 ? 0 : EXIT_ERROR;
    }
    if (err instanceof CliError) {
      warn(io, `error: ${err.message}`);
      return err.exitCode;
    }
    warn(io, `error: ${describeAwsError(err)}`);
    return EXIT_ERROR;
  }
}
