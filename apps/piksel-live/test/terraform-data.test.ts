import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ENVIRONMENTS } from '@piksel/estate';
import { App } from 'cdktf';
import { allowTestDestroy, dataTestFile } from './terraform/data-assertions';
import { expectStacksPass, readiness, StackVerdict, terraformSuite, verifyStack } from './terraform/harness';
import { StackJson } from './terraform/hcl';
import { DATA_OUTPUT, DataStack, ENVIRONMENT_OUTPUT } from '../src/stacks/data-stack';

/**
 * Each environment's data stack (`<env>-data`), synthesized on its own and judged by real
 * Terraform: `validate`, then a mocked apply with assertions on RDS, the buckets and the IRSA
 * roles. The synthesized JSON is also checked here for what must never be in it.
 */
const state = readiness();

const outdir = mkdtempSync(join(tmpdir(), 'piksel-tf-data-'));
const app = new App({ outdir });
for (const env of ENVIRONMENTS) new DataStack(app, env);
app.synth();
const stacks: Record<string, StackJson & Record<string, any>> = Object.fromEntries(ENVIRONMENTS.map((env) => [
  env.name,
  JSON.parse(readFileSync(join(outdir, 'stacks', `${env.name}-data`, 'cdk.tf.json'), 'utf-8')),
]));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** Every key anywhere in `value`, at any depth. */
function keysDeep(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysDeep);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => [key, ...keysDeep(inner)]);
  return [];
}

describe.each(ENVIRONMENTS)('$name-data, synthesized', (env) => {
  const stack = () => stacks[env.name];

  test('holds no password attribute anywhere', () => {
    expect(keysDeep(stack()).filter((key) => /^password/.test(key))).toEqual([]);
  });

  test('keeps its state in the environment account and reads the environment stack\'s outputs', () => {
    expect(stack().terraform.backend.s3).toMatchObject({ bucket: `piksel-${env.name}-tfstate`, key: `${env.name}-data/terraform.tfstate` });
    expect(stack().data.terraform_remote_state.EnvironmentState.config).toMatchObject({ bucket: `piksel-${env.name}-tfstate`, key: `${env.name}/terraform.tfstate` });
    const text = JSON.stringify(stack().resource);
    for (const output of Object.values(ENVIRONMENT_OUTPUT)) {
      expect(text).toContain(`data.terraform_remote_state.EnvironmentState.outputs.${output}`);
    }
  });

  test('creates a credentials secret without a value for each login role', () => {
    const names = Object.values(stack().resource.aws_secretsmanager_secret).map((s: any) => s.name).sort();
    expect(names).toEqual(['argo', 'grafana', 'jupyterhub', 'odc', 'odcread', 'stac', 'stacread'].map((role) => `${role}-db-credentials-${env.name}`));
    expect(stack().resource.aws_secretsmanager_secret_version).toBeUndefined();
  });

  test('publishes the GitOps values: endpoint, port, master secret, databases, buckets, role ARNs and the file system', () => {
    const outputs = Object.keys(stack().output);
    expect(outputs).toEqual(expect.arrayContaining([
      DATA_OUTPUT.postgresEndpoint, DATA_OUTPUT.postgresPort, DATA_OUTPUT.postgresMasterSecretArn,
      DATA_OUTPUT.postgresDatabases, DATA_OUTPUT.postgresCredentialSecrets,
      ...env.data.buckets.map((b) => DATA_OUTPUT.bucket(b.purpose)), DATA_OUTPUT.efsFileSystemId,
      DATA_OUTPUT.roleArn(env.data.databaseInitServiceAccount),
      DATA_OUTPUT.roleArn('argo-workflows/argo-workflows-executor'),
    ]));
    expect(JSON.parse(stack().output[DATA_OUTPUT.postgresDatabases].value)).toContainEqual({ name: 'stac', owner: 'stac', readers: ['stacread'], extensions: ['postgis'] });
  });

  test('keeps Terraform from destroying the shared file system where the estate protects it', () => {
    const fileSystems = Object.values(stack().resource.aws_efs_file_system);
    expect(fileSystems.map((fs: any) => [fs.creation_token, fs.lifecycle])).toEqual([[`piksel-${env.name}-shared`, { prevent_destroy: env.data.efs.deletionProtection }]]);
  });
});

terraformSuite(state)('Terraform: every data stack', () => {
  const verdicts = new Map<string, StackVerdict>();

  beforeAll(async () => {
    if (!state.ready) {
      throw new Error(`Terraform checks cannot run: ${state.reason}`);
    }
    const results = await Promise.all(ENVIRONMENTS.map((env) => {
      const name = `${env.name}-data`;
      allowTestDestroy(join(outdir, 'stacks', name), stacks[env.name]);
      return verifyStack(join(outdir, 'stacks', name), name, dataTestFile(stacks[env.name], env), state.mirror!);
    }));
    for (const verdict of results) verdicts.set(verdict.stack, verdict);
  }, 600_000);

  expectStacksPass(ENVIRONMENTS.map((env) => `${env.name}-data`), verdicts);
});
