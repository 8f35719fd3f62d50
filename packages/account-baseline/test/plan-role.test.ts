import { onlyResource, policyOf, resourcesOf, synth, Synthesized } from '../../secrets/test/util';
import { GithubOidcProvider, PlanRole, PlanRoleProps, StateBucket } from '../src';

const PROVIDER_ARN = 'arn:aws:iam::236122835646:oidc-provider/token.actions.githubusercontent.com';
const BUCKET = 'arn:aws:s3:::piksel-dev-tfstate';

function build(props: Partial<PlanRoleProps> = {}): Synthesized {
  return synth((stack) => new PlanRole(stack, 'Plan', {
    oidcProvider: GithubOidcProvider.fromAccount(stack, 'Github', '236122835646'),
    stateBucket: StateBucket.fromBucketName(stack, 'State', 'piksel-dev-tfstate'),
    repository: 'piksel-ina/piksel-constructs',
    ...props,
  }));
}

function inlinePolicy(out: Synthesized, name: string) {
  return policyOf(Object.values(resourcesOf(out, 'aws_iam_role_policy')).find((p) => p.name === name));
}

/** Every action of a statement, as a list. */
const actions = (statement: { Action: string | string[] }) => [statement.Action].flat();

describe('PlanRole', () => {
  test('is trusted through the GitHub provider by pull-request jobs of one repository, exactly', () => {
    const role = onlyResource(build(), 'aws_iam_role');
    expect(role).toMatchObject({ name: 'piksel-plan', max_session_duration: 3600 });
    expect(policyOf({ policy: role.assume_role_policy }).Statement).toEqual([{
      Sid: 'GithubActions',
      Effect: 'Allow',
      Principal: { Federated: PROVIDER_ARN },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': 'repo:piksel-ina/piksel-constructs:pull_request',
        },
      },
    }]);
  });

  test('reads the account with ReadOnlyAccess, and holds only the policies it declares', () => {
    const out = build();
    expect(onlyResource(out, 'aws_iam_role_policy_attachment').policy_arn).toBe('arn:aws:iam::aws:policy/ReadOnlyAccess');
    expect(onlyResource(out, 'aws_iam_role_policy_attachments_exclusive').policy_arns).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    expect(Object.values(resourcesOf(out, 'aws_iam_role_policy')).map((p) => p.name).sort()).toEqual(['cross-account-roles', 'deny-data-reads', 'terraform-state']);
    expect(onlyResource(out, 'aws_iam_role_policies_exclusive').policy_names).toHaveLength(3);
  });

  test('reads the state and writes nothing but lock files', () => {
    const statements = inlinePolicy(build(), 'terraform-state').Statement;
    expect(statements).toEqual([
      { Sid: 'ListStateBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: BUCKET },
      { Sid: 'ReadState', Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/*` },
      { Sid: 'WriteLockFilesOnly', Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: `${BUCKET}/*.tflock` },
      {
        Sid: 'DenyObjectWritesButLockFiles',
        Effect: 'Deny',
        Action: ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:RestoreObject'],
        NotResource: `${BUCKET}/*.tflock`,
      },
    ]);
  });

  test('denies reading secret values, decrypting, other buckets\' objects and data-plane reads', () => {
    const [secrets, objects, data] = inlinePolicy(build(), 'deny-data-reads').Statement;
    expect(secrets).toMatchObject({ Effect: 'Deny', Resource: '*' });
    expect(actions(secrets)).toEqual(expect.arrayContaining([
      'secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue',
      'ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'ssm:GetParameterHistory', 'kms:Decrypt',
    ]));
    expect(secrets.Condition).toBeUndefined();
    expect(objects).toEqual({ Sid: 'DenyObjectsOutsideState', Effect: 'Deny', Action: ['s3:GetObject', 's3:GetObjectVersion'], NotResource: `${BUCKET}/*` });
    expect(data).toMatchObject({ Effect: 'Deny', Resource: '*' });
    expect(actions(data)).toEqual(expect.arrayContaining(['dynamodb:Scan', 'sqs:ReceiveMessage', 'ecr:GetDownloadUrlForLayer', 'logs:GetLogEvents']));
  });

  test('on a spoke, may assume the hub plan role and no other role of another account', () => {
    const hubPlan = 'arn:aws:iam::686410905891:role/piksel-plan';
    const [allow, deny] = inlinePolicy(build({ crossAccountAssumableRoleArns: [hubPlan] }), 'cross-account-roles').Statement;
    expect(allow).toEqual({ Sid: 'AssumeSameKindRolesOfOtherAccounts', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: [hubPlan] });
    expect(deny).toEqual({
      Sid: 'DenyRolesOfOtherAccounts',
      Effect: 'Deny',
      Action: 'sts:AssumeRole',
      NotResource: [hubPlan],
      Condition: { StringNotEquals: { 'aws:ResourceAccount': '$${aws:PrincipalAccount}' } },
    });
  });

  test('follows the state bucket it is given', () => {
    const out = synth((stack) => new PlanRole(stack, 'Plan', {
      oidcProvider: new GithubOidcProvider(stack, 'Github'),
      stateBucket: new StateBucket(stack, 'State', { environment: 'staging' }),
      repository: 'piksel-ina/piksel-constructs',
      roleName: 'geo-plan',
    }));
    expect(onlyResource(out, 'aws_iam_role').name).toBe('geo-plan');
    expect(inlinePolicy(out, 'terraform-state').Statement[2].Resource).toBe('arn:aws:s3:::piksel-staging-tfstate/*.tflock');
  });

  test.each([
    ['repository', { repository: 'https://github.com/piksel-ina/piksel-constructs' }, /Plan: repository is "https:\/\/github\.com\/piksel-ina\/piksel-constructs"; name one repository as a literal "owner\/name"/],
    ['repository', { repository: 'piksel-ina/piksel-constructs:pull_request' }, /Plan: repository is "piksel-ina\/piksel-constructs:pull_request"/],
    ['roleName', { roleName: 'p'.repeat(65) }, /Plan: roleName is "p{65}"; use an IAM role name: 1-64/],
    ['maxSessionDuration', { maxSessionDuration: 50000 }, /Plan: maxSessionDuration is 50000; use a whole number of seconds from 3600 to 43200/],
    ['tags', { tags: { 'aws:team': 'devops' } }, /Plan: tags key is "aws:team"/],
  ])('fails when %s is invalid', (_field, bad, message) => {
    expect(() => build(bad)).toThrow(message);
  });
});
