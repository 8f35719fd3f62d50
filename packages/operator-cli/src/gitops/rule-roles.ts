import { EstateRole } from './estate';
import { Finding } from './findings';
import { helmRelease, ManifestObject } from './objects';
import { error, list, RuleContext } from './rule-context';
import { ROLE_ARN_ANNOTATION } from './rule-literals';
import { asObject, asString, walkObjects } from './yaml-file';

const ROLE_ARN = /^arn:aws(?:-[a-z]+)?:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;
const ONE_VARIABLE = /^\$\{([_a-zA-Z][_a-zA-Z0-9]*)\}$/;

/** An IRSA annotation: the role it names and the service account it sits on, where known. */
interface RoleAnnotation {
  readonly object: ManifestObject;
  readonly line: number;
  readonly value: string;
  /** `<namespace>/<name>`, when both are known. */
  readonly serviceAccount?: string;
}

/**
 * `unknown-role`, `role-trust-mismatch` (and `hard-coded-value` for an estate role written out):
 * every `eks.amazonaws.com/role-arn` against the IAM roles the environment's stacks create and the
 * service accounts their trust policies (or Pod Identity associations) name.
 */
export function roleRule(context: RuleContext): Finding[] {
  return context.objects.flatMap(annotations).flatMap((a) => judge(context, a));
}

function annotations(object: ManifestObject): RoleAnnotation[] {
  const release = helmRelease(object);
  const found: RoleAnnotation[] = [];
  walkObjects(object.value, (candidate, path) => {
    const value = asString(asObject(candidate.annotations)?.[ROLE_ARN_ANNOTATION]);
    if (value === undefined) return;
    const name = asString(candidate.name) ?? (object.kind === 'ServiceAccount' && path.join('.') === 'metadata' ? object.name : undefined);
    const namespace = asString(candidate.namespace) ?? release?.namespace ?? object.namespace;
    found.push({
      object,
      value,
      line: object.doc.lineOf([...path, 'annotations', ROLE_ARN_ANNOTATION]),
      serviceAccount: name === undefined || namespace === undefined ? undefined : `${namespace}/${name}`,
    });
  });
  return found;
}

function judge(context: RuleContext, a: RoleAnnotation): Finding[] {
  const { estate, environment } = context;
  const file = a.object.file;
  const variable = ONE_VARIABLE.exec(a.value.trim())?.[1];
  const arn = variable === undefined ? a.value.trim() : estate.contract?.values.get(variable)?.literal;
  if (arn === undefined) return [];
  const parsed = ROLE_ARN.exec(arn);
  const sa = a.serviceAccount === undefined ? 'this service account' : `service account ${a.serviceAccount}`;
  const fix = keyFix(context, a.serviceAccount);
  if (parsed === null) {
    return variable === undefined ? [error('unknown-role', file, a.line, `${sa} is annotated with "${a.value}", which is no IAM role ARN`, fix)] : [];
  }
  const [, account, name] = parsed;
  if (account !== estate.account) {
    const owner = estate.accountOwners.get(account);
    return [error('unknown-role', file, a.line,
      `${sa} names role ${name} in account ${account}${owner === undefined ? ', no account of the estate' : ` (${owner})`}; ${environment}'s pods get credentials only for roles of ${environment}'s account ${estate.account}`, fix)];
  }
  const role = estate.roles.find((r) => r.name === name && r.account === account);
  if (role === undefined) {
    return [error('unknown-role', file, a.line, `${sa} names role ${name}, which the estate does not create in ${environment} (stacks ${list(estate.stacks)})`, fix)];
  }
  return [...trustFindings(context, a, role), ...(variable === undefined ? hardCoded(context, a, role) : [])];
}

function trustFindings(context: RuleContext, a: RoleAnnotation, role: EstateRole): Finding[] {
  if (a.serviceAccount === undefined || role.serviceAccounts.length === 0 || role.irsaServiceAccounts.includes(a.serviceAccount)) return [];
  if (role.podIdentityServiceAccounts.includes(a.serviceAccount)) {
    return [error('role-trust-mismatch', a.object.file, a.line,
      `role ${role.name} (stack ${role.stack}) reaches ${a.serviceAccount} through an EKS Pod Identity association and trusts no web identity; with the annotation the SDK tries AssumeRoleWithWebIdentity first, which is denied`,
      `remove the ${ROLE_ARN_ANNOTATION} annotation: the association gives the pods the role`)];
  }
  return [error('role-trust-mismatch', a.object.file, a.line,
    `role ${role.name} (stack ${role.stack}) trusts only ${list(role.serviceAccounts)}; STS refuses ${a.serviceAccount} (AssumeRoleWithWebIdentity is denied)`,
    `annotate ${list(role.serviceAccounts)} with it instead; for ${a.serviceAccount}: ${keyFix(context, a.serviceAccount)}`)];
}

function hardCoded(context: RuleContext, a: RoleAnnotation, role: EstateRole): Finding[] {
  const key = [...(context.estate.contract?.values.values() ?? [])].find((v) => v.literal === role.arn);
  if (key === undefined) return [];
  return [error('hard-coded-value', a.object.file, a.line, `hard-coded role ARN ${role.arn}: ${context.estate.contract!.name} provides it as \${${key.key}}`,
    `write \${${key.key}} instead, so each environment gets its own value`)];
}

/** The key of the role the estate makes for `serviceAccount`, as a fix. */
function keyFix(context: RuleContext, serviceAccount: string | undefined): string {
  const role = serviceAccount === undefined ? undefined : context.estate.roles.find((r) => r.serviceAccounts.includes(serviceAccount));
  const key = role === undefined ? undefined : [...(context.estate.contract?.values.values() ?? [])].find((v) => v.literal === role.arn);
  if (key !== undefined) return `write \${${key.key}}, the role the estate makes for ${serviceAccount}`;
  if (role !== undefined) return `use role ${role.arn}, the one the estate makes for ${serviceAccount} (no contract key provides it yet)`;
  return `the estate makes no role for ${serviceAccount ?? 'it'}: add one (a data-stack service account in @piksel/estate, or cluster.addServiceAccount) and a contract key, or remove the annotation`;
}
