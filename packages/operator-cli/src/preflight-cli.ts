import { REGION } from '@piksel/estate';
import { Command, Option } from 'commander';
import { runProgram } from './errors';
import { Io, processIo } from './io';
import { PREFLIGHT_ENVS, preflight, PreflightClients, preflightClients, PreflightOptions } from './preflight';

const EXAMPLES = `
Examples:
  # Before the first apply into dev, signed in to dev's account:
  $ piksel-preflight --env dev --profile piksel-dev

  # The hub, with the profile from the environment:
  $ AWS_PROFILE=piksel-hub piksel-preflight --env hub

Checks, with read-only calls: the credentials are for the environment's account; the state
bucket piksel-<env>-tfstate exists and is versioned; GitHub's OIDC provider exists with client ID
sts.amazonaws.com; piksel-deploy and piksel-plan exist and trust exactly their GitHub subjects.
For the hub: RAM sharing with AWS Organizations is enabled. For dev, staging and production: the
SSO administrator role exists exactly once, EKS offers the estate's Kubernetes version in the
region, CodeBuild is connected to GitHub, and the account lets the open-data bucket publish
(no account-level block of public bucket policies).

Exit code 0 when no check fails (warnings allowed), 1 when any fails, 2 when the preflight
could not run (bad options, no usable credentials).
`;

/**
 * Runs `piksel-preflight` with `argv` (the arguments after the program name) and returns the
 * exit code. `clients` replaces the AWS clients (tests); everything it prints goes to `io`.
 */
export async function runPreflight(
  argv: string[],
  io: Io = processIo(),
  clients: (options: PreflightOptions) => PreflightClients = preflightClients,
): Promise<number> {
  let exitCode = 0;
  const program = new Command('piksel-preflight')
    .description('Check, read-only, that an account has what an apply of its Piksel stacks needs and cannot create itself.')
    .addOption(new Option('--env <env>', 'the environment whose account you are signed in to').choices(PREFLIGHT_ENVS).makeOptionMandatory())
    .option('--region <region>', 'AWS region', REGION)
    .option('--profile <profile>', 'AWS profile of the shared config files (default: AWS_PROFILE or the default chain)')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError('(add --help for usage and examples)')
    .addHelpText('after', EXAMPLES)
    .action(async (options: PreflightOptions) => {
      exitCode = await preflight(options, clients(options), io);
    });

  return runProgram(program, argv, io, () => exitCode);
}
