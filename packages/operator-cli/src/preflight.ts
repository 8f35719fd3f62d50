import { CodeBuildClient, ListSourceCredentialsCommand, SourceCredentialsInfo } from '@aws-sdk/client-codebuild';
import { DescribeClusterVersionsCommand, EKSClient } from '@aws-sdk/client-eks';
import { GetOpenIDConnectProviderCommand, GetRoleCommand, IAMClient, ListRolesCommand, Role } from '@aws-sdk/client-iam';
import { DescribeOrganizationCommand, ListAWSServiceAccessForOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetBucketVersioningCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import {
  deployRoleArn, ENVIRONMENTS, Environment, findEnvironment, GITHUB_REPOSITORY, HUB, planRoleArn, stateBucket,
} from '@piksel/estate';
import { AwsOptions, callerIdentity, clientConfig, isNamed } from './aws';
import { CliError, describeAwsError, EXIT_FINDINGS } from './errors';
import { Io, say } from './io';
import { githubOidcProviderArn, STS_AUDIENCE, TrustExpectation, trustFindings } from './trust-policy';

/** Options of `piksel-preflight`. */
export interface PreflightOptions extends AwsOptions {
  readonly env: string;
}

/** The read-only clients the preflight uses. */
export interface PreflightClients {
  readonly sts: STSClient;
  readonly iam: IAMClient;
  readonly s3: S3Client;
  readonly organizations: OrganizationsClient;
  readonly eks: EKSClient;
  readonly codeBuild: CodeBuildClient;
  readonly s3Control: S3ControlClient;
}

/** Clients for `options`, one attempt per call like the rest of the CLI. */
export function preflightClients(options: AwsOptions): PreflightClients {
  const config = clientConfig(options);
  return {
    sts: new STSClient(config),
    iam: new IAMClient(config),
    s3: new S3Client(config),
    organizations: new OrganizationsClient(config),
    eks: new EKSClient(config),
    codeBuild: new CodeBuildClient(config),
    s3Control: new S3ControlClient(config),
  };
}

/** `OK` and `WARN` pass; `FAIL` fails the preflight; `SKIP` was not run (wrong account). */
export type Status = 'OK' | 'FAIL' | 'WARN' | 'SKIP';

/** One line of the table: what was checked, how it went, and what to do about it. */
export interface CheckResult {
  readonly check: string;
  readonly status: Status;
  readonly detail: string;
}

/** An account the preflight can check: the hub, or a spoke environment. */
export interface PreflightTarget {
  readonly name: string;
  readonly account: string;
  /** The spoke environment; `undefined` for the hub. */
  readonly environment?: Environment;
}

/** The names `--env` accepts: the hub first, then the spokes in promotion order. */
export const PREFLIGHT_ENVS = [HUB.name, ...ENVIRONMENTS.map((env) => env.name)];

/** The hub or the environment called `name`. */
export function preflightTarget(name: string): PreflightTarget {
  if (name === HUB.name) return { name: HUB.name, account: HUB.account };
  const environment = findEnvironment(name);
  if (!environment) {
    throw new CliError(`unknown environment ${JSON.stringify(name)}; use one of: ${PREFLIGHT_ENVS.join(', ')}`);
  }
  return { name: environment.name, account: environment.account, environment };
}

/** The GitHub OIDC subject the deploy role of `env` accepts (jobs in the GitHub environment `env`). */
export function deploySubject(env: string): string {
  return `repo:${GITHUB_REPOSITORY}:environment:${env}`;
}

/** The GitHub OIDC subject the plan role accepts (pull-request jobs). */
export const PLAN_SUBJECT = `repo:${GITHUB_REPOSITORY}:pull_request`;

/** Names of the SSO administrator roles, as the environment stack's lookup matches them. */
const SSO_ADMIN_ROLE = /^AWSReservedSSO_AdministratorAccess_[0-9a-f]+$/;
const SSO_ROLE_PATH = '/aws-reserved/sso.amazonaws.com/';
/** The service-linked role RAM creates in the organization's accounts when sharing is enabled. */
const RAM_SERVICE_ROLE = 'AWSServiceRoleForResourceAccessManager';
const RAM_PRINCIPAL = 'ram.amazonaws.com';

/**
 * Checks, with read-only calls, what an apply into the target's account needs and cannot create
 * itself, prints a table and returns 0 when nothing failed, `EXIT_FINDINGS` when something did.
 * Throws (exit 2) only when it cannot run at all: no usable credentials.
 */
export async function preflight(options: PreflightOptions, clients: PreflightClients, io: Io): Promise<number> {
  const target = preflightTarget(options.env);
  const results = await runChecks(target, options.region, clients);
  say(io, `Preflight of ${target.name} (account ${target.account}, region ${options.region}):`);
  printTable(io, results);
  const failed = results.filter((r) => r.status === 'FAIL').length;
  const warned = results.filter((r) => r.status === 'WARN').length;
  const warnings = warned > 0 ? ` (${warned} warning${warned > 1 ? 's' : ''})` : '';
  if (failed === 0) {
    say(io, `All ${results.length} checks of ${target.name} passed${warnings}: an apply has what it needs.`);
    return 0;
  }
  say(io, `${failed} of ${results.length} checks of ${target.name} failed${warnings}. Fix each FAIL as its detail says, then run the preflight again.`);
  return EXIT_FINDINGS;
}

/** Runs every check that applies to the target, in table order. */
export async function runChecks(target: PreflightTarget, region: string, clients: PreflightClients): Promise<CheckResult[]> {
  const identity = await callerIdentity(clients.sts);
  const names = checkNames(target);
  if (identity.account !== target.account) {
    return [
      fail('account', `signed in to ${identity.account} (${identity.arn}), but ${target.name} is account ${target.account}; ` +
        `sign in to ${target.name}'s account (--profile <its profile>) and run again`),
      ...names.slice(1).map((check) => ({ check, status: 'SKIP' as const, detail: 'not run: the credentials are for another account' })),
    ];
  }
  const checks: Promise<CheckResult>[] = [
    Promise.resolve(ok('account', `signed in to ${identity.account} (${identity.arn})`)),
    guarded('state-bucket', 's3:ListBucket and s3:GetBucketVersioning', () => checkStateBucket(target, clients.s3)),
    guarded('oidc-provider', 'iam:GetOpenIDConnectProvider', () => checkOidcProvider(target, clients.iam)),
    guarded('deploy-role', 'iam:GetRole', () => checkRole('deploy-role', deployRoleArn(target.account), deployTrust(target), target, clients.iam)),
    guarded('plan-role', 'iam:GetRole', () => checkRole('plan-role', planRoleArn(target.account), planTrust(target), target, clients.iam)),
  ];
  const environment = target.environment;
  if (!environment) {
    checks.push(checkRamSharing(clients.organizations, clients.iam));
  } else {
    checks.push(
      guarded('sso-admin-role', 'iam:ListRoles', () => checkSsoAdministrator(target, clients.iam)),
      guarded('eks-version', 'eks:DescribeClusterVersions', () => checkEksVersion(environment, region, clients.eks)),
      guarded('codebuild-github', 'codebuild:ListSourceCredentials', () => checkCodeBuildGithub(target, region, clients.codeBuild)),
      guarded('public-bucket-policy', 's3:GetAccountPublicAccessBlock', () => checkAccountPublicAccess(target, clients.s3Control)),
    );
  }
  return Promise.all(checks);
}

/** The checks that apply to the target, in table order. */
export function checkNames(target: PreflightTarget): string[] {
  const spokeOrHub = target.environment ? ['sso-admin-role', 'eks-version', 'codebuild-github', 'public-bucket-policy'] : ['ram-org-sharing'];
  return ['account', 'state-bucket', 'oidc-provider', 'deploy-role', 'plan-role', ...spokeOrHub];
}

async function checkStateBucket(target: PreflightTarget, s3: S3Client): Promise<CheckResult> {
  const bucket = stateBucket(target.name);
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket, ExpectedBucketOwner: target.account }));
  } catch (err) {
    if (isNamed(err, 'NotFound') || httpStatus(err) === 404) {
      return fail('state-bucket', `${bucket} does not exist; apply ${baselineStack(target)} (it creates the bucket)`);
    }
    if (httpStatus(err) === 403) {
      return fail('state-bucket', `${bucket} exists but not for this account: another account owns the name, or s3:ListBucket ` +
        'is denied to you; bucket names are global, so check who owns it before applying');
    }
    throw err;
  }
  const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket, ExpectedBucketOwner: target.account }));
  if (versioning.Status !== 'Enabled') {
    return fail('state-bucket', `${bucket} exists, but versioning is ${versioning.Status ?? 'off'}: state has no history to ` +
      `recover from; apply ${baselineStack(target)} (it enables versioning)`);
  }
  return ok('state-bucket', `${bucket} exists, versioning Enabled`);
}

