import { Finding } from './findings';
import { BuildContext, FileRole, ReachedFile } from './repository';
import { error, list, RuleContext, warning } from './rule-context';
import { asObject, getPath, YamlDoc } from './yaml-file';

/**
 * A Flux post-build variable: `${name}`, or `${name<op>…}` with a default (`:=`, `:-`, `=`, `-`) or
 * another bash operator. `$${…}` is Flux's escape and is skipped.
 * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#post-build-variable-substitution
 */
const VARIABLE = /(\$?)\$\{([_a-zA-Z][_a-zA-Z0-9]*)((?::?[-=])([^}]*))?[^}]*\}/g;
/** An object Flux does not substitute in. */
const SUBSTITUTE = 'kustomize.toolkit.fluxcd.io/substitute';

/** One `${…}` of a file. */
interface VariableUse {
  readonly name: string;
  readonly text: string;
  readonly fallback?: string;
  readonly line: number;
}

/**
 * `unknown-variable`, `variable-default`, `unsubstituted-variable`: each `${var}` against the
 * contract's keys and against whether the Flux Kustomization that builds the file substitutes.
 */
export function variableRule(context: RuleContext): Finding[] {
  const keys = new Set(context.estate.contract?.values.keys() ?? []);
  const findings: Finding[] = [];
  for (const reached of context.scan.reached) {
    if (reached.bootstrap) continue;
    const uses = reached.file.docs.filter((doc) => !substitutionDisabled(doc, reached)).flatMap(variableUses);
    for (const build of reached.contexts) {
      // One finding per line and rule: a shell line often holds several variables.
      const groups = new Map<string, VariableUse[]>();
      for (const use of uses) {
        const rule = ruleOf(use, build, keys);
        if (rule === undefined) continue;
        const group = `${use.line}\0${rule}`;
        groups.set(group, [...(groups.get(group) ?? []), use]);
      }
      for (const [group, same] of groups) findings.push(judge(same, group.split('\0')[1] as VariableRuleId, build, reached.file.path, context));
    }
  }
  return findings;
}

type VariableRuleId = 'unknown-variable' | 'variable-default' | 'unsubstituted-variable';

function ruleOf(use: VariableUse, build: BuildContext, keys: Set<string>): VariableRuleId | undefined {
  if (keys.has(use.name)) return build.owner.substitutes ? undefined : 'unsubstituted-variable';
  return use.fallback === undefined ? 'unknown-variable' : 'variable-default';
}

function judge(uses: VariableUse[], rule: VariableRuleId, build: BuildContext, file: string, context: RuleContext): Finding {
  const contract = context.estate.contract?.name ?? 'cluster-values';
  const owner = `${build.owner.namespace}/${build.owner.name}`;
  const line = uses[0].line;
  const texts = list(uses.map((u) => u.text));
  const names = [...new Set(uses.map((u) => u.name))];
  const several = uses.length > 1;
  const escape = `write ${list(names.map((n) => `$\${${n}}`))} (Flux then writes ${list(names.map((n) => `\${${n}}`))}) if a shell or template should see ${several ? 'them' : 'it'} at run time`;
  const notKey = `${several ? 'are not' : 'is not a'} ${contract} key${several ? 's' : ''}`;
  if (rule === 'unsubstituted-variable') {
    return error(rule, file, line,
      `${texts} ${several ? 'stay' : 'stays'} literal: Flux Kustomization ${owner}${build.owner.file === undefined ? '' : ` (${build.owner.file}:${build.owner.line})`}, which builds this file, does not substitute from ${contract}`,
      `add postBuild.substituteFrom: [{ kind: ConfigMap, name: ${contract} }] to Kustomization ${owner}`);
  }
  const written = rule === 'variable-default' ? `the default${several ? 's' : ''} (${list(uses.map((u) => `"${u.fallback}"`))})` : 'an empty string';
  if (!build.owner.substitutes) {
    return warning(rule, file, line, `${texts} ${notKey}; left alone today because Kustomization ${owner} does not substitute, but once it does Flux writes ${written}`, escape);
  }
  const keys = [...(context.estate.contract?.values.keys() ?? [])];
  const closest = names.map((n) => nearestKey(n, keys)).filter((k): k is string => k !== undefined);
  const suggestion = closest.length === 0 ? '' : `; did you mean ${list(closest.map((k) => `\${${k}}`))}?`;
  if (rule === 'variable-default') {
    return warning(rule, file, line, `${texts} ${notKey}, so Flux writes ${written}${suggestion}`, `use a key of the contract (the app's README lists them), or ${escape}`);
  }
  const noContract = context.estate.contract === undefined ? ` (the estate of ${context.environment} has no ${contract} ConfigMap)` : '';
  return error(rule, file, line, `${texts} ${notKey}${noContract}, so Flux substitutes an empty string${suggestion}`,
    `use a key of the contract (the app's README lists them), give a default (\${name:=value}), or ${escape}`);
}

function substitutionDisabled(doc: YamlDoc, reached: ReachedFile): boolean {
  if (reached.role === FileRole.KUSTOMIZATION) return false;
  const metadata = asObject(getPath(doc.value, ['metadata'])) ?? {};
  return [metadata.annotations, metadata.labels].some((map) => asObject(map)?.[SUBSTITUTE] === 'disabled');
}

function variableUses(doc: YamlDoc): VariableUse[] {
  const uses: VariableUse[] = [];
  for (const s of doc.strings()) {
    if (!s.value.includes('${')) continue;
    for (const m of s.source.matchAll(VARIABLE)) {
      if (m[1] === '$') continue;
      uses.push({ name: m[2], text: m[0], fallback: m[3] === undefined ? undefined : m[4], line: s.lineAt(m.index! + m[1].length) });
    }
  }
  return uses;
}

/** The key closest to `name` (by edit distance, case-insensitive), if close enough to suggest. */
export function nearestKey(name: string, keys: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const key of keys) {
    const distance = editDistance(name.toLowerCase(), key.toLowerCase());
    if (best === undefined || distance < best.distance) best = { key, distance };
  }
  return best !== undefined && best.distance <= Math.max(2, Math.floor(name.length / 4)) ? best.key : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
