import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import {
  checkAccountId, checkEnvironmentName, checkGrantWithinEnvironment, checkIamPolicyName, checkRegion, GrantOptions, invalidProp, isKebabCase,
  LibraryVersion, Naming,
} from '@piksel/core';
import { Construct } from 'constructs';
import { IGrantee } from './grantee';
import { granteeId } from './private/grants';
import { decryptViaSecretsManager, PolicyStatement, policyDocument, SECRET_READ_ACTIONS } from './private/policy';
import { ISecretsKey } from './secrets-key';
import { SecretTagSchema } from './tag-schema';

/** Properties of a `SecretsReadByTagPolicy`. */
export interface SecretsReadByTagPolicyProps {
  /** Name of the IAM policy, e.g. `piksel-dev-external-secrets-read`. */
  readonly policyName: string;

  /** Only secrets tagged `Environment=<environment>` are readable. */
  readonly environment: string;

  /**
   * Only secrets tagged with one of these `Service` values are readable.
   *
   * @default - every service of the environment
   */
  readonly services?: string[];

  /**
   * Only secrets tagged `Project=<project>` are readable.
   *
   * @default - the naming setting's display name (`Naming` of @piksel/core): 'Piksel'
   */
  readonly project?: string;

  /** The account ID that holds the secrets. */
  readonly account: string;

  /** The region that holds the secrets. */
  readonly region: string;

  /**
   * The environment's customer-managed key; when given, the policy also allows `kms:Decrypt`
   * with it through Secrets Manager.
   *
   * @default - no KMS permission (secrets encrypted with `aws/secretsmanager`)
   */
  readonly encryptionKey?: ISecretsKey;

  /**
   * Also allow `secretsmanager:ListSecrets`, which returns names and tags (never values) of every
   * secret in the account, and `secretsmanager:BatchGetSecretValue`, which still needs
   * `GetSecretValue` on each secret it returns (so the tag conditions hold). External Secrets
   * needs them only to find secrets (`dataFrom.find` by name, path or tags); reading a named
   * secret (`remoteRef`) does not.
   *
   * @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_BatchGetSecretValue.html
   * @default false
   */
  readonly allowListing?: boolean;
}

/**
 * A managed IAM policy that reads secrets **by tag**: every secret of one environment (and
 * optionally some services), present or future, without naming them. This is what an External
 * Secrets role needs.
 *
 * Access is decided by the `secretsmanager:ResourceTag/...` condition keys, so a secret becomes
 * readable by being tagged, and stops being readable when its tags change. Roles that may edit
 * secret tags can therefore widen this policy's reach: keep `secretsmanager:TagResource` for
 * operators.
 *
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access-abac.html
 */
export class SecretsReadByTagPolicy extends Construct {
  /** ARN of the managed policy. */
  public readonly policyArn: string;

  /** Name of the managed policy. */
  public readonly policyName: string;
  /** The environment whose secrets the policy reads. */
  public readonly environment: string;

  constructor(scope: Construct, id: string, props: SecretsReadByTagPolicyProps) {
    super(scope, id);
    this.validate(props);
    const project = props.project ?? Naming.of(this).displayName;

    const policy = new IamPolicy(this, 'Policy', {
      name: props.policyName,
      description: `Read ${project} secrets tagged Environment=${props.environment}`,
      policy: policyDocument(this.statements(props, project)),
    });
    LibraryVersion.record(this, __dirname);

    this.policyArn = policy.arn;
    this.policyName = props.policyName;
    this.environment = props.environment;
  }

  /**
   * Attaches the policy to `grantee`'s role. Attaching twice is a no-op. A grantee of another
   * environment or account is refused unless `options.allowFromEnvironment` names its environment.
   */
  public attachTo(grantee: IGrantee, options: GrantOptions = {}): void {
    checkGrantWithinEnvironment(this, 'attachTo grantee', grantee, this.environment, undefined, options);
    const id = granteeId('AttachedTo', grantee);
    if (this.node.tryFindChild(id)) return;
    new IamRolePolicyAttachment(this, id, { role: grantee.granteeRoleName, policyArn: this.policyArn });
  }

  private validate(props: SecretsReadByTagPolicyProps): void {
    checkIamPolicyName(this, 'policyName', props.policyName);
    const problems = SecretTagSchema.problems({ service: 'placeholder', environment: props.environment, tenant: 'placeholder', project: props.project });
    if (problems.length > 0) {
      throw invalidProp(this, 'environment or project', { environment: props.environment, project: props.project }, problems.join('; '));
    }
    checkEnvironmentName(this, 'environment', props.environment);
    for (const service of props.services ?? []) {
      if (!isKebabCase(service)) {
        throw invalidProp(this, 'services', props.services, `"${service}" is not a service name; use lower-case letters, digits and hyphens`);
      }
    }
    if (props.services !== undefined && props.services.length === 0) {
      throw invalidProp(this, 'services', props.services, 'omit services to allow every service, or name at least one');
    }
    checkAccountId(this, 'account', props.account);
    checkRegion(this, 'region', props.region);
  }

  private statements(props: SecretsReadByTagPolicyProps, project: string): PolicyStatement[] {
    const tagConditions: Record<string, string | string[]> = {
      'secretsmanager:ResourceTag/Project': project,
      'secretsmanager:ResourceTag/Environment': props.environment,
    };
    if (props.services) {
      tagConditions['secretsmanager:ResourceTag/Service'] = props.services;
    }
    const statements: PolicyStatement[] = [{
      Sid: 'ReadSecretsByTag',
      Effect: 'Allow',
      Action: [...SECRET_READ_ACTIONS, 'secretsmanager:ListSecretVersionIds'],
      Resource: `arn:aws:secretsmanager:${props.region}:${props.account}:secret:*`,
      Condition: { StringEquals: tagConditions },
    }];
    if (props.allowListing ?? false) {
      // Neither has resource-level permissions: allowed on "*" or not at all. BatchGetSecretValue
      // returns only the secrets GetSecretValue (above, by tag) allows.
      statements.push({ Sid: 'ListSecrets', Effect: 'Allow', Action: ['secretsmanager:ListSecrets', 'secretsmanager:BatchGetSecretValue'], Resource: '*' });
    }
    if (props.encryptionKey) {
      statements.push(decryptViaSecretsManager(props.encryptionKey.keyArn, props.encryptionKey.keyRegion));
    }
    return statements;
  }
}
