import { ListSourceCredentialsCommand } from '@aws-sdk/client-codebuild';
import { DescribeClusterVersionsCommand } from '@aws-sdk/client-eks';
import { GetOpenIDConnectProviderCommand, GetRoleCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import {
  AccessDeniedException, AWSOrganizationsNotInUseException, ListAWSServiceAccessForOrganizationCommand,
} from '@aws-sdk/client-organizations';
import { GetBucketVersioningCommand, HeadBucketCommand, NotFound } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ENVIRONMENTS, findEnvironment } from '@piksel/estate';
import {
  awsError, callNames, codeBuild, eks, githubStatement, iam, mockNoRole, mockReadyAccount, mockRole, noSuchEntity,
  organizations, ORGANIZATION_MANAGEMENT_ACCOUNT, REPOSITORY, s3, s3Control, ssoRole, sts, trustPolicy,
} from './preflight-mocks';
import { runPreflightCli } from './util';

const DEV = '236122835646';

/** The table's row for `check`, columns collapsed to single spaces. */
function row(stdout: string, check: string): string {
  const line = stdout.split('\n').find((l) => l.startsWith(`${check} `));
  if (!line) throw new Error(`no row ${check} in:\n${stdout}`);
  return line.replace(/ {2,}/g, '  ');
}

async function preflightDev() {
  return runPreflightCli(['--env', 'dev']);
}

