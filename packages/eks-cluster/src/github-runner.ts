import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CodebuildProject } from '@cdktf/provider-aws/lib/codebuild-project';
import { CodebuildWebhook } from '@cdktf/provider-aws/lib/codebuild-webhook';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { checkAccountId, checkIamRoleNameOrDerived, checkRegion, Claims, invalidProp, LibraryVersion } from '@piksel/core';
import type { IVpc } from '@piksel/network-hub';
import { Token } from 'cdktf';
import { Construct } from 'constructs';

/** CodeBuild project names: 2–150 of letters, digits, `-` and `_`, starting with a letter or digit. */
const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9\-_]{1,149}$/;
/** The repository the runner serves, as CodeBuild's GitHub source takes it. */
const GITHUB_URL = /^https:\/\/github\.com\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+?(\.git)?$/;
/** A CodeConnections connection ARN (the current and the former CodeStar service prefix). */
const CONNECTION_ARN = /^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]+$/;
/**
 * Amazon Linux 2023 standard image 5.0: Node.js, the AWS CLI (`aws eks get-token`), Git and Docker;
 * the job installs the rest (pnpm, Terraform) with its own steps.
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/ec2-compute-images.html
 */
const DEFAULT_IMAGE = 'aws/codebuild/amazonlinux-x86_64-standard:5.0';
/** 2 vCPU and 4 GiB: a synth of the estate peaks near 300 MB; Terraform plans are network-bound. */
const DEFAULT_COMPUTE_TYPE = 'BUILD_GENERAL1_MEDIUM';
/**
 * The one webhook event a runner takes: a workflow job was queued.
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/github-webhook.html
 */
const WORKFLOW_JOB_QUEUED = 'WORKFLOW_JOB_QUEUED';
/** 90 days of job logs, as for the cluster's control-plane logs. */
const LOG_RETENTION_DAYS = 90;
/** A job that runs longer is stuck: the deploy jobs time out at 90 minutes. */
const BUILD_TIMEOUT_MINUTES = 120;

/** Properties of a `GithubRunner`. */
export interface GithubRunnerProps {
  /** The VPC: the runner's network interfaces go in its private subnets (which reach GitHub through NAT). */
  readonly vpc: IVpc;
  /** The runner's AWS account (12 digits): scopes its network-interface and log permissions. */
  readonly account: string;
  /** The runner's region. */
  readonly region: string;
  /**
   * Name of the CodeBuild project; jobs select the runner with the label
   * `codebuild-<projectName>-${{ github.run_id }}-${{ github.run_attempt }}`.
   */
  readonly projectName: string;
  /**
   * The GitHub repository whose workflow jobs the runner takes, `https://github.com/<owner>/<repo>`.
   * The webhook is this repository's own (no organization or global scope), so GitHub delivers it
   * the workflow jobs of this repository only.
   */
  readonly repositoryUrl: string;

  /**
   * Take only the jobs of the workflows with these names (a workflow's top-level `name:`), with a
   * `WORKFLOW_NAME` webhook filter: a job of any other workflow that names the runner's label
   * waits for a runner that never comes.
   *
   * CodeBuild cannot filter workflow jobs by branch: `HEAD_REF` and `BASE_REF` work with push and
   * pull-request events only, so a job queued from an unmerged branch reaches the runner unless
   * something else stops it. A workflow's name is written in the workflow file, which a branch can
   * change, so this keeps the jobs of other workflows off the runner (including a pull request's
   * copy of a workflow that runs on `pull_request`); it does not replace reviewing what runs on
   * the default branch.
   *
   * @default - the jobs of every workflow of the repository
   * @see https://docs.aws.amazon.com/codebuild/latest/APIReference/API_WebhookFilter.html
   */
  readonly workflowNames?: string[];