async function checkOidcProvider(target: PreflightTarget, iam: IAMClient): Promise<CheckResult> {
  const arn = githubOidcProviderArn(target.account);
  try {
    const provider = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    const clientIds = provider.ClientIDList ?? [];
    if (!clientIds.includes(STS_AUDIENCE)) {
      return fail('oidc-provider', `${arn} exists, but its client IDs (${clientIds.join(', ') || 'none'}) lack ${STS_AUDIENCE}; ` +
        `GitHub jobs cannot sign in: apply ${baselineStack(target)}`);
    }
    return ok('oidc-provider', `${arn}, client ID ${STS_AUDIENCE}`);
  } catch (err) {
    if (isNamed(err, 'NoSuchEntityException')) {
      return fail('oidc-provider', `${arn} does not exist; apply ${baselineStack(target)} (it creates the provider)`);
    }
    throw err;
  }
}

function deployTrust(target: PreflightTarget): TrustExpectation {
  return {
    providerArn: githubOidcProviderArn(target.account),
    audience: STS_AUDIENCE,
    subject: deploySubject(target.name),
    // No other account's role may deploy: spokes apply the hub side of their attachment with a
    // hub-network role of their own (hub-baseline), never with the hub's deploy role.
    crossAccountRoles: [],
  };
}

