import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Environment } from '@piksel/estate';
import { CliError } from './errors';

/** Where the CLI talks to AWS: `--region` and `--profile`. */
export interface AwsOptions {
  readonly region: string;
  /** A profile of the shared config files; the SDK's default chain when omitted. */
  readonly profile?: string;
}

/** The AWS clients the commands use. */
export interface AwsClients {
  readonly sts: STSClient;
  readonly secretsManager: SecretsManagerClient;
  readonly kms: KMSClient;
}

/** Connection and response timeouts: an unreachable endpoint fails in seconds, not minutes. */
const REQUEST_HANDLER = { connectionTimeout: 3_000, requestTimeout: 15_000 };

/**
 * Clients for `options`. One attempt per call: every call is either read-only or made once on
 * purpose, and a missing sign-in should fail at once rather than after retries.
 */
export function awsClients(options: AwsOptions): AwsClients {
  const config = clientConfig(options);
  return {
    sts: new STSClient(config),
    secretsManager: new SecretsManagerClient(config),
    kms: new KMSClient(config),
  };
}

/** The configuration every client of the CLI shares: one attempt per call, short timeouts. */
export function clientConfig(options: AwsOptions) {
  return { region: options.region, profile: options.profile, maxAttempts: 1, requestHandler: REQUEST_HANDLER };
}

/** Who the credentials belong to. */
export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
}

/** Asks STS who the caller is. */
export async function callerIdentity(sts: STSClient): Promise<CallerIdentity> {
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  return { account: identity.Account ?? '', arn: identity.Arn ?? '' };
}

/** Refuses credentials of another account than the environment's. */
export function requireAccount(identity: CallerIdentity, environment: Environment): void {
  if (identity.account !== environment.account) {
    throw new CliError(
      `refused: your credentials are for account ${identity.account} (${identity.arn}), ` +
      `but ${environment.name} is account ${environment.account}. Sign in to ${environment.name}'s account ` +
      '(e.g. --profile <its profile>) and run the command again.',
    );
  }
}

/** What Secrets Manager says about an existing secret; never its value. */
export interface ExistingSecret {
  readonly arn: string;
  readonly tags: Record<string, string>;
  /** Whether a version is labelled AWSCURRENT. */
  readonly hasCurrentValue: boolean;
  /** Whether the secret is scheduled for deletion. */
  readonly deleted: boolean;
}

/** Describes the secret called `name`, or `undefined` when there is none. */
export async function describeSecret(client: SecretsManagerClient, name: string): Promise<ExistingSecret | undefined> {
  try {
    const secret = await client.send(new DescribeSecretCommand({ SecretId: name }));
    return {
      arn: secret.ARN ?? name,
      tags: Object.fromEntries((secret.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? ''])),
      hasCurrentValue: Object.values(secret.VersionIdsToStages ?? {}).some((stages) => stages.includes('AWSCURRENT')),
      deleted: secret.DeletedDate !== undefined,
    };
  } catch (err) {
    if (isNamed(err, 'ResourceNotFoundException')) return undefined;
    throw err;
  }
}

/** Whether the KMS alias exists in the account and region. */
export async function keyAliasExists(client: KMSClient, alias: string): Promise<boolean> {
  try {
    await client.send(new DescribeKeyCommand({ KeyId: alias }));
    return true;
  } catch (err) {
    if (isNamed(err, 'NotFoundException')) return false;
    throw err;
  }
}

/** Matches SDK errors by name, which holds across copies of the SDK (unlike `instanceof`). */
export function isNamed(err: unknown, name: string): boolean {
  return (err as { name?: unknown } | undefined)?.name === name;
}
