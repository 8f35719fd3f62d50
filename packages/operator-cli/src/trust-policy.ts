/** The issuer of GitHub Actions' OIDC tokens; also the prefix of their condition keys. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/** The audience GitHub's `aws-actions/configure-aws-credentials` asks for. */
export const STS_AUDIENCE = 'sts.amazonaws.com';

/** The account's IAM OIDC provider for GitHub Actions (one per URL per account). */
export function githubOidcProviderArn(account: string): string {
  return `arn:aws:iam::${account}:oidc-provider/${GITHUB_OIDC_HOST}`;
}

/** What a pipeline role's trust policy must say. */
export interface TrustExpectation {
  /** The only federated principal: the account's GitHub OIDC provider. */
  readonly providerArn: string;
  /** The only `aud` accepted. */
  readonly audience: string;
  /** The only `sub` accepted, matched exactly (`StringEquals`). */
  readonly subject: string;
  /** Roles of other accounts that may also assume the role (the hub's roles trust the spokes' of the same kind). */
  readonly crossAccountRoles?: string[];
}

/** What is wrong with a trust policy: `problems` fail the check, `notes` only warn. */
export interface TrustFindings {
  readonly problems: string[];
  readonly notes: string[];
}

interface Statement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Principal?: '*' | Record<string, string | string[]>;
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

const SUB_KEY = `${GITHUB_OIDC_HOST}:sub`;
const AUD_KEY = `${GITHUB_OIDC_HOST}:aud`;

/**
 * Compares a role's trust policy, as IAM's GetRole returns it (URL-encoded JSON), with what the
 * account baseline creates: GitHub's OIDC provider as the only federated principal, `aud` and an
 * exact `sub` under `StringEquals`, no wildcard subject, no principal `*`. Roles of other
 * accounts named in `crossAccountRoles` are expected; any other AWS or service principal is a note.
 */
export function trustFindings(encodedDocument: string, expected: TrustExpectation): TrustFindings {
  const statements = parseStatements(encodedDocument);
  if (typeof statements === 'string') return { problems: [statements], notes: [] };

  const problems: string[] = [];
  const notes: string[] = [];
  let trustsSubject = false;
  for (const statement of statements.filter((s) => s.Effect === 'Allow')) {
    const principal = statement.Principal;
    if (principal === '*' || values(principal?.AWS).includes('*')) {
      problems.push('trusts any principal ("*")');
      continue;
    }
    const federated = values(principal?.Federated);
    const isWebIdentity = federated.length > 0 || values(statement.Action).includes('sts:AssumeRoleWithWebIdentity');
    if (isWebIdentity) {
      const found = webIdentityProblems(statement, federated, expected);
      problems.push(...found);
      if (found.length === 0) trustsSubject = true;
    }
    for (const arn of values(principal?.AWS)) {
      if (!(expected.crossAccountRoles ?? []).includes(arn)) notes.push(`also trusts ${arn}`);
    }
    for (const service of values(principal?.Service)) notes.push(`also trusts the service ${service}`);
  }
  if (!trustsSubject && problems.length === 0) {
    problems.push(`no statement lets ${expected.subject} assume it through ${expected.providerArn}`);
  }
  return { problems: unique(problems), notes: unique(notes) };
}

function webIdentityProblems(statement: Statement, federated: string[], expected: TrustExpectation): string[] {
  const problems: string[] = [];
  for (const provider of federated.filter((p) => p !== expected.providerArn)) {
    problems.push(`trusts the federated principal ${provider}`);
  }
  const conditions = conditionsOn(statement);
  const sub = conditions.get(SUB_KEY) ?? [];
  const aud = conditions.get(AUD_KEY) ?? [];
  if (sub.length === 0) {
    problems.push('accepts any subject (no sub condition)');
  }
  for (const { operator, value } of sub) {
    if (operator !== 'StringEquals') {
      problems.push(`matches sub with ${operator} ("${value}"); use StringEquals with the exact subject`);
    } else if (value !== expected.subject) {
      problems.push(`accepts sub "${value}"`);
    }
  }
  if (aud.length === 0) {
    problems.push(`accepts any audience (no aud condition; expected ${expected.audience})`);
  }
  for (const { operator, value } of aud) {
    if (operator !== 'StringEquals' || value !== expected.audience) {
      problems.push(`accepts aud ${operator} "${value}" (expected StringEquals "${expected.audience}")`);
    }
  }
  return problems;
}

/** Condition values by key (lower-cased, as IAM compares keys), each with its operator. */
function conditionsOn(statement: Statement): Map<string, { operator: string; value: string }[]> {
  const byKey = new Map<string, { operator: string; value: string }[]>();
  for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
    for (const [key, value] of Object.entries(entries)) {
      const list = byKey.get(key.toLowerCase()) ?? [];
      list.push(...values(value).map((v) => ({ operator, value: v })));
      byKey.set(key.toLowerCase(), list);
    }
  }
  return byKey;
}

/** The statements of the document, or what makes it unreadable. */
function parseStatements(encodedDocument: string): Statement[] | string {
  try {
    const document = JSON.parse(decodeURIComponent(encodedDocument)) as { Statement?: Statement | Statement[] };
    const statements = document.Statement;
    return statements === undefined ? [] : Array.isArray(statements) ? statements : [statements];
  } catch {
    return 'its trust policy is not a readable JSON document';
  }
}

function values(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
