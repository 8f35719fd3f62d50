import { posix } from 'path';
import { Io, say } from '../io';
import { CheckResult } from './check';
import { countByRule, Severity } from './findings';

/** Prints a check's findings grouped by file, the files Flux reaches nowhere, and a summary. */
export function printReport(io: Io, repoDir: string, result: CheckResult): void {
  const { estate, findings } = result;
  say(io, `Checked ${repoDir} for ${result.environment} against the estate at ${result.estateDir} (stacks ${estate.stacks.join(', ')}).`);
  const contract = estate.contract === undefined ? 'which the estate does not create' : `${estate.contract.values.size} keys`;
  say(io, `Flux syncs ${result.scan.clusterPath} and substitutes from ConfigMap ${estate.sync.namespace}/${estate.sync.substituteFrom[0] ?? 'cluster-values'} (${contract}).`);
  const width = String(Math.max(0, ...findings.map((f) => f.line))).length;
  let file: string | undefined;
  for (const f of findings) {
    if (f.file !== file) {
      file = f.file;
      say(io);
      say(io, f.file);
    }
    const line = (f.line === 0 ? '-' : String(f.line)).padStart(width);
    say(io, `  ${line}  ${f.severity.padEnd(7)}  ${f.rule}  ${f.message}`);
    say(io, `  ${' '.repeat(width)}  ${' '.repeat(7)}  fix: ${f.fix}`);
  }
  if (result.unreached.length > 0) {
    say(io);
    say(io, `Not reached from any clusters/* directory, so Flux applies them nowhere (not checked): ${result.unreached.length} file${result.unreached.length === 1 ? '' : 's'}`);
    say(io, `  ${byDirectory(result.unreached)}`);
  }
  say(io);
  say(io, summary(result));
}

/** `3 errors and 2 warnings in 4 files (api-not-served 2, …)`, or that the repository is clean. */
export function summary(result: CheckResult): string {
  const { findings } = result;
  if (findings.length === 0) return `No findings: ${result.scan.clusterPath} converges on the ${result.environment} estate as far as the check can tell.`;
  const errors = findings.filter((f) => f.severity === Severity.ERROR).length;
  const warnings = findings.length - errors;
  const files = new Set(findings.map((f) => f.file)).size;
  const counts = countByRule(findings).map(([rule, n]) => `${rule} ${n}`).join(', ');
  return `${plural(errors, 'error')} and ${plural(warnings, 'warning')} in ${plural(files, 'file')} (${counts}).`;
}

/** The check as JSON: `{ environment, findings: [{ rule, severity, file, line, message, fix }], unreached }`. */
export function jsonReport(result: CheckResult): string {
  const findings = result.findings.map((f) => ({ rule: f.rule, severity: f.severity, file: f.file, line: f.line, message: f.message, fix: f.fix }));
  return JSON.stringify({ environment: result.environment, findings, unreached: result.unreached }, undefined, 2);
}

function byDirectory(files: string[]): string {
  const counts = new Map<string, number>();
  for (const file of files) counts.set(`${posix.dirname(file)}/`, (counts.get(`${posix.dirname(file)}/`) ?? 0) + 1);
  return [...counts.entries()].map(([dir, n]) => `${dir} (${n})`).join(', ');
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
