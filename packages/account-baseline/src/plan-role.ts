import { LibraryVersion, Naming } from '@piksel/core';
import { Construct } from 'constructs';
import { IGithubOidcProvider } from './github-oidc-provider';
import { IPipelineRole, PipelineRoleOptions } from './pipeline-role';
import { pullRequestSubject } from './private/github';
import { awsManagedPolicy, PolicyStatement } from './private/policy';
import { checkPipelineRoleOptions, createPipelineRole } from './private/role';
import { IStateBucket } from './state-bucket';

/**
 * `terraform plan` refreshes every resource of a stack, which calls the `Describe*`, `Get*` and
 * `List*` actions of every service the estate uses; only `ReadOnlyAccess` covers them all and
 * follows new services. (`ViewOnlyAccess` lacks many `Get*` actions Terraform needs.)
 */
const READ_ONLY_POLICY = 'ReadOnlyAccess';

/** Properties of a `PlanRole`. */
export interface PlanRoleProps extends PipelineRoleOptions {
  /** The account's GitHub OIDC provider. */
  readonly oidcProvider: IGithubOidcProvider;

  /** The account's state bucket: the role reads state and writes lock files there. */
  readonly stateBucket: IStateBucket;

  /**
   * Name of the role.
   *
   * @default `<prefix>-plan` (see `Naming` in @piksel/core)
   */
  readonly roleName?: string;
}

/**
 * The role that plans Terraform on pull requests in one account: assumed by pull-request jobs of
 * one repository, it can read the account but change nothing but Terraform's lock files.
 *
 * Trust: through the account's GitHub OIDC provider with `aud = sts.amazonaws.com` and exactly
 * `sub = repo:<owner>/<repo>:pull_request` (a pull-request job outside any environment); and,
 * when given, exactly the `crossAccountTrustedRoleArns`.
 *
 * Permissions:
 * - `ReadOnlyAccess`, the AWS managed policy: what a refresh reads, in every service;
 * - the state bucket: list it, read its objects, and put and delete `*.tflock` objects only (the
 *   S3-native lock a plan takes);
 * - explicit denies, because `ReadOnlyAccess` reads data, not only configuration: secret values
 *   (`secretsmanager:GetSecretValue`, `BatchGetSecretValue`; `ssm:GetParameter`, `GetParameters`,
 *   `GetParametersByPath`, `GetParameterHistory`, which decrypt SecureStrings), `kms:Decrypt`
 *   (the state bucket uses SSE-S3, so no plan needs it), object contents of every bucket but the
 *   state bucket, and data-plane reads no refresh makes (DynamoDB items, SQS messages, ECR image
 *   layers, CloudWatch log events, RDS log files, Kinesis records, EC2 password data);
 * - any write to S3 other than the lock files, and assuming any role of another account but the
 *   `crossAccountAssumableRoleArns`, is denied explicitly as well.
 *
 * Configuration that `ReadOnlyAccess` shows and these denies cannot hide (Lambda environment
 * variables, EC2 user data, ECS task definitions) must not hold secrets; the estate keeps them in
 * Secrets Manager. The role's managed and inline policies are exclusive: an apply removes any other.
 *
 * @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/ReadOnlyAccess.html
 * @see https://developer.hashicorp.com/terraform/language/backend/s3#s3-bucket-permissions
 */
export class PlanRole extends Construct implements IPipelineRole {
  public readonly roleArn: string;
  public readonly roleName: string;
  public readonly subject: string;

  constructor(scope: Construct, id: string, props: PlanRoleProps) {
    super(scope, id);
    const roleName = props.roleName ?? Naming.of(this).name('plan');
    checkPipelineRoleOptions(this, props, roleName, props.roleName !== undefined);
    const subject = pullRequestSubject(props.repository);
    const bucketArn = props.stateBucket.bucketArn;

    const role = createPipelineRole(this, props, {
      roleName,
      description: `Plans Terraform from GitHub Actions, read-only: ${subject}`,
      oidcProviderArn: props.oidcProvider.oidcProviderArn,
      subject,
      managedPolicyArns: [awsManagedPolicy(READ_ONLY_POLICY)],
      inlinePolicies: [
        { id: 'StatePolicy', name: 'terraform-state', statements: stateStatements(bucketArn) },
        { id: 'DenyDataReadsPolicy', name: 'deny-data-reads', statements: denyDataReads(bucketArn) },
      ],
    });
    LibraryVersion.record(this, __dirname);

    this.roleArn = role.arn;
    this.roleName = roleName;
    this.subject = subject;
  }
}

/** The lock file Terraform's S3 backend writes beside each state object (`use_lockfile`). */
function lockFiles(bucketArn: string): string {
  return `${bucketArn}/*.tflock`;
}

/** Read the state; take and release the lock; write nothing else. */
function stateStatements(bucketArn: string): PolicyStatement[] {
  return [
    { Sid: 'ListStateBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn },
    { Sid: 'ReadState', Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucketArn}/*` },
    { Sid: 'WriteLockFilesOnly', Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: lockFiles(bucketArn) },
    {
      Sid: 'DenyObjectWritesButLockFiles',
      Effect: 'Deny',
      Action: ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:RestoreObject'],
      NotResource: lockFiles(bucketArn),
    },
  ];
}

/** What `ReadOnlyAccess` would let a pull request read that no plan needs. */
function denyDataReads(bucketArn: string): PolicyStatement[] {
  return [
    {
      Sid: 'DenySecretValues',
      Effect: 'Deny',
      Action: [
        'secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue',
        'ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'ssm:GetParameterHistory',
        'kms:Decrypt',
      ],
      Resource: '*',
    },
    {
      Sid: 'DenyObjectsOutsideState',
      Effect: 'Deny',
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      NotResource: `${bucketArn}/*`,
    },
    {
      Sid: 'DenyDataPlaneReads',
      Effect: 'Deny',
      Action: [
        'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan',
        'sqs:ReceiveMessage',
        'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer',
        'logs:GetLogEvents', 'logs:FilterLogEvents', 'logs:StartQuery', 'logs:GetLogRecord',
        'rds:DownloadDBLogFilePortion', 'rds:DownloadCompleteDBLogFile',
        'kinesis:GetRecords',
        'ec2:GetPasswordData',
      ],
      Resource: '*',
    },
  ];
}
