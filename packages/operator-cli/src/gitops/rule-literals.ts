import { ContractValue } from './estate';
import { Finding } from './findings';
import { BUCKET_KEY, findLiterals, LiteralMatch, ValueKind, ZONE_ID_KEY, ZONE_ID_VALUE } from './literals';
import { error, list, RuleContext, warning } from './rule-context';
import { YamlString } from './yaml-file';

/** The annotation whose role ARNs `unknown-role` judges. */
export const ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';

/**
 * `hard-coded-value`: account IDs, role ARNs, buckets, file system IDs, zone IDs and registry hosts
 * written out where a `cluster-values` key provides them; an error when a key does (or when the
 * value belongs to another environment), a warning when no key provides it yet.
 */
export function literalRule(context: RuleContext): Finding[] {
  const { estate } = context;
  const accounts = new Set(estate.accountOwners.keys());
  const buckets = new Set(estate.buckets.keys());
  const findings: Finding[] = [];
  for (const reached of context.scan.reached) {
    if (reached.bootstrap) continue;
    for (const doc of reached.file.docs) {
      for (const s of doc.strings()) {
        if (s.path[s.path.length - 1] === ROLE_ARN_ANNOTATION) continue;
        for (const match of [...findLiterals(s.source, accounts, buckets), ...keyedLiterals(s, buckets)]) {
          findings.push(judge(context, reached.file.path, s.lineAt(match.index), match));
        }
      }
    }
  }
  return findings;
}

/** Literals recognised by the key they sit under: a bucket, a zone ID. */
function keyedLiterals(s: YamlString, known: Set<string>): LiteralMatch[] {
  const key = String(s.path[s.path.length - 1] ?? '');
  const value = s.value.trim();
  if (value === '' || value.includes('${')) return [];
  const index = Math.max(0, s.source.indexOf(value));
  if (BUCKET_KEY.test(key) && !known.has(value) && /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value)) return [{ kind: ValueKind.BUCKET, text: value, index }];
  if (ZONE_ID_KEY.test(key) && ZONE_ID_VALUE.test(value)) return [{ kind: ValueKind.ZONE_ID, text: value, index }];
  return [];
}

function judge(context: RuleContext, file: string, line: number, match: LiteralMatch): Finding {
  const { estate, environment } = context;
  const contract = estate.contract?.name ?? 'cluster-values';
  const values = [...(estate.contract?.values.values() ?? [])];
  const what = `hard-coded ${match.kind} ${match.text}`;
  const foreign = foreignOwner(context, match);
  if (foreign !== undefined) {
    return error('hard-coded-value', file, line, `${what} belongs to ${foreign}, not ${environment}`, `take ${environment}'s value from ${contract}${suggest(values, match.kind)}`);
  }
  const exact = values.find((v) => v.literal === match.text);
  if (exact !== undefined) {
    return error('hard-coded-value', file, line, `${what}: ${contract} provides it as \${${exact.key}}`, `write \${${exact.key}} instead, so each environment gets its own value`);
  }
  const sameKind = values.filter((v) => v.kind === match.kind);
  if (sameKind.length > 0 && ONE_PER_ENVIRONMENT.includes(match.kind)) {
    const keys = list(sameKind.map((v) => `\${${v.key}}`));
    return error('hard-coded-value', file, line, `${what}: ${contract} provides the ${match.kind} as ${keys}`, `write ${keys} instead, so each environment gets its own value`);
  }
  if (sameKind.length > 0 && !estate.buckets.has(match.text)) {
    return warning('hard-coded-value', file, line, `${what} is no ${match.kind} the estate makes for ${environment}${suggest(values, match.kind)}`,
      'use the key meant, or ask for one in the estate\'s GitOpsValues');
  }
  return warning('hard-coded-value', file, line, `${what}: no ${contract} key provides it yet, so every environment gets this value`,
    `ask for a key in the estate's GitOpsValues (e.g. ${keyNameFor(match.kind)}) and write \${<key>}`);
}

/** Kinds with one value per environment: a literal of the kind can only mean the key's value. */
const ONE_PER_ENVIRONMENT = [ValueKind.REGISTRY_HOST, ValueKind.FILE_SYSTEM_ID, ValueKind.ZONE_ID];

/** Which other environment (or the hub) a value belongs to, if it is not this environment's. */
function foreignOwner(context: RuleContext, match: LiteralMatch): string | undefined {
  const { estate } = context;
  if (match.kind === ValueKind.BUCKET) {
    const stack = estate.buckets.get(match.text);
    return stack !== undefined && !estate.stacks.includes(stack) ? `${stack} (its bucket)` : undefined;
  }
  if (match.account === undefined || match.account === estate.account) return undefined;
  const owner = estate.accountOwners.get(match.account);
  // The hub's registry is every environment's registry: hard-coded, but not foreign.
  if (match.kind === ValueKind.REGISTRY_HOST) return undefined;
  return owner === undefined ? `account ${match.account}, which is no account of the estate` : `account ${match.account} (${owner})`;
}

function suggest(values: ContractValue[], kind: ValueKind): string {
  const keys = values.filter((v) => v.kind === kind).map((v) => `\${${v.key}}`);
  return keys.length === 0 ? '' : ` (keys of that kind: ${list(keys)})`;
}

function keyNameFor(kind: ValueKind): string {
  switch (kind) {
    case ValueKind.REGISTRY_HOST: return 'registryHost';
    case ValueKind.FILE_SYSTEM_ID: return 'efsFileSystemId';
    case ValueKind.ZONE_ID: return 'externalDnsZoneIds';
    case ValueKind.BUCKET: return 'bucket<Purpose>';
    case ValueKind.ROLE_ARN: return 'roleArn<Namespace><ServiceAccount>';
    default: return 'account';
  }
}