describe('piksel-preflight', () => {
  describe('a ready account', () => {
    test('passes every check of a spoke and exits 0', async () => {
      mockReadyAccount('dev');
      const result = await preflightDev();

      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      const lines = result.stdout.split('\n');
      expect(lines[0]).toBe('Preflight of dev (account 236122835646, region ap-southeast-3):');
      expect(lines[1]).toMatch(/^CHECK +STATUS +DETAIL$/);
      expect(lines.slice(2, 10).map((l) => l.split(/ +/).slice(0, 2).join(' '))).toEqual([
        'account OK', 'state-bucket OK', 'oidc-provider OK', 'deploy-role OK', 'plan-role OK',
        'sso-admin-role OK', 'eks-version OK', 'codebuild-github OK',
      ]);
      expect(row(result.stdout, 'state-bucket')).toBe('state-bucket  OK  piksel-dev-tfstate exists, versioning Enabled');
      expect(row(result.stdout, 'deploy-role')).toBe(`deploy-role  OK  piksel-deploy trusts exactly repo:${REPOSITORY}:environment:dev (aud sts.amazonaws.com)`);
      expect(row(result.stdout, 'plan-role')).toBe(`plan-role  OK  piksel-plan trusts exactly repo:${REPOSITORY}:pull_request (aud sts.amazonaws.com)`);
      expect(row(result.stdout, 'eks-version')).toBe('eks-version  OK  Kubernetes 1.36 is offered in ap-southeast-3, standard support until 2027-07-01');
      expect(result.stdout).toContain('All 9 checks of dev passed: an apply has what it needs.');
      expect(result.stdout).not.toContain('ram-org-sharing');
    });

    test('passes every check of the hub, whose plan role also trusts the spokes\' plan roles', async () => {
      mockReadyAccount('hub');
      const result = await runPreflightCli(['--env', 'hub']);

      expect(result.code).toBe(0);
      expect(row(result.stdout, 'deploy-role')).toMatch(/OK  piksel-deploy trusts exactly repo:piksel-ina\/piksel-constructs:environment:hub/);
      expect(row(result.stdout, 'state-bucket')).toContain('piksel-hub-tfstate exists');
      expect(row(result.stdout, 'ram-org-sharing')).toBe('ram-org-sharing  OK  trusted access for ram.amazonaws.com is enabled in the organization');
      expect(result.stdout).not.toMatch(/sso-admin-role|eks-version|codebuild-github/);
      expect(result.stdout).toContain('All 6 checks of hub passed');
    });

    test('reads the names it checks from the estate table', async () => {
      mockReadyAccount('staging');
      await runPreflightCli(['--env', 'staging']);

      expect(s3.commandCalls(HeadBucketCommand)[0].args[0].input).toEqual({ Bucket: 'piksel-staging-tfstate', ExpectedBucketOwner: '326641642924' });
      expect(iam.commandCalls(GetOpenIDConnectProviderCommand)[0].args[0].input.OpenIDConnectProviderArn)
        .toBe('arn:aws:iam::326641642924:oidc-provider/token.actions.githubusercontent.com');
      expect(iam.commandCalls(GetRoleCommand).map((c) => c.args[0].input.RoleName).sort()).toEqual(['piksel-deploy', 'piksel-plan']);
      expect(iam.commandCalls(ListRolesCommand)[0].args[0].input.PathPrefix).toBe('/aws-reserved/sso.amazonaws.com/');
      expect(eks.commandCalls(DescribeClusterVersionsCommand)[0].args[0].input).toEqual({ clusterVersions: [findEnvironment('staging')!.kubernetesVersion], includeAll: true });
    });

    test('makes read-only calls only', async () => {
      mockReadyAccount('dev');
      await preflightDev();
      mockReadyAccount('hub');
      organizations.on(ListAWSServiceAccessForOrganizationCommand).rejects(new AccessDeniedException({ message: 'denied', $metadata: {} }));
      await runPreflightCli(['--env', 'hub']);

      // mockReadyAccount resets the mocks: these are the hub's calls, including the RAM fallback.
      const names = callNames();
      expect(names).toContain('GetRoleCommand');
      expect(names.filter((name) => !/^(Get|List|Describe|Head)[A-Za-z]+Command$/.test(name))).toEqual([]);
    });
  });

  describe('account', () => {
    test('fails on credentials of another account, and skips every other check', async () => {
      mockReadyAccount('dev');
      const result = await runPreflightCli(['--env', 'production']);

      expect(result.code).toBe(1);
      expect(row(result.stdout, 'account')).toMatch(/FAIL  signed in to 236122835646 \(.*\), but production is account 522783511350; sign in to production's account/);
      expect(row(result.stdout, 'state-bucket')).toBe('state-bucket  SKIP  not run: the credentials are for another account');
      expect(row(result.stdout, 'codebuild-github')).toContain('SKIP');
      expect(callNames()).toEqual(['GetCallerIdentityCommand']);
    });

    test('exits 2 without usable credentials, saying how to sign in', async () => {
      mockReadyAccount('dev');
      sts.on(GetCallerIdentityCommand).rejects(awsError('CredentialsProviderError', 'Could not load credentials from any providers'));
      const result = await preflightDev();

      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/error: no usable AWS credentials .* "aws sso login --profile <profile>"/);
      expect(result.stdout).toBe('');
    });

    test('exits 2 without a network, saying the AWS endpoint could not be reached and what to check', async () => {
      mockReadyAccount('dev');
      const offline = Object.assign(new Error('getaddrinfo ENOTFOUND sts.ap-southeast-3.amazonaws.com'), {
        code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'sts.ap-southeast-3.amazonaws.com', $metadata: { attempts: 3 },
      });
      sts.on(GetCallerIdentityCommand).rejects(offline);
      const result = await preflightDev();

      expect(result.code).toBe(2);
      expect(result.stderr).toBe('error: the AWS endpoint could not be reached (getaddrinfo ENOTFOUND sts.ap-southeast-3.amazonaws.com). '
        + 'Check the network connection, the proxy settings (HTTPS_PROXY, NO_PROXY) and the region (--region), then retry.\n');
      expect(result.stdout).toBe('');
    });

    test('fails a check whose endpoint cannot be reached, with the same hint', async () => {
      mockReadyAccount('dev');
      eks.on(DescribeClusterVersionsCommand).rejects(Object.assign(new Error('connect ETIMEDOUT 52.94.1.1:443'), { code: 'ETIMEDOUT' }));
      const result = await preflightDev();

      expect(result.code).toBe(1);
      expect(row(result.stdout, 'eks-version')).toBe('eks-version  FAIL  could not check: the AWS endpoint could not be reached (connect ETIMEDOUT 52.94.1.1:443). '
        + 'Check the network connection, the proxy settings (HTTPS_PROXY, NO_PROXY) and the region (--region), then retry.');
    });
  });

  describe('state-bucket', () => {
    beforeEach(() => mockReadyAccount('dev'));

    test('fails when the bucket does not exist', async () => {
      s3.on(HeadBucketCommand).rejects(new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } }));
      const result = await preflightDev();

      expect(result.code).toBe(1);
      expect(row(result.stdout, 'state-bucket')).toBe('state-bucket  FAIL  piksel-dev-tfstate does not exist; apply dev-baseline (it creates the bucket)');
      expect(result.stdout).toContain('1 of 9 checks of dev failed.');
    });

    test('fails when versioning is suspended or was never enabled', async () => {
      s3.on(GetBucketVersioningCommand).resolves({ Status: 'Suspended' });
      expect(row((await preflightDev()).stdout, 'state-bucket')).toMatch(/FAIL  piksel-dev-tfstate exists, but versioning is Suspended: .* apply dev-baseline/);

      s3.on(GetBucketVersioningCommand).resolves({});
      expect(row((await preflightDev()).stdout, 'state-bucket')).toMatch(/FAIL  piksel-dev-tfstate exists, but versioning is off/);
    });

    test('fails when the name belongs to another account', async () => {
      s3.on(HeadBucketCommand).rejects(awsError('403', 'Forbidden', 403));
      const result = await preflightDev();

      expect(result.code).toBe(1);
      expect(row(result.stdout, 'state-bucket')).toMatch(/FAIL  piksel-dev-tfstate exists but not for this account: another account owns the name/);
    });
  });

  describe('oidc-provider', () => {
    beforeEach(() => mockReadyAccount('dev'));

    test('names the provider it found', async () => {
      expect(row((await preflightDev()).stdout, 'oidc-provider'))
        .toBe(`oidc-provider  OK  arn:aws:iam::${DEV}:oidc-provider/token.actions.githubusercontent.com, client ID sts.amazonaws.com`);
    });

    test('fails when the provider does not exist', async () => {
      iam.on(GetOpenIDConnectProviderCommand).rejects(noSuchEntity('OpenIDConnect Provider not found'));
      const result = await preflightDev();

      expect(result.code).toBe(1);
      expect(row(result.stdout, 'oidc-provider')).toMatch(/FAIL  arn:aws:iam::236122835646:oidc-provider\/token.actions.githubusercontent.com does not exist; apply dev-baseline/);
    });

    test('fails when the provider lacks the client ID sts.amazonaws.com', async () => {
      iam.on(GetOpenIDConnectProviderCommand).resolves({ Url: 'token.actions.githubusercontent.com', ClientIDList: ['sigstore'] });
      expect(row((await preflightDev()).stdout, 'oidc-provider')).toMatch(/FAIL  .* its client IDs \(sigstore\) lack sts.amazonaws.com/);
    });
  });

  describe('deploy-role and plan-role', () => {
    beforeEach(() => mockReadyAccount('dev'));

    test('fail when the roles do not exist', async () => {
      mockNoRole('piksel-deploy');
      mockNoRole('piksel-plan');
      const result = await preflightDev();

      expect(result.code).toBe(1);
      expect(row(result.stdout, 'deploy-role')).toBe('deploy-role  FAIL  piksel-deploy does not exist; apply dev-baseline (it creates the role)');
      expect(row(result.stdout, 'plan-role')).toBe('plan-role  FAIL  piksel-plan does not exist; apply dev-baseline (it creates the role)');
    });

    test('fail when the deploy role also accepts pull requests', async () => {
      mockRole(DEV, 'piksel-deploy', trustPolicy(githubStatement(DEV, [`repo:${REPOSITORY}:environment:dev`, `repo:${REPOSITORY}:pull_request`])));
      const result = await preflightDev();

      expect(result.code).toBe(1);
      expect(row(result.stdout, 'deploy-role')).toBe(`deploy-role  FAIL  piksel-deploy: accepts sub "repo:${REPOSITORY}:pull_request"; ` +
        `apply dev-baseline to restore the trust (only repo:${REPOSITORY}:environment:dev, aud sts.amazonaws.com)`);
    });

    test('fail when the plan role trusts a wildcard subject', async () => {
      mockRole(DEV, 'piksel-plan', trustPolicy(githubStatement(DEV, 'repo:piksel-ina/*', 'StringLike')));
      const result = await preflightDev();

      expect(result.code).toBe(1);
      expect(row(result.stdout, 'plan-role')).toMatch(/FAIL  piksel-plan: matches sub with StringLike \("repo:piksel-ina\/\*"\); use StringEquals/);
    });

    test('fail when the plan role is the deploy role\'s subject', async () => {
      mockRole(DEV, 'piksel-plan', trustPolicy(githubStatement(DEV, `repo:${REPOSITORY}:environment:dev`)));
      expect(row((await preflightDev()).stdout, 'plan-role')).toMatch(/FAIL  piksel-plan: accepts sub "repo:piksel-ina\/piksel-constructs:environment:dev"/);
    });

    test('warn when a spoke role also trusts another principal', async () => {
      mockRole(DEV, 'piksel-deploy', trustPolicy(
        githubStatement(DEV, `repo:${REPOSITORY}:environment:dev`),
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:role/ci' }, Action: 'sts:AssumeRole' },
      ));
      const result = await preflightDev();

      expect(result.code).toBe(0);
      expect(row(result.stdout, 'deploy-role')).toMatch(/WARN  piksel-deploy trusts .*, and also trusts arn:aws:iam::444455556666:role\/ci: check that these are meant/);
      expect(result.stdout).toContain('All 9 checks of dev passed (1 warning)');
    });

    test('fail with the permission it needs when GetRole is denied', async () => {
      iam.on(GetRoleCommand).rejects(awsError('AccessDenied', 'User: arn:aws:sts::236122835646:assumed-role/x/y is not authorized to perform: iam:GetRole', 403));
      const result = await preflightDev();

      expect(result.code).toBe(1);
      expect(row(result.stdout, 'deploy-role')).toMatch(/FAIL  could not check: access denied \(User: .* iam:GetRole\); the preflight needs iam:GetRole/);
    });
  });

  describe('ram-org-sharing (hub)', () => {
    beforeEach(() => mockReadyAccount('hub'));

    test('fails when the organization has not enabled RAM', async () => {
      organizations.on(ListAWSServiceAccessForOrganizationCommand).resolves({ EnabledServicePrincipals: [{ ServicePrincipal: 'sso.amazonaws.com' }] });
      const result = await runPreflightCli(['--env', 'hub']);

      expect(result.code).toBe(1);
      expect(row(result.stdout, 'ram-org-sharing')).toBe('ram-org-sharing  FAIL  sharing with AWS Organizations is not enabled: ' +
        'in the management account run "aws ram enable-sharing-with-aws-organization" (or RAM console > Settings)');
    });

    test('reads all pages of enabled services', async () => {
      organizations.on(ListAWSServiceAccessForOrganizationCommand)
        .resolvesOnce({ EnabledServicePrincipals: [{ ServicePrincipal: 'sso.amazonaws.com' }], NextToken: 'page-2' })
        .resolvesOnce({ EnabledServicePrincipals: [{ ServicePrincipal: 'ram.amazonaws.com' }] });
      const result = await runPreflightCli(['--env', 'hub']);

      expect(row(result.stdout, 'ram-org-sharing')).toContain('OK');
      expect(organizations.commandCalls(ListAWSServiceAccessForOrganizationCommand)[1].args[0].input.NextToken).toBe('page-2');
    });

    test('in a member account, passes on the service-linked role RAM creates', async () => {
      organizations.on(ListAWSServiceAccessForOrganizationCommand).rejects(new AccessDeniedException({ message: 'You don\'t have permissions to access this resource.', $metadata: {} }));
      const result = await runPreflightCli(['--env', 'hub']);

      expect(result.code).toBe(0);
      expect(row(result.stdout, 'ram-org-sharing')).toBe('ram-org-sharing  OK  AWSServiceRoleForResourceAccessManager exists, which RAM creates ' +
        `when sharing with the organization is enabled (the setting itself is readable only from the management account ${ORGANIZATION_MANAGEMENT_ACCOUNT})`);
    });

    test('in a member account, fails without the service-linked role, naming the management account', async () => {
      organizations.on(ListAWSServiceAccessForOrganizationCommand).rejects(new AccessDeniedException({ message: 'denied', $metadata: {} }));
      mockNoRole('AWSServiceRoleForResourceAccessManager');
      const result = await runPreflightCli(['--env', 'hub']);

      expect(result.code).toBe(1);
      expect(row(result.stdout, 'ram-org-sharing')).toMatch(new RegExp('FAIL  sharing with AWS Organizations is not enabled \\(no AWSServiceRoleForResourceAccessManager ' +
        `in this account\\): in the management account ${ORGANIZATION_MANAGEMENT_ACCOUNT} run "aws ram enable-sharing-with-aws-organization"`));
    });

    test('fails when the hub is in no organization', async () => {
      organizations.on(ListAWSServiceAccessForOrganizationCommand).rejects(new AWSOrganizationsNotInUseException({ message: 'not in use', $metadata: {} }));
      const result = await runPreflightCli(['--env', 'hub']);

      expect(result.code).toBe(1);
      expect(row(result.stdout, 'ram-org-sharing')).toMatch(/FAIL  the hub account is in no organization/);
    });
  });

  describe('sso-admin-role (spokes)', () => {
    beforeEach(() => mockReadyAccount('dev'));

    test('names the one role it found, reading every page', async () => {
      iam.on(ListRolesCommand)
        .resolvesOnce({ Roles: [ssoRole(DEV, 'AWSReservedSSO_ReadOnlyAccess_99aa88bb77cc66dd')], IsTruncated: true, Marker: 'm2' })
        .resolvesOnce({ Roles: [ssoRole(DEV, 'AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6789')], IsTruncated: false });
      const result = await preflightDev();

      expect(row(result.stdout, 'sso-admin-role')).toBe('sso-admin-role  OK  AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6789 ' +
        `(arn:aws:iam::${DEV}:role/aws-reserved/sso.amazonaws.com/ap-southeast-3/AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6789)`);
      expect(iam.commandCalls(ListRolesCommand)[1].args[0].input.Marker).toBe('m2');
    });

    test('fails when the permission set is not provisioned in the account', async () => {
      iam.on(ListRolesCommand).resolves({ Roles: [ssoRole(DEV, 'AWSReservedSSO_ReadOnlyAccess_99aa88bb77cc66dd')], IsTruncated: false });
      const result = await preflightDev();

      expect(result.code).toBe(1);
      expect(row(result.stdout, 'sso-admin-role')).toMatch(/FAIL  no AWSReservedSSO_AdministratorAccess_\* role .* assign the AdministratorAccess permission set to your group in account 236122835646/);
    });

    test('fails when more than one role matches', async () => {
      iam.on(ListRolesCommand).resolves({
        Roles: [ssoRole(DEV, 'AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6789'), ssoRole(DEV, 'AWSReservedSSO_AdministratorAccess_ffeeddccbbaa9988')],
        IsTruncated: false,
      });
      const result = await preflightDev();

      expect(result.code).toBe(1);
      expect(row(result.stdout, 'sso-admin-role')).toMatch(/FAIL  2 roles match \(AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6789, AWSReservedSSO_AdministratorAccess_ffeeddccbbaa9988\); .* exactly one/);
    });
  });

  describe('eks-version (spokes)', () => {
    beforeEach(() => mockReadyAccount('dev'));

    test('fails when EKS does not offer the table\'s version in the region', async () => {
      eks.on(DescribeClusterVersionsCommand).resolves({ clusterVersions: [] });
      const result = await preflightDev();

      expect(result.code).toBe(1);
      expect(row(result.stdout, 'eks-version')).toBe('eks-version  FAIL  EKS in ap-southeast-3 does not offer Kubernetes 1.36; ' +
        'set dev\'s kubernetesVersion in @piksel/estate to one "aws eks describe-cluster-versions --region ap-southeast-3" lists');
    });

    test('fails when the version is no longer supported', async () => {
      eks.on(DescribeClusterVersionsCommand).resolves({ clusterVersions: [{ clusterVersion: '1.36', versionStatus: 'UNSUPPORTED' }] });
      expect(row((await preflightDev()).stdout, 'eks-version')).toMatch(/FAIL  Kubernetes 1.36 is no longer supported by EKS in ap-southeast-3/);
    });

    test('warns when the version is in extended support', async () => {
      eks.on(DescribeClusterVersionsCommand).resolves({
        clusterVersions: [{ clusterVersion: '1.36', versionStatus: 'EXTENDED_SUPPORT', endOfExtendedSupportDate: new Date('2028-07-01T00:00:00Z') }],
      });
      const result = await preflightDev();

      expect(result.code).toBe(0);
      expect(row(result.stdout, 'eks-version')).toBe('eks-version  WARN  Kubernetes 1.36 is in extended support (billed extra) until 2028-07-01; plan the upgrade of piksel-dev');
    });
  });

  describe('codebuild-github (spokes)', () => {
    beforeEach(() => mockReadyAccount('dev'));

    test('passes with a GitHub token credential', async () => {
      expect(row((await preflightDev()).stdout, 'codebuild-github')).toBe('codebuild-github  OK  GitHub source credential (PERSONAL_ACCESS_TOKEN)');
    });

    test('fails when CodeBuild has no GitHub credential, saying how to connect it', async () => {
      codeBuild.on(ListSourceCredentialsCommand).resolves({
        sourceCredentialsInfos: [{ arn: 'arn:aws:codebuild:ap-southeast-3:236122835646:token/bitbucket', serverType: 'BITBUCKET', authType: 'OAUTH' }],
      });
      const result = await preflightDev();

      expect(result.code).toBe(1);
      expect(row(result.stdout, 'codebuild-github')).toMatch(/FAIL  CodeBuild in ap-southeast-3 has no GitHub source credential: connect it once in account 236122835646 .*OAuth or a personal access token, or a CodeConnections connection whose ARN you then give as githubConnectionArn/);
    });

    const connection = 'arn:aws:codeconnections:ap-southeast-3:236122835646:connection/0a1b2c3d-1111-2222-3333-444455556666';
    const throughConnection = () => codeBuild.on(ListSourceCredentialsCommand).resolves({
      sourceCredentialsInfos: [{ arn: 'arn:aws:codebuild:ap-southeast-3:236122835646:token/github', serverType: 'GITHUB', authType: 'CODECONNECTIONS', resource: connection }],
    });

    test('fails when GitHub goes through a connection the estate does not name (the runner could not use it)', async () => {
      throughConnection();
      const result = await preflightDev();

      expect(result.code).toBe(1);
      expect(row(result.stdout, 'codebuild-github')).toContain(`FAIL  GitHub through the connection ${connection}, but the estate names none for dev: the runner's role may use only the connection the estate names`);
    });

    test('warns that a connection\'s status is not read, when the estate names that connection', async () => {
      throughConnection();
      const dev = ENVIRONMENTS.find((env) => env.name === 'dev') as { githubConnectionArn?: string };
      dev.githubConnectionArn = connection;
      try {
        const result = await preflightDev();
        expect(result.code).toBe(0);
        expect(row(result.stdout, 'codebuild-github')).toContain(`WARN  GitHub through the connection ${connection}: its status is not read here; check that it is Available`);
      } finally {
        delete dev.githubConnectionArn;
      }
    });
  });

  describe('public-bucket-policy (spokes)', () => {
    beforeEach(() => mockReadyAccount('dev'));

    test('passes when the account sets no public access block, or one that allows bucket policies', async () => {
      expect(row((await preflightDev()).stdout, 'public-bucket-policy')).toMatch(/OK  the account sets no public access block/);
      s3Control.on(GetPublicAccessBlockCommand).resolves({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false },
      });
      expect(row((await preflightDev()).stdout, 'public-bucket-policy')).toMatch(/OK  the account lets a bucket policy grant public read/);
    });

    test('fails when the account blocks public bucket policies, which the open-data bucket needs', async () => {
      s3Control.on(GetPublicAccessBlockCommand).resolves({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      });
      const result = await preflightDev();

      expect(result.code).toBe(1);
      expect(row(result.stdout, 'public-bucket-policy')).toMatch(/FAIL  the account's public access block has BlockPublicPolicy and RestrictPublicBuckets on, so the open-data bucket's public read policy \(piksel-dev-public-data, applied by dev-data\) would be refused/);
    });
  });

  describe('usage', () => {
    test('exits 2 when --env is missing', async () => {
      const result = await runPreflightCli([]);

      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/required option '--env <env>' not specified/);
    });

    test('exits 2 on an environment the estate does not have, listing those it has', async () => {
      const result = await runPreflightCli(['--env', 'prod']);

      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/argument 'prod' is invalid. Allowed choices are hub, dev, staging, production/);
    });

    test('checks the region given with --region', async () => {
      mockReadyAccount('dev');
      eks.on(DescribeClusterVersionsCommand).resolves({ clusterVersions: [] });
      const result = await runPreflightCli(['--env', 'dev', '--region', 'ap-southeast-1']);

      expect(result.stdout).toContain('Preflight of dev (account 236122835646, region ap-southeast-1):');
      expect(row(result.stdout, 'eks-version')).toContain('EKS in ap-southeast-1 does not offer Kubernetes 1.36');
    });
  });
});
