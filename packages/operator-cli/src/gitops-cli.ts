import { ENVIRONMENTS } from '@piksel/estate';
import { Command, Option } from 'commander';
import { EXIT_FINDINGS, runProgram } from './errors';
import { checkRepository } from './gitops/check';
import { RULES, Severity } from './gitops/findings';
import { initRepository } from './gitops/init';
import { jsonReport, printReport } from './gitops/report';
import { Io, processIo, say } from './io';

const ENV_NAMES = ENVIRONMENTS.map((env) => env.name);

const MAIN_EXAMPLES = `
Examples:
  $ git clone https://github.com/piksel-ina/piksel-gitops.git && npx pnpm synth
  $ piksel-gitops check piksel-gitops --environment staging
  $ piksel-gitops init piksel-gitops --environment dev
`;

const CHECK_HELP = `
Examples:
  $ piksel-gitops check ../piksel-gitops --environment staging
  $ piksel-gitops check ../piksel-gitops --environment production --estate apps/piksel-live/cdktf.out --json

Follows what Flux applies from clusters/<env> (the path the estate's sync names): the root's
build, kustomize resources and patches, and every Flux Kustomization sourced from the repository.
It reads the estate from the synthesized stacks (every stack named <env> or <env>-*): the
cluster-values ConfigMap, Helm releases and their pinned versions, NodePools, Fargate profiles,
IAM roles and Kubernetes objects. Rules:
${Object.entries(RULES).map(([id, summary]) => `  ${id.padEnd(26)}${summary}`).join('\n')}

Exit code 0 when nothing is an error (warnings allowed), 1 when any finding is an error, 2 when
the check could not run (unknown environment, not a Git checkout, no synthesized estate).
`;

const INIT_HELP = `
Examples:
  $ piksel-gitops init ../piksel-gitops-new --environment staging
  $ piksel-gitops init . --environment dev --app terria/terria-sa

Writes clusters/<env>/{infrastructure,apps}.yaml (Flux Kustomizations, kustomize.toolkit.fluxcd.io/v1,
each with postBuild.substituteFrom the contract ConfigMap), infrastructure/<env>/ (the namespaces),
apps/<env>/ and one example application in apps/base/<app>/ (service account with the estate's role
key, Deployment, Service, and an HTTPRoute on the estate's Gateway when contract keys name it). No
flux-system/ bootstrap: the estate installs Flux. A file that exists with other content is refused
(nothing is written) unless --force; identical files are left as they are.
`;

/**
 * Runs `piksel-gitops` with `argv` (the arguments after the program name) and returns the exit
 * code. Everything it prints goes to `io`.
 */
export async function runGitops(argv: string[], io: Io = processIo()): Promise<number> {
  let exitCode = 0;
  const program = new Command('piksel-gitops')
    .description('Check a piksel-gitops checkout against the synthesized Piksel estate, or write its reference layout.')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError('(add --help for usage and examples)')
    .addHelpText('after', MAIN_EXAMPLES);

  program.command('check')
    .description('Report what in the repository will not converge on the estate of one environment.')
    .argument('<repo-dir>', 'root of a piksel-gitops checkout')
    .addOption(environmentOption())
    .option('--estate <dir>', 'the synthesized estate (cdktf.out); default: apps/piksel-live/cdktf.out of the piksel-constructs checkout above the working directory')
    .option('--unreached', 'also check the files no clusters/* directory reaches, as if the root built them (their findings are warnings)')
    .option('--json', 'print { environment, findings: [{ rule, severity, file, line, message, fix }], unreached } instead of the report')
    .addHelpText('after', CHECK_HELP)
    .action((repoDir: string, options: { environment: string; estate?: string; unreached?: boolean; json?: boolean }) => {
      const result = checkRepository(repoDir, options);
      if (options.json === true) say(io, jsonReport(result));
      else printReport(io, repoDir, result);
      exitCode = result.findings.some((f) => f.severity === Severity.ERROR) ? EXIT_FINDINGS : 0;
    });

  program.command('init')
    .description('Write the reference layout of one environment: clusters/<env>/, infrastructure/<env>/, apps/<env>/ and an example application.')
    .argument('<dir>', 'where to write (a checkout of piksel-gitops, or a new directory)')
    .addOption(environmentOption())
    .option('--estate <dir>', 'the synthesized estate (cdktf.out); default as for check')
    .option('--app <namespace/service-account>', 'the example application, by the service account the estate makes a role for (default: terria/terria-sa)')
    .option('--force', 'overwrite files that exist with other content')
    .addHelpText('after', INIT_HELP)
    .action((dir: string, options: { environment: string; estate?: string; app?: string; force?: boolean }) => {
      const result = initRepository(dir, options);
      for (const path of result.written) say(io, `wrote      ${path}`);
      for (const path of result.unchanged) say(io, `unchanged  ${path}`);
      for (const note of result.notes) say(io, `note: ${note}`);
      say(io, `Next: commit, then "piksel-gitops check ${dir} --environment ${options.environment}" (the directory must be a Git checkout).`);
    });

  return runProgram(program, argv, io, () => exitCode);
}

function environmentOption(): Option {
  return new Option('--environment <env>', 'the environment whose cluster syncs the repository').choices(ENV_NAMES).makeOptionMandatory();
}