function planTrust(target: PreflightTarget): TrustExpectation {
  return {
    providerArn: githubOidcProviderArn(target.account),
    audience: STS_AUDIENCE,
    subject: PLAN_SUBJECT,
    crossAccountRoles: target.environment ? [] : ENVIRONMENTS.map((env) => planRoleArn(env.account)),
  };
}

async function checkRole(check: string, arn: string, expected: TrustExpectation, target: PreflightTarget, iam: IAMClient): Promise<CheckResult> {
  const name = arn.slice(arn.indexOf(':role/') + ':role/'.length);
  let role: Role | undefined;
  try {
    role = (await iam.send(new GetRoleCommand({ RoleName: name }))).Role;
  } catch (err) {
    if (isNamed(err, 'NoSuchEntityException')) {
      return fail(check, `${name} does not exist; apply ${baselineStack(target)} (it creates the role)`);
    }
    throw err;
  }
  const { problems, notes } = trustFindings(role?.AssumeRolePolicyDocument ?? '', expected);
  if (problems.length > 0) {
    return fail(check, `${name}: ${problems.join('; ')}; apply ${baselineStack(target)} to restore the trust ` +
      `(only ${expected.subject}, aud ${expected.audience})`);
  }
  if (notes.length > 0) {
    return warn(check, `${name} trusts ${expected.subject}, and ${notes.join('; ')}: check that these are meant`);
  }
  return ok(check, `${name} trusts exactly ${expected.subject} (aud ${expected.audience})`);
}

/**
 * Whether RAM may share with the organization. The setting itself (trusted access for
 * ram.amazonaws.com) is readable only from the management account or a delegated administrator;
 * from any other account, the service-linked role RAM creates in the organization's accounts
 * when sharing is enabled stands in for it.
 */
async function checkRamSharing(organizations: OrganizationsClient, iam: IAMClient): Promise<CheckResult> {
  const check = 'ram-org-sharing';
  const enable = (management = '') =>
    `in the management account${management} run "aws ram enable-sharing-with-aws-organization" (or RAM console > Settings)`;
  try {
    const principals = await enabledServicePrincipals(organizations);
    return principals.includes(RAM_PRINCIPAL)
      ? ok(check, `trusted access for ${RAM_PRINCIPAL} is enabled in the organization`)
      : fail(check, `sharing with AWS Organizations is not enabled: ${enable()}`);
  } catch (err) {
    if (isNamed(err, 'AWSOrganizationsNotInUseException')) {
      return fail(check, 'the hub account is in no organization: the Transit Gateway is shared with the organization ' +
        '(external principals refused); join the hub to the organization of the spokes');
    }
    if (!isNamed(err, 'AccessDeniedException')) return failure(check, 'organizations:ListAWSServiceAccessForOrganization', err);
  }
  const management = await managementAccount(organizations);
  try {
    await iam.send(new GetRoleCommand({ RoleName: RAM_SERVICE_ROLE }));
    return ok(check, `${RAM_SERVICE_ROLE} exists, which RAM creates when sharing with the organization is enabled ` +
      `(the setting itself is readable only from the management account${management})`);
  } catch (err) {
    if (isNamed(err, 'NoSuchEntityException')) {
      return fail(check, `sharing with AWS Organizations is not enabled (no ${RAM_SERVICE_ROLE} in this account): ` +
        enable(management));
    }
    return failure(check, 'iam:GetRole', err);
  }
}

