import { compare, Estate, list, Resource, Statement, statements } from './terraform';

/**
 * IAM Roles for Service Accounts and what each may touch, read from the roles' trust and
 * policies: buckets, secrets (one by one, or by tag), the database's master secret, queues, roles
 * in other accounts. KMS statements are left out: they only serve the secrets and buckets.
 */

/** What a grant points at, as the cluster picture groups it. */
export enum TargetKind {
  BUCKET = 'bucket',
  EXTERNAL_BUCKETS = 'external-buckets',
  SECRETS = 'secrets',
  DATABASE = 'database',
  QUEUE = 'queue',
  ROLE = 'role',
  FILE_SYSTEM = 'file-system',
}

/** One thing an IRSA role may touch. */
export interface Grant {
  readonly kind: TargetKind;
  /**
   * Which one: a bucket name, the stack whose secrets are meant, the database identifier, the
   * queue name, a role ARN, or the external bucket names joined by `,`.
   */
  readonly target: string;
  /** `read`, `read/write`, `put`, `assume`, `pass`, `by tag …`, joined when several. */
  readonly access: string;
}

export interface IrsaRole {
  readonly stack: string;
  readonly name: string;
  /** `namespace/service-account` from the exact `sub` condition of the trust (IRSA) or its session-tag conditions (Pod Identity). */
  readonly serviceAccount: string;
  /** How the pods get the role: `IRSA` or `Pod Identity`. */
  readonly identity: string;
  readonly grants: Grant[];
  /** AWS managed policies attached to the role (`AmazonEKS_CNI_Policy`). */
  readonly managedPolicies: string[];
  /** Services reached by statements without a target in the estate (`ec2`, `pricing`). */
  readonly services: string[];
}

const SUB = /:sub$/;
const SERVICE_ACCOUNT = /^system:serviceaccount:([^:]+):([^:]+)$/;
const WRITE_ACTION = /^s3:(Put|Delete|AbortMultipartUpload)/;

/** Every IRSA role in `stacks`, in stack order. */
export function irsaRoles(estate: Estate, stacks: string[]): IrsaRole[] {
  const roles: IrsaRole[] = [];
  for (const role of estate.resources('aws_iam_role', stacks)) {
    const trusted = trustedServiceAccount(role);
    if (!trusted) continue;
    const { serviceAccount, identity } = trusted;
    const { grants, services } = readGrants(estate, role, stacks);
    roles.push({
      stack: role.stack,
      name: role.body.name,
      serviceAccount,
      identity,
      grants,
      services,
      managedPolicies: attachments(estate, role)
        .map((a) => String(a.body.policy_arn))
        .filter((arn) => arn.startsWith('arn:aws:iam::aws:policy/'))
        .map((arn) => arn.split('/').pop()!),
    });
  }
  return roles;
}

function trustedServiceAccount(role: Resource): { serviceAccount: string; identity: string } | undefined {
  for (const statement of statements(role.body.assume_role_policy)) {
    // EKS Pod Identity: the session tags EKS sets name the namespace and service account.
    const tags = statement.Condition?.StringEquals ?? {};
    const [namespace, account] = [tags['aws:RequestTag/kubernetes-namespace'], tags['aws:RequestTag/kubernetes-service-account']];
    if (namespace !== undefined && account !== undefined) return { serviceAccount: `${namespace}/${account}`, identity: 'Pod Identity' };
    for (const [key, value] of Object.entries(statement.Condition?.StringEquals ?? {})) {
      const match = SUB.test(key) ? SERVICE_ACCOUNT.exec(String(value)) : null;
      if (match) return { serviceAccount: `${match[1]}/${match[2]}`, identity: 'IRSA' };
    }
  }
  return undefined;
}

function attachments(estate: Estate, role: Resource): Resource[] {
  return estate.resources('aws_iam_role_policy_attachment')
    .filter((a) => estate.target(a.stack, a.body.role, 'aws_iam_role')?.name === role.name && a.stack === role.stack);
}

/** Every statement that applies to the role, with the stack its references resolve in. */
function roleStatements(estate: Estate, role: Resource, stacks: string[]): Array<{ stack: string; statement: Statement }> {
  // Inline policies in the role's stack name it by reference; a later stack (the data stack's
  // file-system grant) names it by its literal name.
  const inline = estate.resources('aws_iam_role_policy', stacks).filter((p) => p.stack === role.stack
    ? estate.target(p.stack, p.body.role, 'aws_iam_role')?.name === role.name
    : p.body.role === role.body.name);
  const managed = attachments(estate, role)
    .map((a) => estate.target(a.stack, a.body.policy_arn, 'aws_iam_policy'))
    .filter((p): p is Resource => p !== undefined);
  return [...inline, ...managed].flatMap((p) => statements(p.body.policy).map((statement) => ({ stack: p.stack, statement })));
}

