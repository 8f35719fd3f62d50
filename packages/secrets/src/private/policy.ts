/** One IAM policy statement, as AWS spells it. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string[];
  readonly Resource: string | string[];
  readonly Principal?: Record<string, string | string[]>;
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/**
 * Renders a policy document as JSON. ARNs that are still references at synth time stay in it as
 * `${...}` interpolations, which Terraform resolves; the document stays readable in
 * `cdk.tf.json`. (Statements must not contain IAM policy variables such as `${aws:username}`.)
 */
export function policyDocument(statements: PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** The endpoint through which Secrets Manager calls KMS in `region`. */
export function secretsManagerViaService(region: string): string {
  return `secretsmanager.${region}.amazonaws.com`;
}

/** Read access to one secret's current value. */
export const SECRET_READ_ACTIONS = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'];

/** Lets a principal decrypt with the key `keyArn` only when Secrets Manager in `region` asks. */
export function decryptViaSecretsManager(keyArn: string, region: string): PolicyStatement {
  return {
    Sid: 'DecryptViaSecretsManager',
    Effect: 'Allow',
    Action: ['kms:Decrypt'],
    Resource: keyArn,
    Condition: { StringEquals: { 'kms:ViaService': secretsManagerViaService(region) } },
  };
}
