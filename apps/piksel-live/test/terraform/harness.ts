import { execFile, execFileSync } from 'child_process';
import { existsSync, mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { promisify } from 'util';

const run = promisify(execFile);

/**
 * The environment variable that names the offline Terraform provider mirror: a directory in
 * Terraform's filesystem-mirror layout holding `registry.terraform.io/hashicorp/aws/5.100.0/...`
 * (the build `@cdktf/provider-aws` 20.1.0 targets).
 */
export const MIRROR_VARIABLE = 'PIKSEL_TF_PROVIDER_MIRROR';

/** The provider build every stack is checked against. */
export const AWS_PROVIDER = { source: 'registry.terraform.io/hashicorp/aws', version: '5.100.0' };

/** Whether Terraform checks can run here, and if not, why. */
export interface Readiness {
  readonly ready: boolean;
  /** Whether the `terraform` binary answered. */
  readonly terraformFound: boolean;
  readonly reason?: string;
}

/** Finds Terraform and the provider mirror, or says what is missing and how to fix it. */
export function readiness(env: NodeJS.ProcessEnv = process.env): Readiness {
  try {
    execFileSync('terraform', ['version'], { env, stdio: 'ignore' });
  } catch {
    return { ready: false, terraformFound: false, reason: 'terraform is not on PATH; install Terraform 1.11 to run the Terraform checks' };
  }
  const mirror = env[MIRROR_VARIABLE];
  const providerDir = mirror && join(mirror, AWS_PROVIDER.source, AWS_PROVIDER.version);
  if (!mirror || !providerDir || !existsSync(providerDir)) {
    return {
      ready: false,
      terraformFound: true,
      reason: `${MIRROR_VARIABLE} ${mirror ? `is "${mirror}", which has no ${AWS_PROVIDER.source}/${AWS_PROVIDER.version}` : 'is not set'}; ` +
        `set it to a Terraform filesystem mirror that holds hashicorp/aws ${AWS_PROVIDER.version}`,
    };
  }
  return { ready: true, terraformFound: true };
}

/** What Terraform said about one stack. */
export interface StackVerdict {
  readonly stack: string;
  readonly valid: boolean;
  readonly validateOutput: string;
  readonly testPassed: boolean;
  readonly testOutput: string;
}

/**
 * Runs `terraform init` (offline, from the mirror, without the backend), `validate` and
 * `test` (the given `.tftest.hcl`, which uses `mock_provider "aws"`) in a synthesized stack
 * directory.
 */
export async function verifyStack(stackDir: string, stack: string, testFile: string, mirror: string): Promise<StackVerdict> {
  const cliConfig = join(stackDir, 'offline.tfrc');
  writeFileSync(cliConfig, [
    'provider_installation {',
    `  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["${AWS_PROVIDER.source}"]\n  }`,
    '  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }',
    '}',
    '',
  ].join('\n'));
  mkdirSync(join(stackDir, 'tests'), { recursive: true });
  writeFileSync(join(stackDir, 'tests', 'estate.tftest.hcl'), testFile);

  const env = { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
  const terraform = (...args: string[]) => run('terraform', [...args, '-no-color'], { cwd: stackDir, env, maxBuffer: 32 * 1024 * 1024 })
    .then(({ stdout, stderr }) => ({ ok: true, output: stdout + stderr }))
    .catch((err: { stdout?: string; stderr?: string; message: string }) => ({ ok: false, output: `${err.stdout ?? ''}${err.stderr ?? err.message}` }));

  const init = await terraform('init', '-backend=false', '-input=false');
  if (!init.ok) {
    return { stack, valid: false, validateOutput: `terraform init failed:\n${init.output}`, testPassed: false, testOutput: '' };
  }
  const validate = await terraform('validate');
  const test = validate.ok ? await terraform('test') : { ok: false, output: 'not run: validate failed' };
  return { stack, valid: validate.ok, validateOutput: validate.output, testPassed: test.ok, testOutput: test.output };
}
