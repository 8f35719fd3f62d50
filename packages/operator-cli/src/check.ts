import { AwsClients, AwsOptions, callerIdentity, describeSecret, ExistingSecret, requireAccount } from './aws';
import { EXIT_FINDINGS } from './errors';
import { Io, say } from './io';
import { environmentNamed, SecretTarget, secretTarget, tagDifferences } from './secret-target';

/** Options of `piksel-secrets check`. */
export interface CheckOptions extends AwsOptions {
  readonly env: string;
}

/** One line of the table. */
interface Row {
  readonly secret: string;
  readonly exists: string;
  readonly tags: string;
  readonly value: string;
  readonly ok: boolean;
}

const HEADER: Row = { secret: 'SECRET', exists: 'EXISTS', tags: 'TAGS', value: 'VALUE', ok: true };

/**
 * Lists the secrets the estate table expects in an environment and, for each, whether it exists,
 * carries the full tag schema and has a current value. Returns `EXIT_FINDINGS` when any does not.
 * Reads metadata only (DescribeSecret), never a value.
 */
export async function check(options: CheckOptions, clients: AwsClients, io: Io): Promise<number> {
  const environment = environmentNamed(options.env);
  requireAccount(await callerIdentity(clients.sts), environment);

  const rows: Row[] = [];
  for (const spec of environment.secrets) {
    const target = secretTarget({ env: environment.name, service: spec.service, kind: spec.kind, tenant: spec.tenant });
    rows.push(row(target, await describeSecret(clients.secretsManager, target.name)));
  }
  say(io, `Secrets of ${environment.name} (account ${environment.account}, region ${options.region}):`);
  printTable(io, [HEADER, ...rows]);
  const failing = rows.filter((r) => !r.ok).length;
  if (failing === 0) {
    say(io, `All ${rows.length} secrets of ${environment.name} exist, carry the tag schema and have a value.`);
    return 0;
  }
  say(io, `${failing} of ${rows.length} secrets of ${environment.name} need attention. ` +
    `Put a value with "piksel-secrets put --env ${environment.name} --service <service> --kind <kind>"; ` +
    'fix missing secrets and tags by deploying the environment\'s stack.');
  return EXIT_FINDINGS;
}

function row(target: SecretTarget, secret: ExistingSecret | undefined): Row {
  if (!secret) {
    return { secret: target.name, exists: 'no', tags: '-', value: '-', ok: false };
  }
  if (secret.deleted) {
    return { secret: target.name, exists: 'deleted', tags: '-', value: '-', ok: false };
  }
  const { missing, conflicting } = tagDifferences(target, secret.tags);
  const tagProblems = [
    ...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []),
    ...conflicting.map((c) => `${c.key}=${c.actual} (expected ${c.expected})`),
  ];
  return {
    secret: target.name,
    exists: 'yes',
    tags: tagProblems.length > 0 ? tagProblems.join('; ') : 'ok',
    value: secret.hasCurrentValue ? 'current' : 'none',
    ok: tagProblems.length === 0 && secret.hasCurrentValue,
  };
}

function printTable(io: Io, rows: Row[]): void {
  const width = (pick: (r: Row) => string) => Math.max(...rows.map((r) => pick(r).length));
  const secretWidth = width((r) => r.secret);
  const existsWidth = width((r) => r.exists);
  const tagsWidth = width((r) => r.tags);
  for (const r of rows) {
    say(io, `${r.secret.padEnd(secretWidth)}  ${r.exists.padEnd(existsWidth)}  ${r.tags.padEnd(tagsWidth)}  ${r.value}`.trimEnd());
  }
}
