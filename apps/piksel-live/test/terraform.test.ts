import { execFile } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ENVIRONMENTS, HUB } from '@piksel/estate';
import { App } from 'cdktf';
import { ssoAdministratorMissingRun } from './terraform/cluster-assertions';
import { buildEstate } from '../src/main';
import { environmentTestFile } from './terraform/estate-assertions';
import { expectStacksPass, readiness, StackVerdict, terraformSuite, verifyStack } from './terraform/harness';
import { StackJson } from './terraform/hcl';
import { hubTestFile } from './terraform/network-assertions';
import { ssoAdministratorMessage } from '../src/stacks/environment-stack';

/**
 * Every AWS stack of the estate, judged by real Terraform against the provider build our
 * bindings target: `terraform validate`, then a mocked apply (`terraform test` with
 * `mock_provider "aws"`) with assertions on the applied values.
 */
const state = readiness();

terraformSuite(state)('Terraform: every AWS stack of the estate', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'piksel-tf-'));
  const verdicts = new Map<string, StackVerdict>();

  beforeAll(async () => {
    const app = new App({ outdir });
    buildEstate(app);
    app.synth();
    // Stacks are independent: check them in parallel (each provider start costs ~2-3 s).
    const check = (name: string, testFile: (stack: StackJson) => string) => {
      const stackDir = join(outdir, 'stacks', name);
      const stack: StackJson = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf-8'));
      return verifyStack(stackDir, name, testFile(stack), state.mirror!);
    };
    const results = await Promise.all([
      check(HUB.name, hubTestFile),
      ...ENVIRONMENTS.map((env) => check(env.name, (stack) => environmentTestFile(stack, env))),
    ]);
    for (const verdict of results) verdicts.set(verdict.stack, verdict);
  }, 600_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  expectStacksPass([HUB.name, ...ENVIRONMENTS.map((env) => env.name)], verdicts, (name) => (name === HUB.name ? 1 : 2));

  test('stops a plan without an SSO administrator role with a message naming the permission set and the account', async () => {
    const env = ENVIRONMENTS[0];
    const stackDir = join(outdir, 'stacks', env.name);
    const main = readFileSync(join(stackDir, 'tests', 'estate.tftest.hcl'), 'utf-8');
    writeFileSync(join(stackDir, 'tests', 'sso-missing.tftest.hcl'), `${main}\n${ssoAdministratorMissingRun(false)}`);
    const output = await new Promise<string>((resolve) => {
      execFile('terraform', ['test', '-no-color', '-filter=tests/sso-missing.tftest.hcl'], {
        cwd: stackDir,
        env: { ...process.env, TF_CLI_CONFIG_FILE: join(stackDir, 'offline.tfrc'), TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
        maxBuffer: 32 * 1024 * 1024,
      }, (_err, stdout, stderr) => resolve(`${stdout}${stderr}`));
    });
    expect(output).toMatch(/Resource postcondition failed/);
    // Terraform wraps long messages; compare without line breaks.
    expect(output.replace(/\s+/g, ' ')).toContain(ssoAdministratorMessage(env).replace(/\s+/g, ' '));
    expect(output).toMatch(/run "sso_administrator_missing_message"\.\.\. fail/);
  }, 300_000);
});
