import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { EnvironmentDnsRole, PublicZone } from '@piksel/network-hub';
import { App, TerraformStack } from 'cdktf';
import { onlyResource, resourcesOf, synth } from '../../secrets/test/util';
import { GithubRunner, GithubRunnerProps } from '../src/github-runner';

const VPC = {
  vpcId: 'vpc-0123456789abcdef0',
  region: 'ap-southeast-3',
  privateSubnetIds: ['subnet-priv-a', 'subnet-priv-b'],
  node: { path: 'stack/Vpc' },
};

function props(overrides: Partial<GithubRunnerProps> = {}): GithubRunnerProps {
  return {
    vpc: VPC as any,
    account: '236122835646',
    region: 'ap-southeast-3',
    projectName: 'piksel-dev-deploy-runner',
    repositoryUrl: 'https://github.com/piksel-ina/piksel-constructs',
    ...overrides,
  };
}

function build(overrides: Partial<GithubRunnerProps> = {}) {
  return synth((stack) => {
    new GithubRunner(stack, 'Runner', props(overrides));
  });
}

describe('GithubRunner', () => {
  test('is a CodeBuild project in the private subnets with its own security group', () => {
    const out = build();
    const project = onlyResource(out, 'aws_codebuild_project');
    expect(project.name).toBe('piksel-dev-deploy-runner');
    expect(project.source).toMatchObject({ type: 'GITHUB', location: 'https://github.com/piksel-ina/piksel-constructs' });
    expect(project.vpc_config).toEqual({
      vpc_id: 'vpc-0123456789abcdef0',
      subnets: ['subnet-priv-a', 'subnet-priv-b'],
      security_group_ids: [expect.stringMatching(/aws_security_group\.Runner_SecurityGroup_\w+\.id/)],
    });
    expect(project.artifacts).toEqual({ type: 'NO_ARTIFACTS' });
  });

  test('starts a build for each queued workflow job (WORKFLOW_JOB_QUEUED)', () => {
    const webhook = onlyResource(build(), 'aws_codebuild_webhook');
    expect(webhook.build_type).toBe('BUILD');
    expect(webhook.filter_group).toEqual([{ filter: [{ type: 'EVENT', pattern: 'WORKFLOW_JOB_QUEUED' }] }]);
  });

  test('takes the jobs of its own repository only: a repository webhook, never an organization or global one', () => {
    const out = build();
    const webhook = onlyResource(out, 'aws_codebuild_webhook');
    expect(webhook.scope_configuration).toBeUndefined();
    expect(webhook.project_name).toMatch(/aws_codebuild_project\.Runner_Project_\w+\.name/);
    expect(onlyResource(out, 'aws_codebuild_project').source.location).toBe('https://github.com/piksel-ina/piksel-constructs');
    // REPOSITORY_NAME filters work with organization and global webhooks only; HEAD_REF and BASE_REF with push and pull-request events only.
    expect(JSON.stringify(webhook.filter_group)).not.toMatch(/REPOSITORY_NAME|ORGANIZATION_NAME|HEAD_REF|BASE_REF/);
  });

  test('takes only the jobs of the named workflows, matched by their exact names', () => {
    const webhook = onlyResource(build({ workflowNames: ['deploy production', 'in-cluster (v2.0)'] }), 'aws_codebuild_webhook');
    expect(webhook.filter_group).toEqual([{
      filter: [
        { type: 'EVENT', pattern: 'WORKFLOW_JOB_QUEUED' },
        { type: 'WORKFLOW_NAME', pattern: '^(deploy production|in-cluster \\(v2\\.0\\))$' },
      ],
    }]);
    const pattern = new RegExp(webhook.filter_group[0].filter[1].pattern);
    expect(['deploy production', 'in-cluster (v2.0)'].map((name) => pattern.test(name))).toEqual([true, true]);
    expect(['deploy', 'deploy production (fork)', 'in-cluster (v2x0)'].map((name) => pattern.test(name))).toEqual([false, false, false]);
  });

  test('allows HTTPS egress only and no ingress', () => {
    const out = build();
    const egress = Object.values(resourcesOf(out, 'aws_vpc_security_group_egress_rule'));
    expect(egress).toEqual([expect.objectContaining({ ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '0.0.0.0/0' })]);
    expect(resourcesOf(out, 'aws_vpc_security_group_ingress_rule')).toEqual({});
    const group = onlyResource(out, 'aws_security_group');
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
  });

  test('has a service role trusted by this project only, allowed its logs and network interfaces in its subnets', () => {
    const out = build();
    const role = onlyResource(out, 'aws_iam_role');
    const trust = JSON.parse(role.assume_role_policy).Statement[0];
    expect(trust.Principal).toEqual({ Service: 'codebuild.amazonaws.com' });
    expect(trust.Condition.ArnLike['aws:SourceArn']).toBe('arn:aws:codebuild:ap-southeast-3:236122835646:project/piksel-dev-deploy-runner');
    const statements = JSON.parse(onlyResource(out, 'aws_iam_role_policy').policy).Statement;
    expect(statements.map((s: any) => s.Sid)).toEqual(['Logs', 'VpcNetworkInterfaces', 'VpcNetworkInterfacePermission']);
    expect(statements[0].Resource).toEqual([
      'arn:aws:logs:ap-southeast-3:236122835646:log-group:/aws/codebuild/piksel-dev-deploy-runner',
      'arn:aws:logs:ap-southeast-3:236122835646:log-group:/aws/codebuild/piksel-dev-deploy-runner:*',
    ]);
    expect(statements[2].Condition.StringEquals).toEqual({
      'ec2:Subnet': ['arn:aws:ec2:ap-southeast-3:236122835646:subnet/subnet-priv-a', 'arn:aws:ec2:ap-southeast-3:236122835646:subnet/subnet-priv-b'],
      'ec2:AuthorizedService': 'codebuild.amazonaws.com',
    });
  });

  test('gives its role no way to assume other roles: jobs take credentials through GitHub OIDC', () => {
    const policy = onlyResource(build(), 'aws_iam_role_policy').policy;
    expect(policy).not.toMatch(/sts:|iam:|eks:/);
  });

  test('may use the account\'s CodeConnections connection when one is given', () => {
    const arn = 'arn:aws:codeconnections:ap-southeast-3:236122835646:connection/0b9f7c1e-8a55-4f7e-9d3a-1c2b3d4e5f60';
    const statements = JSON.parse(onlyResource(build({ sourceConnectionArn: arn }), 'aws_iam_role_policy').policy).Statement;
    expect(statements[3]).toMatchObject({ Sid: 'GithubConnection', Resource: arn });
  });

  test('names the runs-on label of its jobs', () => {
    expect(GithubRunner.runsOnLabel('piksel-dev-deploy-runner')).toBe('codebuild-piksel-dev-deploy-runner-${{ github.run_id }}-${{ github.run_attempt }}');
  });

  test.each<[string, Partial<GithubRunnerProps>, RegExp]>([
    ['the project name has spaces', { projectName: 'deploy runner' }, /Runner: projectName is "deploy runner"; use a literal CodeBuild project name/],
    ['the repository is not a GitHub HTTPS URL', { repositoryUrl: 'git@github.com:piksel-ina/x.git' }, /Runner: repositoryUrl is "git@github.com:piksel-ina\/x.git"; use the repository's HTTPS URL/],
    ['the account is not 12 digits', { account: '1234' }, /Runner: account is "1234"; use a 12-digit AWS account ID/],
    ['the region is not the VPC\'s', { region: 'ap-southeast-1' }, /Runner: region is "ap-southeast-1"; the VPC stack\/Vpc is in ap-southeast-3/],
    ['the connection is not a connection ARN', { sourceConnectionArn: 'arn:aws:iam::236122835646:role/x' }, /Runner: sourceConnectionArn is ".*"; use a connection ARN/],
    ['the derived role name is too long', { projectName: 'a'.repeat(70) }, /Runner: projectName is "a{70}"; it makes roleName/],
    ['no workflow is named', { workflowNames: [] }, /Runner: workflowNames is \[\]; name at least one workflow, or leave workflowNames out/],
    ['a workflow name is blank', { workflowNames: ['deploy', ' '] }, /Runner: workflowNames is " "; use a workflow's literal name/],
  ])('fails when %s', (_name, overrides, message) => {
    expect(() => build(overrides)).toThrow(message);
  });

  test('fails when another runner of the app has its project name in the same account and region, in whatever stack', () => {
    const app = new App();
    new GithubRunner(new TerraformStack(app, 'dev'), 'Runner', props());
    const other = new TerraformStack(app, 'dev-copy');
    expect(() => new GithubRunner(other, 'Runner', props())).toThrow(
      /^dev-copy\/Runner: projectName is "piksel-dev-deploy-runner"; dev\/Runner has it already; CodeBuild project names are unique in an account and region; give one of the two its own projectName$/);
    // The same name in another region is another project, but IAM is global: its role needs a name of its own.
    const elsewhere = { region: 'ap-southeast-1', vpc: { ...VPC, region: 'ap-southeast-1' } as any };
    expect(() => new GithubRunner(other, 'Elsewhere', props({ ...elsewhere, roleName: 'piksel-dev-deploy-runner-ap-southeast-1' }))).not.toThrow();
    const tokyo = { region: 'ap-northeast-1', vpc: { ...VPC, region: 'ap-northeast-1' } as any };
    expect(() => new GithubRunner(new TerraformStack(app, 'dev-tokyo'), 'Runner', props(tokyo))).toThrow(
      /^dev-tokyo\/Runner: the derived roleName is "piksel-dev-deploy-runner"; dev\/Runner has it already; IAM role names are unique in an account/);
  });

  test('fails when a role another library made has its role name in the same account, in whatever letter case', () => {
    const app = new App();
    const hub = new TerraformStack(app, 'hub');
    new AwsProvider(hub, 'Aws', { region: 'ap-southeast-3', allowedAccountIds: ['236122835646'] });
    new EnvironmentDnsRole(hub, 'DnsRole', {
      environment: 'dev',
      roleName: 'Piksel-Dev-Deploy-Runner',
      trustedRoleArn: 'arn:aws:iam::236122835646:role/piksel-dev-external-dns',
      externalId: 'piksel-dev-external-dns',
      zones: [PublicZone.fromPublicZoneAttributes(hub, 'Zone', { zoneId: 'Z0DEV1', zoneName: 'dev.piksel.big.go.id' })],
    });
    expect(() => new GithubRunner(new TerraformStack(app, 'dev'), 'Runner', props())).toThrow(
      /^dev\/Runner: the derived roleName is "piksel-dev-deploy-runner"; hub\/DnsRole has it already \(as "Piksel-Dev-Deploy-Runner"\); IAM role names are unique in an account, whatever their case; give one of the two its own roleName$/);
  });
});
