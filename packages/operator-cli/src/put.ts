import { CreateSecretCommand, PutSecretValueCommand, TagResourceCommand } from '@aws-sdk/client-secrets-manager';
import { AwsClients, AwsOptions, callerIdentity, CallerIdentity, describeSecret, ExistingSecret, keyAliasExists, requireAccount } from './aws';
import { CliError, describeAwsError } from './errors';
import { Io, readValue, say } from './io';
import { formatTags, SecretRequest, SecretTarget, secretTarget, tagDifferences } from './secret-target';
import { MASK, valueProblem } from './secret-value';

/** Options of `piksel-secrets put`. */
export interface PutOptions extends SecretRequest, AwsOptions {
  /** Read the value from stdin instead of prompting. */
  readonly valueStdin?: boolean;
  /** Show the calls, write nothing. */
  readonly dryRun?: boolean;
}

/** What the account lookup found; `undefined` identity when it could not be verified. */
interface AccountCheck {
  readonly identity?: CallerIdentity;
  readonly reason?: string;
}

/**
 * Puts a secret's value: creates the secret with the full tag schema (and the environment's
 * key when it exists) or puts a new version of an existing one. With `dryRun`, prints the calls
 * instead and writes nothing. The value is never printed.
 */
export async function put(options: PutOptions, clients: AwsClients, io: Io): Promise<number> {
  const target = secretTarget(options);
  const value = await readValue(io, options.valueStdin ?? false, `Value for ${target.name} (input hidden): `);
  const problem = valueProblem(target.kind, value);
  if (problem) {
    throw new CliError(`refused: ${problem}. Nothing was sent to AWS.`);
  }
  const account = await checkAccount(clients, target, options.dryRun ?? false);
  const verified = account.identity !== undefined;
  const existing = verified ? await describeSecret(clients.secretsManager, target.name) : undefined;
  const hasKey = verified ? await keyAliasExists(clients.kms, target.keyAlias) : undefined;
  if (existing) refuseUnusable(target, existing);

  if (options.dryRun) {
    printPlan(io, target, options, account, hasKey);
    printDryRunCalls(io, target, verified, existing, hasKey);
    say(io, 'Dry run: nothing was written.');
    return 0;
  }
  printPlan(io, target, options, account, hasKey);
  if (existing) {
    await putVersion(clients, io, target, existing, value);
  } else {
    await create(clients, io, target, value, hasKey ?? false);
  }
  return 0;
}

/** Verifies the caller's account; a dry run goes on unverified when there are no credentials. */
async function checkAccount(clients: AwsClients, target: SecretTarget, dryRun: boolean): Promise<AccountCheck> {
  let identity: CallerIdentity;
  try {
    identity = await callerIdentity(clients.sts);
  } catch (err) {
    if (!dryRun) throw err;
    return { reason: describeAwsError(err) };
  }
  requireAccount(identity, target.environment);
  return { identity };
}

/** Refuses secrets that cannot take a value as asked. */
function refuseUnusable(target: SecretTarget, existing: ExistingSecret): void {
  if (existing.deleted) {
    throw new CliError(
      `refused: ${target.name} is scheduled for deletion. Restore it first ` +
      `("aws secretsmanager restore-secret --secret-id ${target.name}") if it should stay.`,
    );
  }
  const { conflicting } = tagDifferences(target, existing.tags);
  if (conflicting.length > 0) {
    const found = conflicting.map((c) => `${c.key}=${c.actual} (expected ${c.expected})`).join(', ');
    throw new CliError(
      `refused: ${target.name} exists with tags that contradict the schema: ${found}. ` +
      'Check that this is the secret you mean; fix its tags in Terraform, then run the command again.',
    );
  }
}

function printPlan(io: Io, target: SecretTarget, options: AwsOptions, account: AccountCheck, hasKey: boolean | undefined): void {
  const env = target.environment;
  say(io, `Secret       ${target.name}`);
  say(io, `Environment  ${env.name} (account ${env.account}, region ${options.region})`);
  say(io, account.identity
    ? `Account      ${account.identity.account}, verified (${account.identity.arn})`
    : `Account      not verified: ${account.reason}`);
  say(io, `Key          ${keyDescription(target, hasKey)}`);
  say(io, `Tags         ${formatTags(target.tags)}`);
  say(io, `Value        ${MASK} (hidden)`);
  if (!target.expected) {
    say(io, `Note         ${target.name} is not in the estate table, so "piksel-secrets check" will not list it.`);
  }
}

function keyDescription(target: SecretTarget, hasKey: boolean | undefined): string {
  if (hasKey === undefined) return `${target.keyAlias} if it exists, otherwise aws/secretsmanager (not looked up)`;
  return hasKey ? target.keyAlias : `aws/secretsmanager (the account has no ${target.keyAlias})`;
}

function printDryRunCalls(io: Io, target: SecretTarget, verified: boolean, existing: ExistingSecret | undefined, hasKey: boolean | undefined): void {
  const putCall = `PutSecretValue SecretId=${target.name} SecretString=${MASK}`;
  const missing = existing ? tagDifferences(target, existing.tags).missing : [];
  const tagCall = `TagResource SecretId=${target.name} Tags: ${missing.map((key) => `${key}=${target.tags[key]}`).join(', ')}`;
  const key = hasKey === false ? '' : ` KmsKeyId=${target.keyAlias}`;
  const createCall = `CreateSecret Name=${target.name}${key} Tags: ${formatTags(target.tags)} SecretString=${MASK}`;
  if (!verified) {
    say(io, 'Would call   (which one depends on whether the secret exists; not looked up)');
    say(io, `  if absent  ${createCall}`);
    say(io, `  if present ${putCall}`);
  } else if (existing) {
    say(io, 'Would call');
    if (missing.length > 0) say(io, `  ${tagCall}`);
    say(io, `  ${putCall}`);
  } else {
    say(io, 'Would call');
    say(io, `  ${createCall}`);
  }
}

async function create(clients: AwsClients, io: Io, target: SecretTarget, value: string, hasKey: boolean): Promise<void> {
  const created = await clients.secretsManager.send(new CreateSecretCommand({
    Name: target.name,
    Description: target.description,
    KmsKeyId: hasKey ? target.keyAlias : undefined,
    Tags: Object.entries(target.tags).map(([Key, Value]) => ({ Key, Value })),
    SecretString: value,
  }));
  say(io, `Created ${target.name} (${created.ARN}) with its first value, version ${created.VersionId}.`);
}

async function putVersion(clients: AwsClients, io: Io, target: SecretTarget, existing: ExistingSecret, value: string): Promise<void> {
  const { missing } = tagDifferences(target, existing.tags);
  if (missing.length > 0) {
    await clients.secretsManager.send(new TagResourceCommand({
      SecretId: target.name,
      Tags: missing.map((key) => ({ Key: key, Value: target.tags[key] })),
    }));
    say(io, `Added the missing schema tags ${missing.join(', ')} to ${target.name}.`);
  }
  const version = await clients.secretsManager.send(new PutSecretValueCommand({ SecretId: target.name, SecretString: value }));
  say(io, `Put a new value in ${target.name}: version ${version.VersionId} is now AWSCURRENT.`);
}