async function enabledServicePrincipals(organizations: OrganizationsClient): Promise<string[]> {
  const principals: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await organizations.send(new ListAWSServiceAccessForOrganizationCommand({ NextToken: nextToken }));
    principals.push(...(page.EnabledServicePrincipals ?? []).map((p) => p.ServicePrincipal ?? ''));
    nextToken = page.NextToken;
  } while (nextToken);
  return principals;
}

/** ` <id>` of the organization's management account, or nothing when it cannot be read. */
async function managementAccount(organizations: OrganizationsClient): Promise<string> {
  try {
    const { Organization } = await organizations.send(new DescribeOrganizationCommand({}));
    return Organization?.MasterAccountId ? ` ${Organization.MasterAccountId}` : '';
  } catch {
    return '';
  }
}

async function checkSsoAdministrator(target: PreflightTarget, iam: IAMClient): Promise<CheckResult> {
  const check = 'sso-admin-role';
  const found: Role[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListRolesCommand({ PathPrefix: SSO_ROLE_PATH, Marker: marker }));
    found.push(...(page.Roles ?? []).filter((role) => SSO_ADMIN_ROLE.test(role.RoleName ?? '')));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  if (found.length === 0) {
    return fail(check, `no AWSReservedSSO_AdministratorAccess_* role under ${SSO_ROLE_PATH}: in IAM Identity Center, ` +
      `assign the AdministratorAccess permission set to your group in account ${target.account} (that provisions the role)`);
  }
  if (found.length > 1) {
    return fail(check, `${found.length} roles match (${found.map((r) => r.RoleName).join(', ')}); the cluster's admin ` +
      'access entry needs exactly one: remove the extra AdministratorAccess provisioning in IAM Identity Center');
  }
  return ok(check, `${found[0].RoleName} (${found[0].Arn})`);
}

async function checkEksVersion(environment: Environment, region: string, eks: EKSClient): Promise<CheckResult> {
  const check = 'eks-version';
  const version = environment.kubernetesVersion;
  const { clusterVersions } = await eks.send(new DescribeClusterVersionsCommand({ clusterVersions: [version], includeAll: true }));
  const info = (clusterVersions ?? []).find((v) => v.clusterVersion === version);
  const pick = `set ${environment.name}'s kubernetesVersion in @piksel/estate to one "aws eks describe-cluster-versions --region ${region}" lists`;
  if (!info) {
    return fail(check, `EKS in ${region} does not offer Kubernetes ${version}; ${pick}`);
  }
  const status = info.versionStatus ?? info.status;
  if (status === 'UNSUPPORTED') {
    return fail(check, `Kubernetes ${version} is no longer supported by EKS in ${region}; ${pick}`);
  }
  if (status === 'EXTENDED_SUPPORT') {
    return warn(check, `Kubernetes ${version} is in extended support (billed extra) until ${day(info.endOfExtendedSupportDate)}; ` +
      `plan the upgrade of ${environment.clusterName}`);
  }
  return ok(check, `Kubernetes ${version} is offered in ${region}, standard support until ${day(info.endOfStandardSupportDate)}`);
}

/**
 * Whether CodeBuild can reach GitHub: the in-VPC runner's project registers with GitHub through
 * the account's GitHub source credential. Connecting it takes a person (an OAuth or connection
 * handshake, or a token), so it cannot be code.
 */
