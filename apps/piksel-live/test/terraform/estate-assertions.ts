import { Environment } from '@piksel/estate';

/** The parts of a synthesized stack the assertions need. */
export interface StackJson {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
}

/** The address (`type.name`) of the one resource of `type` whose `attribute` is `value`. */
export function addressOf(stack: StackJson, type: string, match: (r: Record<string, unknown>) => boolean): string {
  const found = Object.entries(stack.resource[type] ?? {}).filter(([, r]) => match(r));
  if (found.length !== 1) {
    throw new Error(`expected one ${type} matching, found ${found.length}`);
  }
  return `${type}.${found[0][0]}`;
}

/** The secret names DESIGN.md §3 expects in an environment. */
export function expectedSecretNames(env: string): string[] {
  return [`argo-oauth-${env}`, `jupyterhub-oauth-${env}`, `grafana-oauth-${env}`, `slack-alerts-${env}`];
}

const TENANTS: Record<string, string> = { argo: 'Cognito', jupyterhub: 'Cognito', grafana: 'Cognito', alerts: 'Slack' };

function hcl(value: unknown): string {
  return JSON.stringify(value);
}

function assertion(condition: string, message: string): string {
  return `  assert {\n    condition     = ${condition}\n    error_message = ${hcl(message)}\n  }\n`;
}

/**
 * A `terraform test` file that mock-applies an environment stack with `mock_provider "aws"` and
 * checks, on the applied values, what the estate promises: names, tags, encryption wiring and
 * the key policy. Mocked computed values are realistic ARNs so that references resolve to
 * values of the right shape.
 */
export function environmentTestFile(stack: StackJson, env: Environment): string {
  const keyId = '0b9f7c1e-8a55-4f7e-9d3a-1c2b3d4e5f60';
  const key = addressOf(stack, 'aws_kms_key', () => true);
  const alias = addressOf(stack, 'aws_kms_alias', () => true);
  const policy = `jsondecode(${key}.policy).Statement`;
  let body = '';
  body += assertion(`${key}.enable_key_rotation == true`, 'the secrets key must rotate');
  body += assertion(`${alias}.name == ${hcl(`alias/piksel-${env.name}-secrets`)} && ${alias}.target_key_id == ${key}.key_id`, 'the alias must name this environment and point at its key');
  body += assertion(`${policy}[0].Principal.AWS == ${hcl(`arn:aws:iam::${env.account}:root`)} && !contains(${policy}[0].Action, "kms:Decrypt")`, 'the account administers the key but may not decrypt directly');
  body += assertion(`${policy}[1].Condition.StringEquals["kms:ViaService"] == ${hcl(`secretsmanager.${env.region}.amazonaws.com`)} && ${policy}[1].Condition.StringEquals["kms:CallerAccount"] == ${hcl(env.account)}`, 'key use must go through Secrets Manager in this region and account');
  for (const name of expectedSecretNames(env.name)) {
    const secret = addressOf(stack, 'aws_secretsmanager_secret', (r) => r.name === name);
    const service = name.startsWith('slack-') ? name.split('-')[1] : name.split('-')[0];
    const tags = { Project: 'Piksel', Service: service, Environment: env.name, Owner: 'Piksel-Devops-Team', Tenant: TENANTS[service] };
    body += assertion(`${secret}.name == ${hcl(name)}`, `${name} must exist`);
    body += assertion(`${secret}.kms_key_id == ${key}.arn`, `${name} must be encrypted with the environment key`);
    body += assertion(`${secret}.tags == tomap(${hcl(tags).replace(/":/g, '" =')})`, `${name} must carry exactly the tag schema`);
    body += assertion(`${secret}.recovery_window_in_days == 30`, `${name} must be recoverable for 30 days`);
  }
  return [
    'mock_provider "aws" {',
    '  mock_resource "aws_kms_key" {',
    `    defaults = {\n      arn    = ${hcl(`arn:aws:kms:${env.region}:${env.account}:key/${keyId}`)}\n      key_id = ${hcl(keyId)}\n    }`,
    '  }',
    '  mock_resource "aws_secretsmanager_secret" {',
    `    defaults = {\n      arn = ${hcl(`arn:aws:secretsmanager:${env.region}:${env.account}:secret:piksel-mock-AbC123`)}\n    }`,
    '  }',
    '}',
    '',
    'run "mocked_apply" {',
    '  command = apply',
    '',
    body,
    '}',
    '',
  ].join('\n');
}