function readGrants(estate: Estate, role: Resource, stacks: string[]): { grants: Grant[]; services: string[] } {
  const grants = new Map<string, { kind: TargetKind; target: string; access: Set<string> }>();
  const services = new Set<string>();
  const add = (kind: TargetKind, target: string, access: string) => {
    const key = `${kind}:${target}`;
    if (!grants.has(key)) grants.set(key, { kind, target, access: new Set() });
    grants.get(key)!.access.add(access);
  };
  for (const { stack, statement } of roleStatements(estate, role, stacks)) {
    if (statement.Effect !== 'Allow') continue;
    const actions = list(statement.Action).map(String);
    if (actions.every((a) => a.startsWith('kms:'))) continue;
    const external: string[] = [];
    let matched = false;
    for (const resource of list(statement.Resource).map(String)) {
      const target = estate.targets(stack, resource)[0];
      if (target) {
        matched = addTarget(target, actions, add) || matched;
      } else if (resource.startsWith('arn:aws:s3:::')) {
        external.push(resource.slice('arn:aws:s3:::'.length).split('/')[0]);
      } else if (/^arn:aws:iam::\d{12}:role\//.test(resource) && actions.includes('sts:AssumeRole')) {
        add(TargetKind.ROLE, resource, 'assume');
        matched = true;
      } else if (resource.startsWith('arn:aws:secretsmanager:') && statement.Condition) {
        const tags = secretTags(statement);
        for (const group of secretsByTag(estate, stacks, tags)) add(TargetKind.SECRETS, group, `read by tag ${tagText(tags)}`);
        matched = true;
      }
    }
    if (external.length > 0) {
      add(TargetKind.EXTERNAL_BUCKETS, [...new Set(external)].join(','), 'read');
      matched = true;
    }
    if (!matched) actions.forEach((a) => services.add(a.split(':')[0]));
  }
  return {
    grants: [...grants.values()].map((g) => ({ kind: g.kind, target: g.target, access: [...g.access].sort(compare).join(', ') })),
    services: [...services].sort(compare),
  };
}

type Add = (kind: TargetKind, target: string, access: string) => void;

function addTarget(target: Resource, actions: string[], add: Add): boolean {
  switch (target.type) {
    case 'aws_s3_bucket':
      add(TargetKind.BUCKET, target.body.bucket, actions.some((a) => WRITE_ACTION.test(a)) ? 'read/write' : 'read');
      return true;
    case 'aws_secretsmanager_secret':
      add(TargetKind.SECRETS, target.stack, actions.includes('secretsmanager:PutSecretValue') ? 'put' : 'read');
      return true;
    case 'aws_db_instance':
      add(TargetKind.DATABASE, target.body.identifier, 'read master secret');
      return true;
    case 'aws_sqs_queue':
      add(TargetKind.QUEUE, target.body.name, 'receive');
      return true;
    case 'aws_efs_file_system':
      add(TargetKind.FILE_SYSTEM, target.body.creation_token, actions.includes('elasticfilesystem:ClientWrite') ? 'mount, write' : 'mount');
      return true;
    case 'aws_iam_role':
      add(TargetKind.ROLE, target.body.name, actions.includes('iam:PassRole') ? 'pass' : 'assume');
      return true;
    default:
      return false;
  }
}

function secretTags(statement: Statement): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const condition of Object.values(statement.Condition ?? {})) {
    for (const [key, value] of Object.entries(condition)) {
      const match = /^secretsmanager:ResourceTag\/(.+)$/.exec(key);
      if (match) tags[match[1]] = String(value);
    }
  }
  return tags;
}

export function tagText(tags: Record<string, string>): string {
  return Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(', ');
}

/** The stacks (of `stacks`) holding secrets whose tags carry every one of `tags`. */
function secretsByTag(estate: Estate, stacks: string[], tags: Record<string, string>): string[] {
  const matching = estate.resources('aws_secretsmanager_secret', stacks)
    .filter((s) => Object.entries(tags).every(([k, v]) => s.body.tags?.[k] === v));
  return [...new Set(matching.map((s) => s.stack))];
}