  /**
   * The CodeConnections connection the account's GitHub source credential uses, when it is one;
   * the runner's role may then use it (and nothing else).
   *
   * @default - the account's GitHub credential is an OAuth app or a token, which needs no permission
   * @see https://docs.aws.amazon.com/codebuild/latest/userguide/connections-github-app.html
   */
  readonly sourceConnectionArn?: string;

  /**
   * CodeBuild image of the runner.
   *
   * @default 'aws/codebuild/amazonlinux-x86_64-standard:5.0'
   */
  readonly image?: string;

  /**
   * CodeBuild compute type.
   *
   * @default 'BUILD_GENERAL1_MEDIUM'
   */
  readonly computeType?: string;

  /**
   * Name of the runner's service role.
   *
   * @default `<projectName>`
   */
  readonly roleName?: string;

  /**
   * Tags for every resource.
   *
   * @default - none besides the provider's default tags
   */
  readonly tags?: { [key: string]: string };
}

/**
 * A GitHub Actions runner inside a VPC: an AWS CodeBuild project configured as a CodeBuild-hosted
 * runner. Its webhook starts one ephemeral build per queued workflow job (`WORKFLOW_JOB_QUEUED`)
 * whose `runs-on` label names the project; the build registers as a self-hosted runner, runs the
 * job and is gone.
 *
 * What reaches it: the webhook is the repository's own (`repositoryUrl`, no organization or
 * global scope), so only that repository's workflow jobs arrive; `workflowNames` narrows them to
 * named workflows. No webhook filter tells a job of the default branch from one of a pull request
 * or another branch (CodeBuild's `HEAD_REF` and `BASE_REF` filters work with push and pull-request
 * events only): a runner that must never run unmerged code needs workflows that never send it
 * such a job, on a default branch that only reviewed changes reach, and GitHub's approval for
 * workflow runs of outside contributors' forks.
 *
 * The runner is the network path, not an identity: its network interfaces sit in the VPC's
 * private subnets with a security group of its own that allows egress on HTTPS only and no ingress
 * (admit it to a private API with `Cluster.admitSecurityGroupToApi(..., runner.securityGroupId, ...)`).
 * Its service role may write its own logs and manage the build's network interfaces in those
 * subnets, nothing else: a job gets AWS credentials by assuming a role through GitHub OIDC, as on
 * any runner, so a pull request's job on the runner is no more privileged than elsewhere.
 *
 * Connecting CodeBuild to GitHub (the account's GitHub source credential) takes a person and is a
 * precondition of the first apply: the webhook is created through it.
 *
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/action-runner.html
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/vpc-support.html
 */
export class GithubRunner extends Construct {
  /** The label a job's `runs-on` gives to run on the runner of `projectName`. */
  public static runsOnLabel(projectName: string): string {
    return `codebuild-${projectName}-\${{ github.run_id }}-\${{ github.run_attempt }}`;
  }

  /** Name of the CodeBuild project. */
  public readonly projectName: string;
  /** ARN of the CodeBuild project. */
  public readonly projectArn: string;
  /** The runner's security group: admit it where its jobs must reach. */
  public readonly securityGroupId: string;
  /** ARN of the runner's service role. */
  public readonly roleArn: string;
  /** The `runs-on` label of the runner's jobs. */
  public readonly runsOn: string;

