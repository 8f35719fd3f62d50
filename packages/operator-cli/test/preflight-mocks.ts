import { CodeBuildClient, ListSourceCredentialsCommand } from '@aws-sdk/client-codebuild';
import { DescribeClusterVersionsCommand, EKSClient } from '@aws-sdk/client-eks';
import { GetOpenIDConnectProviderCommand, GetRoleCommand, IAMClient, ListRolesCommand, NoSuchEntityException, Role } from '@aws-sdk/client-iam';
import { DescribeOrganizationCommand, ListAWSServiceAccessForOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetBucketVersioningCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand, NoSuchPublicAccessBlockConfiguration, S3ControlClient } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ENVIRONMENTS, HUB } from '@piksel/estate';
import { mockClient } from 'aws-sdk-client-mock';
import { sts } from './aws-mocks';

export { sts };
export const iam = mockClient(IAMClient);
export const s3 = mockClient(S3Client);
export const organizations = mockClient(OrganizationsClient);
export const eks = mockClient(EKSClient);
export const codeBuild = mockClient(CodeBuildClient);
export const s3Control = mockClient(S3ControlClient);

export const REPOSITORY = 'piksel-ina/piksel-constructs';
export const ORGANIZATION_MANAGEMENT_ACCOUNT = '111122223333';

const ACCOUNTS: Record<string, string> = {
  [HUB.name]: HUB.account,
  ...Object.fromEntries(ENVIRONMENTS.map((env) => [env.name, env.account])),
};

/** An IAM policy statement, loosely typed as IAM accepts it. */
export type Statement = Record<string, unknown>;

/** The statement the baseline gives a pipeline role: GitHub's provider, `aud`, the exact `sub`. */
export function githubStatement(account: string, sub: string | string[], operator = 'StringEquals'): Statement {
  const condition: Record<string, Record<string, string | string[]>> = {
    StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
  };
  condition[operator] = { ...condition[operator], 'token.actions.githubusercontent.com:sub': sub };
  return {
    Effect: 'Allow',
    Principal: { Federated: `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com` },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: condition,
  };
}

/** A trust policy as GetRole returns it: URL-encoded JSON. */
export function trustPolicy(...statements: Statement[]): string {
  return encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: statements }));
}

/** Makes the role `name` exist in `account` with the trust policy `document`. */
export function mockRole(account: string, name: string, document?: string, path = '/'): Role {
  const role: Role = {
    Path: path,
    RoleName: name,
    RoleId: `AROA${name.length}EXAMPLE`,
    Arn: `arn:aws:iam::${account}:role${path}${name}`,
    CreateDate: new Date('2026-01-05T00:00:00Z'),
    AssumeRolePolicyDocument: document,
  };
  iam.on(GetRoleCommand, { RoleName: name }).resolves({ Role: role });
  return role;
}

/** Makes the role `name` absent. */
export function mockNoRole(name: string): void {
  iam.on(GetRoleCommand, { RoleName: name }).rejects(noSuchEntity(`The role with name ${name} cannot be found.`));
}

export function noSuchEntity(message: string): NoSuchEntityException {
  return new NoSuchEntityException({ message, $metadata: { httpStatusCode: 404 } });
}

/** An AWS error of `name` with `message`, as the SDK throws it. */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}

/**
 * Resets the mocks to an account where every check of `env` passes: signed in to its account,
 * the baseline applied, RAM sharing enabled (hub), one SSO administrator role, the estate's
 * Kubernetes version offered and a GitHub token for CodeBuild (spokes).
 */
