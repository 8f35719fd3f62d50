import { Environment } from '@piksel/estate';
import { clusterAssertions, clusterMocks, clusterOverrides, ssoAdministratorMissingRun } from './cluster-assertions';
import { addressOf, assertion, hcl, StackJson, testFile } from './hcl';
import { NETWORK_MOCKS, spokeAssertions, spokeMocks } from './network-assertions';

/** The secret names every environment holds: `<service>-oauth-<env>` for Argo, JupyterHub and Grafana, `slack-alerts-<env>`. */
export function expectedSecretNames(env: string): string[] {
  return [`argo-oauth-${env}`, `jupyterhub-oauth-${env}`, `grafana-oauth-${env}`, `slack-alerts-${env}`];
}

const TENANTS: Record<string, string> = { argo: 'Cognito', jupyterhub: 'Cognito', grafana: 'Cognito', alerts: 'Slack' };

/**
 * A `terraform test` file that mock-applies an environment stack with `mock_provider "aws"` and
 * checks, on the applied values, what the estate promises: names, tags, encryption wiring, the
 * key policy, and the spoke network (routing domain, routes, subnet plan, private zones). Mocked computed values are realistic ARNs so that references resolve to
 * values of the right shape.
 */
export function environmentTestFile(stack: StackJson, env: Environment): string {
  return testFile(
    [secretMocks(env), NETWORK_MOCKS, clusterMocks(env)].join('\n'),
    [spokeMocks(), clusterOverrides(env), ssoAdministratorMissingRun(true)].join('\n'),
    secretAssertions(stack, env) + spokeAssertions(stack, env) + clusterAssertions(stack, env),
  );
}

function secretMocks(env: Environment): string {
  return [
    '  mock_resource "aws_kms_key" {',
    `    defaults = {\n      arn    = ${hcl(`arn:aws:kms:${env.region}:${env.account}:key/${KEY_ID}`)}\n      key_id = ${hcl(KEY_ID)}\n    }`,
    '  }',
    '  mock_resource "aws_secretsmanager_secret" {',
    `    defaults = {\n      arn = ${hcl(`arn:aws:secretsmanager:${env.region}:${env.account}:secret:piksel-mock-AbC123`)}\n    }`,
    '  }',
  ].join('\n');
}

const KEY_ID = '0b9f7c1e-8a55-4f7e-9d3a-1c2b3d4e5f60';

function secretAssertions(stack: StackJson, env: Environment): string {
  const key = addressOf(stack, 'aws_kms_key', (r) => !/Kubernetes secrets/.test(r.description ?? ''));
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
    body += assertion(`${secret}.recovery_window_in_days == ${env.secretRecoveryWindowDays}`,
      `${name} must be recoverable for ${env.secretRecoveryWindowDays} days (0: deleted at once, so the environment can be rebuilt)`);
  }
  return body;
}
