/** One IAM policy statement, as AWS spells it. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string[];
  readonly Resource: string | string[];
  readonly Principal?: string | Record<string, string | string[]>;
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/**
 * Renders a policy document as JSON. ARNs still unresolved at synth time stay in it as `${...}`
 * interpolations, which Terraform resolves.
 */
export function policyDocument(statements: PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** The endpoint through which `service` (`secretsmanager`, `s3`) calls KMS in `region`. */
export function viaService(service: string, region: string): string {
  return `${service}.${region}.amazonaws.com`;
}
