import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ENVIRONMENTS, HUB } from '@piksel/estate';
import { App } from 'cdktf';
import { buildEstate } from '../src/main';
import { environmentTestFile } from './terraform/estate-assertions';
import { readiness, StackVerdict, terraformSuite, verifyStack } from './terraform/harness';
import { StackJson } from './terraform/hcl';
import { hubTestFile } from './terraform/network-assertions';

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

  describe.each([HUB.name, ...ENVIRONMENTS.map((env) => env.name)])('%s', (name) => {
    test('passes terraform validate', () => {
      const verdict = verdicts.get(name)!;
      if (!verdict.valid) throw new Error(verdict.validateOutput);
      expect(verdict.validateOutput).toMatch(/Success! The configuration is valid/);
    });

    test('passes a mocked apply with every assertion', () => {
      const verdict = verdicts.get(name)!;
      if (!verdict.testPassed) throw new Error(verdict.testOutput);
      expect(verdict.testOutput).toMatch(/1 passed, 0 failed/);
    });
  });
});
