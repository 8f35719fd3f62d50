import { ResolvedValue } from './terraform-json';

/** The kinds of estate value a GitOps manifest should take from the contract, never write out. */
export enum ValueKind {
  ACCOUNT = 'account ID',
  ROLE_ARN = 'role ARN',
  BUCKET = 'bucket name',
  REGISTRY_HOST = 'registry host',
  FILE_SYSTEM_ID = 'file system ID',
  ZONE_ID = 'Route 53 zone ID',
  OTHER = 'other',
}

/** `<account>.dkr.ecr.<region>.amazonaws.com`: an ECR registry. */
export const REGISTRY_HOST = /\b(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\b/g;
/** An IAM role ARN (the name may carry a path). */
export const ROLE_ARN = /\barn:aws(?:-[a-z]+)?:iam::(\d{12}):role\/([\w+=,.@/-]+)/g;
/** An EFS file system ID (8 or 17 hex digits), alone or as the first half of `fs-…::fsap-…`. */
export const FILE_SYSTEM_ID = /\bfs-(?:[0-9a-f]{17}|[0-9a-f]{8})\b/g;
/** A bare 12-digit number: an account ID when it is one of the estate's accounts. */
export const ACCOUNT_ID = /(?<![\d.:])\d{12}(?![\d])/g;
/**
 * A Route 53 hosted zone ID, only where the text says it is one (`hostedzone/…`,
 * `--zone-id-filter=…`): base64 in certificates holds lookalikes.
 */
export const ZONE_ID_IN_CONTEXT = /(?:hostedzone\/|zone-id-filter[= ]|zoneIdFilters?:\s*\[?\s*)(Z[0-9A-Z]{8,31})\b/g;
/** A mapping key whose value is a zone ID. */
export const ZONE_ID_KEY = /^(hosted)?zone[-_]?ids?(filters?)?$/i;
/** A whole value that looks like a zone ID. */
export const ZONE_ID_VALUE = /^Z(?=[0-9A-Z]*\d)[0-9A-Z]{8,31}$/;
/** A mapping key whose value is a bucket name. */
export const BUCKET_KEY = /^(s3)?bucket([-_]?name)?$/i;

/**
 * What kind of value a contract key holds: from its value where the JSON fixes it, from the
 * resource an expression ends at, else from the key's name.
 */
export function classifyValue(key: string, resolved: ResolvedValue): ValueKind {
  const literal = resolved.literal;
  if (literal !== undefined) {
    if (new RegExp(`^${ROLE_ARN.source}$`).test(literal)) return ValueKind.ROLE_ARN;
    if (new RegExp(`^${REGISTRY_HOST.source}$`).test(literal)) return ValueKind.REGISTRY_HOST;
    if (new RegExp(`^${FILE_SYSTEM_ID.source}$`).test(literal)) return ValueKind.FILE_SYSTEM_ID;
    if (/^\d{12}$/.test(literal)) return ValueKind.ACCOUNT;
  }
  switch (resolved.resourceType) {
    case 'aws_iam_role': return ValueKind.ROLE_ARN;
    case 'aws_s3_bucket': return ValueKind.BUCKET;
    case 'aws_efs_file_system': return ValueKind.FILE_SYSTEM_ID;
    case 'aws_route53_zone': return ValueKind.ZONE_ID;
    case 'aws_ecr_repository': return ValueKind.REGISTRY_HOST;
    default: return classifyByName(key);
  }
}

function classifyByName(key: string): ValueKind {
  if (/registry/i.test(key)) return ValueKind.REGISTRY_HOST;
  if (/(fileSystemId|FsId)$/i.test(key)) return ValueKind.FILE_SYSTEM_ID;
  if (/zoneIds?$/i.test(key)) return ValueKind.ZONE_ID;
  if (/^bucket/i.test(key)) return ValueKind.BUCKET;
  if (/roleArn$|^roleArn/i.test(key)) return ValueKind.ROLE_ARN;
  if (key === 'account') return ValueKind.ACCOUNT;
  return ValueKind.OTHER;
}

/** A literal found in a string: what it is, the text matched and where in the string. */
export interface LiteralMatch {
  readonly kind: ValueKind;
  readonly text: string;
  readonly index: number;
  /** For a role ARN or registry host: the account in it. */
  readonly account?: string;
  /** For a role ARN: the role name. */
  readonly roleName?: string;
}

/**
 * The estate literals in `source` (a scalar as written): registry hosts, role ARNs, file system
 * IDs, zone IDs in context, known buckets, and bare account IDs of the estate outside the former.
 */
export function findLiterals(source: string, accounts: ReadonlySet<string>, buckets: ReadonlySet<string>): LiteralMatch[] {
  const found: LiteralMatch[] = [];
  const taken: [number, number][] = [];
  const add = (match: LiteralMatch) => {
    found.push(match);
    taken.push([match.index, match.index + match.text.length]);
  };
  for (const m of source.matchAll(REGISTRY_HOST)) add({ kind: ValueKind.REGISTRY_HOST, text: m[0], index: m.index!, account: m[1] });
  for (const m of source.matchAll(ROLE_ARN)) add({ kind: ValueKind.ROLE_ARN, text: m[0], index: m.index!, account: m[1], roleName: m[2].split('/').pop() });
  for (const m of source.matchAll(FILE_SYSTEM_ID)) add({ kind: ValueKind.FILE_SYSTEM_ID, text: m[0], index: m.index! });
  for (const m of source.matchAll(ZONE_ID_IN_CONTEXT)) add({ kind: ValueKind.ZONE_ID, text: m[1], index: m.index! + m[0].length - m[1].length });
  for (const bucket of buckets) {
    for (const m of source.matchAll(new RegExp(`(?<![\\w.-])${bucket.replace(/[.]/g, '\\.')}(?![\\w.-])`, 'g'))) {
      add({ kind: ValueKind.BUCKET, text: m[0], index: m.index! });
    }
  }
  const inside = (index: number) => taken.some(([start, end]) => index >= start && index < end);
  for (const m of source.matchAll(ACCOUNT_ID)) {
    if (accounts.has(m[0]) && !inside(m.index!)) found.push({ kind: ValueKind.ACCOUNT, text: m[0], index: m.index!, account: m[0] });
  }
  return found.sort((a, b) => a.index - b.index);
}