  constructor(scope: Construct, id: string, props: GithubRunnerProps) {
    super(scope, id);
    this.validate(props);
    const roleName = props.roleName ?? props.projectName;
    const logGroupName = `/aws/codebuild/${props.projectName}`;
    const claims = Claims.of(this);
    claims.claimCodeBuildProjectName(this, 'projectName', props.account, props.region, props.projectName);
    claims.claimLogGroupName(this, 'the log group', props.account, props.region, logGroupName, 'projectName');

    const securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      name: props.projectName,
      description: `GitHub Actions runner ${props.projectName}: egress only`,
      vpcId: props.vpc.vpcId,
      tags: { ...props.tags, Name: props.projectName },
    });
    // HTTPS to GitHub, the npm and Terraform registries, AWS APIs and the cluster's API; no ingress.
    new VpcSecurityGroupEgressRule(this, 'HttpsEgress', {
      securityGroupId: securityGroup.id,
      cidrIpv4: '0.0.0.0/0',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      description: 'HTTPS to GitHub, package registries, AWS APIs and the cluster API',
      tags: props.tags,
    });
    const logGroup = new CloudwatchLogGroup(this, 'LogGroup', { name: logGroupName, retentionInDays: LOG_RETENTION_DAYS, tags: props.tags });
    const role = this.serviceRole(props, roleName, logGroupName);

    const project = new CodebuildProject(this, 'Project', {
      name: props.projectName,
      description: `GitHub Actions runner for ${props.repositoryUrl}, in ${props.vpc.vpcId}`,
      serviceRole: role.arn,
      buildTimeout: BUILD_TIMEOUT_MINUTES,
      source: { type: 'GITHUB', location: props.repositoryUrl, gitCloneDepth: 1 },
      artifacts: { type: 'NO_ARTIFACTS' },
      environment: {
        type: 'LINUX_CONTAINER',
        computeType: props.computeType ?? DEFAULT_COMPUTE_TYPE,
        image: props.image ?? DEFAULT_IMAGE,
        imagePullCredentialsType: 'CODEBUILD',
      },
      vpcConfig: { vpcId: props.vpc.vpcId, subnets: props.vpc.privateSubnetIds, securityGroupIds: [securityGroup.id] },
      logsConfig: { cloudwatchLogs: { groupName: logGroup.name, status: 'ENABLED' }, s3Logs: { status: 'DISABLED' } },
      tags: props.tags,
      // CodeBuild checks the VPC configuration with the role's permissions when the project is created.
      dependsOn: [role],
    });
    // One build per queued workflow job; CodeBuild ignores jobs whose label names another project.
    // No scope configuration: a repository webhook, which GitHub sends this repository's events only.
    new CodebuildWebhook(this, 'Webhook', {
      projectName: project.name,
      buildType: 'BUILD',
      filterGroup: [{ filter: webhookFilters(props.workflowNames) }],
    });
    LibraryVersion.record(this, __dirname);

    this.projectName = props.projectName;
    this.projectArn = project.arn;
    this.securityGroupId = securityGroup.id;
    this.roleArn = role.arn;
    this.runsOn = GithubRunner.runsOnLabel(props.projectName);
  }

  /**
   * The service role: its own log group, and the network interfaces of builds in the VPC's private
   * subnets (`ec2:CreateNetworkInterfacePermission` only for those subnets and only for CodeBuild).
   * @see https://docs.aws.amazon.com/codebuild/latest/userguide/auth-and-access-control-iam-identity-based-access-control.html#customer-managed-policies-example-create-vpc-network-interface
   */
  private serviceRole(props: GithubRunnerProps, roleName: string, logGroupName: string): IamRole {
    Claims.of(this).claimIamRole(this, props.roleName === undefined ? 'the derived roleName' : 'roleName', roleName, props.account);
    const role = new IamRole(this, 'Role', {
      name: roleName,
      description: `CodeBuild GitHub Actions runner ${props.projectName}`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Service: 'codebuild.amazonaws.com' },
          Action: 'sts:AssumeRole',
          // Only this account's project of this name (confused deputy).
          Condition: {
            StringEquals: { 'aws:SourceAccount': props.account },
            ArnLike: { 'aws:SourceArn': `arn:aws:codebuild:${props.region}:${props.account}:project/${props.projectName}` },
          },
        }],
      }),
      tags: props.tags,
    });
    const logGroupArn = `arn:aws:logs:${props.region}:${props.account}:log-group:${logGroupName}`;
    const statements: object[] = [
      { Sid: 'Logs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [logGroupArn, `${logGroupArn}:*`] },
      {
        Sid: 'VpcNetworkInterfaces',
        Effect: 'Allow',
        Action: ['ec2:CreateNetworkInterface', 'ec2:DescribeDhcpOptions', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface',
          'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeVpcs'],
        Resource: '*',
      },
      {
        Sid: 'VpcNetworkInterfacePermission',
        Effect: 'Allow',
        Action: 'ec2:CreateNetworkInterfacePermission',
        Resource: `arn:aws:ec2:${props.region}:${props.account}:network-interface/*`,
        Condition: { StringEquals: { 'ec2:Subnet': subnetArns(props), 'ec2:AuthorizedService': 'codebuild.amazonaws.com' } },
      },
    ];
    if (props.sourceConnectionArn !== undefined) {
      statements.push({ Sid: 'GithubConnection', Effect: 'Allow', Action: ['codeconnections:GetConnectionToken', 'codeconnections:GetConnection'], Resource: props.sourceConnectionArn });
    }
    new IamRolePolicy(this, 'Policy', {
      role: role.name,
      name: 'github-runner',
      policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    });
    return role;
  }

  private validate(props: GithubRunnerProps): void {
    if (Token.isUnresolved(props.projectName) || !PROJECT_NAME.test(props.projectName)) {
      throw invalidProp(this, 'projectName', props.projectName, 'use a literal CodeBuild project name: 2-150 letters, digits, - and _, e.g. "piksel-dev-deploy-runner" (jobs name it in runs-on)');
    }
    checkAccountId(this, 'account', props.account);
    checkRegion(this, 'region', props.region);
    if (!Token.isUnresolved(props.repositoryUrl) && !GITHUB_URL.test(props.repositoryUrl)) {
      throw invalidProp(this, 'repositoryUrl', props.repositoryUrl, 'use the repository\'s HTTPS URL, https://github.com/<owner>/<repo>');
    }
    const connection = props.sourceConnectionArn;
    if (connection !== undefined && !Token.isUnresolved(connection) && !CONNECTION_ARN.test(connection)) {
      throw invalidProp(this, 'sourceConnectionArn', connection, 'use a connection ARN, arn:aws:codeconnections:<region>:<account>:connection/<id>');
    }
    checkIamRoleNameOrDerived(this, 'roleName', props.roleName, props.roleName ?? props.projectName,
      { field: 'projectName', value: props.projectName, overhead: 0, override: 'roleName' });
    const names = props.workflowNames;
    if (names !== undefined && names.length === 0) {
      throw invalidProp(this, 'workflowNames', names, 'name at least one workflow, or leave workflowNames out to take the jobs of every workflow of the repository');
    }
    for (const name of names ?? []) {
      if (Token.isUnresolved(name) || name.trim() === '' || /[\r\n]/.test(name)) {
        throw invalidProp(this, 'workflowNames', name, 'use a workflow\'s literal name, its top-level `name:` (one line, not empty)');
      }
    }
    if (!Token.isUnresolved(props.vpc.region) && !Token.isUnresolved(props.region) && props.vpc.region !== props.region) {
      throw invalidProp(this, 'region', props.region, `the VPC ${props.vpc.node.path} is in ${props.vpc.region}; give the VPC's region`);
    }
  }
}

/**
 * The webhook's one filter group: queued workflow jobs and, when named, only those of the
 * workflows called `workflowNames` (an anchored pattern of their literal names).
 */
function webhookFilters(workflowNames: string[] | undefined): Array<{ type: string; pattern: string }> {
  const event = { type: 'EVENT', pattern: WORKFLOW_JOB_QUEUED };
  if (workflowNames === undefined) return [event];
  const names = workflowNames.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return [event, { type: 'WORKFLOW_NAME', pattern: `^(${names.join('|')})$` }];
}

/** The ARNs of the VPC's private subnets, for the ENI-permission condition. */
function subnetArns(props: GithubRunnerProps): string[] {
  return props.vpc.privateSubnetIds.map((id) => `arn:aws:ec2:${props.region}:${props.account}:subnet/${id}`);
}