async function checkCodeBuildGithub(target: PreflightTarget, region: string, codeBuild: CodeBuildClient): Promise<CheckResult> {
  const check = 'codebuild-github';
  const { sourceCredentialsInfos } = await codeBuild.send(new ListSourceCredentialsCommand({}));
  const github: SourceCredentialsInfo | undefined = (sourceCredentialsInfos ?? []).find((c) => c.serverType === 'GITHUB');
  if (!github) {
    return fail(check, `CodeBuild in ${region} has no GitHub source credential: connect it once in account ${target.account} ` +
      '(CodeBuild console > a project > Source: GitHub > connect with OAuth or a personal access token, or a CodeConnections ' +
      'connection whose ARN you then give as githubConnectionArn of this environment in @piksel/estate)');
  }
  if (github.authType === 'CODECONNECTIONS') {
    const expected = target.environment?.githubConnectionArn;
    if (expected !== github.resource) {
      return fail(check, `GitHub through the connection ${github.resource}, but the estate names ${expected ?? 'none'} for ${target.name}: ` +
        `the runner's role may use only the connection the estate names; set githubConnectionArn of ${target.name} to that ARN in @piksel/estate and apply ${target.name}`);
    }
    return warn(check, `GitHub through the connection ${github.resource}: its status is not read here; check that it is ` +
      'Available ("aws codeconnections get-connection --connection-arn <that ARN>"): a new connection stays Pending until ' +
      'its handshake is completed in the console');
  }
  return ok(check, `GitHub source credential (${github.authType})`);
}

/**
 * Whether the account lets a bucket policy grant public read: the environment's open-data bucket
 * (`piksel-<env>-public-data`, in the `<env>-data` stack) publishes with one. The account-level public access block
 * (`BlockPublicPolicy`, `RestrictPublicBuckets`) overrides every bucket's own, and a new account
 * or an organization guardrail often has it on: the data stack's apply would then be refused.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
 */
async function checkAccountPublicAccess(target: PreflightTarget, s3Control: S3ControlClient): Promise<CheckResult> {
  const check = 'public-bucket-policy';
  let config;
  try {
    config = (await s3Control.send(new GetPublicAccessBlockCommand({ AccountId: target.account }))).PublicAccessBlockConfiguration;
  } catch (err) {
    if (isNamed(err, 'NoSuchPublicAccessBlockConfiguration')) return ok(check, 'the account sets no public access block: the open-data bucket may publish');
    throw err;
  }
  const blocking = (['BlockPublicPolicy', 'RestrictPublicBuckets'] as const).filter((key) => config?.[key] === true);
  if (blocking.length > 0) {
    return fail(check, `the account's public access block has ${blocking.join(' and ')} on, so the open-data bucket's public read policy ` +
      `(piksel-${target.name}-public-data, applied by ${target.name}-data) would be refused: turn ${blocking.join(' and ')} off at the account (S3 console > Block Public Access settings ` +
      'for this account), keep BlockPublicAcls and IgnorePublicAcls on; every other bucket keeps its own block');
  }
  return ok(check, 'the account lets a bucket policy grant public read (its own public access block stays on for every other bucket)');
}

/** Runs a check, turning an AWS error it did not expect into a FAIL that says what could not be read. */
async function guarded(check: string, permission: string, run: () => Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await run();
  } catch (err) {
    return failure(check, permission, err);
  }
}

function failure(check: string, permission: string, err: unknown): CheckResult {
  const error = err as { name?: string; message?: string };
  if (error.name === 'AccessDenied' || error.name === 'AccessDeniedException' || httpStatus(err) === 403) {
    return fail(check, `could not check: access denied (${error.message ?? error.name}); the preflight needs ${permission}`);
  }
  return fail(check, `could not check: ${describeAwsError(err)}`);
}

function baselineStack(target: PreflightTarget): string {
  return `${target.name}-baseline`;
}

function httpStatus(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

function day(date: Date | undefined): string {
  return date ? date.toISOString().slice(0, 10) : 'an unannounced date';
}

function ok(check: string, detail: string): CheckResult {
  return { check, status: 'OK', detail };
}

function warn(check: string, detail: string): CheckResult {
  return { check, status: 'WARN', detail };
}

function fail(check: string, detail: string): CheckResult {
  return { check, status: 'FAIL', detail };
}

function printTable(io: Io, results: CheckResult[]): void {
  const rows = [{ check: 'CHECK', status: 'STATUS', detail: 'DETAIL' }, ...results];
  const checkWidth = Math.max(...rows.map((r) => r.check.length));
  const statusWidth = Math.max(...rows.map((r) => r.status.length));
  for (const r of rows) {
    say(io, `${r.check.padEnd(checkWidth)}  ${r.status.padEnd(statusWidth)}  ${r.detail}`);
  }
}