export function mockReadyAccount(env: string): void {
  for (const mock of [sts, iam, s3, organizations, eks, codeBuild, s3Control]) mock.reset();
  const account = ACCOUNTS[env];
  sts.on(GetCallerIdentityCommand).resolves({ Account: account, Arn: `arn:aws:sts::${account}:assumed-role/AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6789/operator` });
  s3.on(HeadBucketCommand).resolves({ BucketRegion: 'ap-southeast-3' });
  s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
  iam.on(GetOpenIDConnectProviderCommand).resolves({
    Url: 'token.actions.githubusercontent.com', ClientIDList: ['sts.amazonaws.com'], ThumbprintList: [],
  });
  iam.on(GetRoleCommand).rejects(noSuchEntity('The role cannot be found.'));
  const spokeRoles = (role: string) => ENVIRONMENTS.map((e) => `arn:aws:iam::${e.account}:role/${role}`);
  const crossAccount = (role: string): Statement[] => (env === HUB.name
    ? [{ Effect: 'Allow', Principal: { AWS: spokeRoles(role) }, Action: 'sts:AssumeRole' }]
    : []);
  // The hub's deploy role trusts no other account (spokes use their own hub-network roles).
  mockRole(account, 'piksel-deploy', trustPolicy(githubStatement(account, `repo:${REPOSITORY}:environment:${env}`)));
  mockRole(account, 'piksel-plan', trustPolicy(githubStatement(account, `repo:${REPOSITORY}:pull_request`), ...crossAccount('piksel-plan')));
  mockRole(account, 'AWSServiceRoleForResourceAccessManager', undefined, '/aws-service-role/ram.amazonaws.com/');
  iam.on(ListRolesCommand).resolves({
    Roles: [ssoRole(account, 'AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6789'), ssoRole(account, 'AWSReservedSSO_ReadOnlyAccess_99aa88bb77cc66dd')],
    IsTruncated: false,
  });
  organizations.on(ListAWSServiceAccessForOrganizationCommand).resolves({
    EnabledServicePrincipals: [{ ServicePrincipal: 'sso.amazonaws.com' }, { ServicePrincipal: 'ram.amazonaws.com' }],
  });
  organizations.on(DescribeOrganizationCommand).resolves({ Organization: { Id: 'o-a1b2c3d4e5', MasterAccountId: ORGANIZATION_MANAGEMENT_ACCOUNT } });
  const version = ENVIRONMENTS.find((e) => e.name === env)?.kubernetesVersion ?? '1.36';
  eks.on(DescribeClusterVersionsCommand).resolves({
    clusterVersions: [{
      clusterVersion: version,
      versionStatus: 'STANDARD_SUPPORT',
      releaseDate: new Date('2026-06-01T00:00:00Z'),
      endOfStandardSupportDate: new Date('2027-07-01T00:00:00Z'),
      endOfExtendedSupportDate: new Date('2028-07-01T00:00:00Z'),
    }],
  });
  s3Control.on(GetPublicAccessBlockCommand).rejects(new NoSuchPublicAccessBlockConfiguration({ message: 'The public access block configuration was not found', $metadata: {} }));
  codeBuild.on(ListSourceCredentialsCommand).resolves({
    sourceCredentialsInfos: [{ arn: `arn:aws:codebuild:ap-southeast-3:${account}:token/github`, serverType: 'GITHUB', authType: 'PERSONAL_ACCESS_TOKEN' }],
  });
}

/** An SSO role as ListRoles returns it, under IAM Identity Center's path. */
export function ssoRole(account: string, name: string): Role {
  const path = '/aws-reserved/sso.amazonaws.com/ap-southeast-3/';
  return {
    Path: path, RoleName: name, RoleId: 'AROAEXAMPLESSO', Arn: `arn:aws:iam::${account}:role${path}${name}`, CreateDate: new Date('2025-11-01T00:00:00Z'),
  };
}

/** The names of every AWS call the preflight made, across all clients. */
export function callNames(): string[] {
  const calls: { args: unknown[] }[] = [sts, iam, s3, organizations, eks, codeBuild].flatMap((mock): { args: unknown[] }[] => mock.calls());
  return calls.map((call) => (call.args[0] as object).constructor.name);
}
