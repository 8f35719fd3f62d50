import { ENVIRONMENTS, REGION } from '@piksel/estate';
import { Command, Option } from 'commander';
import { awsClients } from './aws';
import { check } from './check';
import { CliError, runProgram } from './errors';
import { Io, processIo } from './io';
import { put } from './put';
import { KINDS } from './secret-target';

const ENV_NAMES = ENVIRONMENTS.map((env) => env.name);

const PUT_EXAMPLES = `
Examples:
  # Prompt for the value (typed or pasted; nothing is echoed):
  $ piksel-secrets put --env dev --service grafana --kind oauth-client

  # Pipe the value in, e.g. from the clipboard or a password manager:
  $ pbpaste | piksel-secrets put --env staging --service alerts --kind slack-webhook --value-stdin

  # Rehearse: show the calls with the value masked, write nothing (works before signing in):
  $ piksel-secrets put --env production --service argo --kind oauth-client --dry-run

Names follow the convention: <service>-oauth-<env> for oauth-client, slack-<service>-<env> for
slack-webhook (e.g. grafana-oauth-dev, slack-alerts-dev). Values: oauth-client is
client_id:client_secret; slack-webhook is https://hooks.slack.com/services/... . The value is
never taken from the command line, never printed and never logged.
`;

const CHECK_EXAMPLES = `
Examples:
  $ piksel-secrets check --env dev
  $ AWS_PROFILE=piksel-production piksel-secrets check --env production

Exit code 0 when every expected secret exists, carries the full tag schema and has a current
value; 1 when any does not; 2 when the check could not run.
`;

const MAIN_EXAMPLES = `
Examples:
  $ piksel-secrets put --env dev --service grafana --kind oauth-client
  $ piksel-secrets check --env dev
  $ piksel-secrets put --help
`;

/**
 * Runs the CLI with `argv` (the arguments after the program name) and returns the exit code.
 * Everything it prints goes to `io`.
 */
export async function run(argv: string[], io: Io = processIo()): Promise<number> {
  let exitCode = 0;
  const program = new Command('piksel-secrets')
    .description('Put and check the values of Piksel secrets in AWS Secrets Manager, with the tag schema and naming convention enforced.')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError('(add --help for usage and examples)')
    .addHelpText('after', MAIN_EXAMPLES);

  const put_ = program.command('put')
    .description('Put a secret\'s value: create the secret with the full tag schema if it does not exist, or add a new version if it does.')
    .addOption(environmentOption())
    .requiredOption('--service <name>', 'the service that reads the secret, lower-case kebab-case (e.g. grafana, argo, jupyterhub, alerts)')
    .addOption(new Option('--kind <kind>', 'what the secret holds').choices(Object.keys(KINDS)).makeOptionMandatory())
    .option('--tenant <tenant>', 'who issued the credential (Tenant tag), e.g. Cognito, Auth0, Slack; default: the estate table\'s')
    .option('--value-stdin', 'read the value from standard input instead of prompting')
    .option('--dry-run', 'show the calls it would make, value masked; write nothing (works without credentials)')
    // Declared only to refuse it: a value on the command line stays in shell history and `ps`.
    .addOption(new Option('--value <value>').hideHelp())
    .addHelpText('after', PUT_EXAMPLES)
    .action(async (options) => {
      if (options.value !== undefined) {
        throw new CliError('refused: a value is never taken from the command line (shell history and process lists keep it); ' +
          'pipe it in with --value-stdin, or leave both out to be prompted');
      }
      exitCode = await put(options, awsClients(options), io);
    });
  addAwsOptions(put_);

  const check_ = program.command('check')
    .description('List the secrets the estate expects in an environment and whether each exists, carries the tag schema and has a value.')
    .addOption(environmentOption())
    .addHelpText('after', CHECK_EXAMPLES)
    .action(async (options) => {
      exitCode = await check(options, awsClients(options), io);
    });
  addAwsOptions(check_);

  return runProgram(program, argv, io, () => exitCode);
}

function environmentOption(): Option {
  return new Option('--env <env>', 'the environment').choices(ENV_NAMES).makeOptionMandatory();
}

function addAwsOptions(command: Command): void {
  command
    .option('--region <region>', 'AWS region', REGION)
    .option('--profile <profile>', 'AWS profile of the shared config files (default: AWS_PROFILE or the default chain)');
}
