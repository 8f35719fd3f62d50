import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AWS_PROVIDER, PROVIDER_PER_COMMAND_VARIABLE, readiness, sharedProviderRunning, terraformSuite, verifyStack } from './terraform/harness';

/**
 * The Terraform suites share one provider process (`sharedProvider` in the harness): the checks
 * must judge exactly as when Terraform starts the provider itself.
 */
const state = readiness();

/** A stack of one IAM role named `name`, and a mocked apply that asserts the name. */
function roleStack(dir: string, name: string): { stackDir: string; testFile: string } {
  const stackDir = join(dir, name.length > 20 ? 'long' : 'short');
  mkdirSync(stackDir, { recursive: true });
  writeFileSync(join(stackDir, 'main.tf.json'), JSON.stringify({
    terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: AWS_PROVIDER.version } } },
    provider: { aws: { region: 'ap-southeast-3' } },
    resource: { aws_iam_role: { role: { name, assume_role_policy: '{"Version":"2012-10-17","Statement":[]}' } } },
  }));
  const testFile = [
    'mock_provider "aws" {}',
    'run "apply" {',
    '  command = apply',
    '  assert {',
    `    condition     = aws_iam_role.role.name == "${name}"`,
    '    error_message = "the role keeps its name"',
    '  }',
    '}',
    '',
  ].join('\n');
  return { stackDir, testFile };
}

terraformSuite(state)('Terraform: checks through the shared provider', () => {
  const dir = mkdtempSync(join(tmpdir(), 'piksel-shared-provider-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a valid stack passes validate and a mocked apply, served by the shared provider', async () => {
    const { stackDir, testFile } = roleStack(dir, 'piksel-ok');
    const verdict = await verifyStack(stackDir, 'short', testFile, state.mirror!);
    expect(verdict.validateOutput).toMatch(/Success! The configuration is valid/);
    expect(verdict.testOutput).toMatch(/1 passed, 0 failed/);
    expect(sharedProviderRunning()).toBe(!process.env[PROVIDER_PER_COMMAND_VARIABLE]);
  }, 120_000);

  test('the provider\'s own validation still fails a stack: a role name longer than IAM allows', async () => {
    const { stackDir, testFile } = roleStack(dir, 'r'.repeat(65));
    const verdict = await verifyStack(stackDir, 'long', testFile, state.mirror!);
    expect(verdict.valid).toBe(false);
    expect(verdict.validateOutput).toMatch(/expected length of name to be in the range \(1 - 64\)/);
  }, 120_000);
});
