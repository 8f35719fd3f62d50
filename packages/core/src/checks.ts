import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { Cidr, parseCidr } from './cidr';
import { DerivedFrom, derivedTooLong, invalidProp } from './errors';
import { Naming } from './naming';
import { ACCOUNT_ID, DNS_LABEL, isChartVersion, isTagKey, isTagValue, KEBAB_CASE } from './patterns';
import { Regions } from './regions';

/**
 * The checks of every kind of value the libraries take, one each. Each check skips a value that
 * is an unresolved token (known only at apply time) unless it says otherwise, and throws in the
 * one format of `invalidProp`. Plain functions: library code calls them; they are not part of
 * the jsii API.
 */

/** IAM role and user names: 1–64 of `A-Z a-z 0-9 + = , . @ _ -`. */
const IAM_NAME = /^[\w+=,.@-]+$/;
/** ECR repository names, optionally namespaced with `/`. */
const ECR_REPOSITORY = /^(?=.{2,256}$)[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;
/** An IPv4 dotted quad, which S3 refuses as a bucket name. */
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Fails unless `value` is absent or a whole number from `min` to `max`. */
export function checkWholeRange(scope: IConstruct, field: string, value: number | undefined, min: number, max: number, unit: string): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    throw invalidProp(scope, field, value, `use a whole number of ${unit} from ${min} to ${max}`);
  }
}

/** Fails unless `value` is absent or a whole number of at least 1 (days, GiB, counts). */
export function checkPositive(scope: IConstruct, field: string, value: number | undefined, unit: string): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!(Number.isInteger(value) && value >= 1)) {
    throw invalidProp(scope, field, value, `use a whole number of ${unit}, 1 or more`);
  }
}

/** Fails when `value` is a resolved string that is not a 12-digit account ID. */
export function checkAccountId(scope: IConstruct, field: string, value: string): void {
  if (!Token.isUnresolved(value) && !ACCOUNT_ID.test(value)) {
    throw invalidProp(scope, field, value, 'use a 12-digit AWS account ID, e.g. "123456789012"');
  }
}

/** Fails when `value` is a resolved string that is not an AWS region code. */
export function checkRegion(scope: IConstruct, field: string, value: string): void {
  if (!Token.isUnresolved(value) && !Regions.isRegion(value)) {
    throw invalidProp(scope, field, value, 'use an AWS region code such as "ap-southeast-3"');
  }
}

/** Fails unless `zone` is a zone of `region`. */
export function checkZone(scope: IConstruct, field: string, zone: string, region: string): void {
  if (Token.isUnresolved(zone) || Token.isUnresolved(region)) return;
  if (!Regions.isZoneOf(zone, region)) {
    const known = Regions.zonesOf(region);
    throw invalidProp(scope, field, zone, known ? `use a zone of ${region}: ${known.join(', ')}` : `use a zone of ${region}, "${region}" followed by its letter`);
  }
}

/**
 * Parses a literal IPv4 CIDR block or fails. The one CIDR check of every library: VPCs, subnets,
 * endpoint allow-lists, security-group sources.
 */
export function checkCidrBlock(scope: IConstruct, field: string, value: string): Cidr {
  const cidr = parseCidr(value);
  if (!cidr) {
    throw invalidProp(scope, field, value, 'use an IPv4 CIDR block such as "10.1.0.0/16": octets 0-255, prefix 0-32, no host bits set');
  }
  return cidr;
}

/** `checkCidrBlock`, skipping a value known only at apply time. */
export function checkCidrBlockUnlessToken(scope: IConstruct, field: string, value: string): Cidr | undefined {
  return Token.isUnresolved(value) ? undefined : checkCidrBlock(scope, field, value);
}

/**
 * The longest environment name: derived names such as `<prefix>-<env>-external-dns` (prefix at
 * most 20) must stay within IAM's 64 characters.
 */
export const MAX_ENVIRONMENT_NAME_LENGTH = 24;

/**
 * Fails unless `value` is an environment name: lower-case kebab-case, at most 24 characters, and
 * one of the app's environments when its naming names them (`NamingProps.environments`).
 */
export function checkEnvironmentName(scope: IConstruct, field: string, value: string): void {
  checkKebabName(scope, field, value, MAX_ENVIRONMENT_NAME_LENGTH, 'staging');
  const environments = Naming.environmentsOf(scope);
  if (environments !== undefined && !Token.isUnresolved(value) && !environments.includes(value)) {
    throw invalidProp(scope, field, value, `the app's environments are ${environments.map((name) => `"${name}"`).join(', ')}; use one of them, or add it to the environments of Naming.configure`);
  }
}

/** Fails unless `value` is lower-case kebab-case of at most `maxLength` characters. */
export function checkKebabName(scope: IConstruct, field: string, value: string, maxLength: number, example: string): void {
  if (Token.isUnresolved(value)) return;
  if (!KEBAB_CASE.test(value) || value.length > maxLength) {
    throw invalidProp(scope, field, value, `use lower-case kebab-case of at most ${maxLength} characters, e.g. "${example}"`);
  }
}

/**
 * EKS cluster and Fargate profile names: 1–100 letters, digits, `-` and `_`, starting with a
 * letter or digit.
 * @see https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html#API_CreateCluster_RequestSyntax
 */
const EKS_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;

/** Fails unless `value` is a literal EKS cluster name (it is written into tags and policies at synth). */
export function checkEksClusterName(scope: IConstruct, field: string, value: string): void {
  checkEksName(scope, field, value, 'an EKS cluster name');
}

/**
 * Fails unless `value` is a literal Fargate profile name: the cluster-name rule (one pattern for
 * both); a separate entry point only so that the message names what the value is.
 */
export function checkEksFargateProfileName(scope: IConstruct, field: string, value: string): void {
  checkEksName(scope, field, value, 'a Fargate profile name');
}

function checkEksName(scope: IConstruct, field: string, value: string, what: string): void {
  if (Token.isUnresolved(value) || !EKS_NAME.test(value)) {
    throw invalidProp(scope, field, value, `use ${what}: 1-100 letters, digits, - and _, starting with a letter or digit, as a literal`);
  }
}

/**
 * SQS standard queue names: 1–80 letters, digits, `-` and `_` (a FIFO name's `.fifo` is refused:
 * no library makes or reads a FIFO queue).
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
 */
const SQS_QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** Fails when `value` is a resolved string that is not an SQS (standard) queue name. */
export function checkSqsQueueName(scope: IConstruct, field: string, value: string): void {
  if (!Token.isUnresolved(value) && !SQS_QUEUE_NAME.test(value)) {
    throw invalidProp(scope, field, value, 'use an SQS queue name (the name, not its ARN or URL): 1-80 of A-Z a-z 0-9 _ -');
  }
}

/**
 * Fails when `value` is a resolved string that is not one released chart version (`1.14.1`), so
 * that a range (`^1.14`), a floating `latest` or a pre-release fails at synth, not at apply.
 *
 * @param prefix `'v'` for charts whose versions carry it (cert-manager's `v1.21.1`, Envoy
 * Gateway's `v1.9.0`): the version must then start with it, since Helm looks the version up as
 * written; `''` for charts without (`1.14.1`)
 */
export function checkChartVersion(scope: IConstruct, field: string, value: string, prefix: string = ''): void {
  if (Token.isUnresolved(value)) return;
  if (!value.startsWith(prefix) || !isChartVersion(value.slice(prefix.length))) {
    throw invalidProp(scope, field, value, `use one released chart version ${prefix}MAJOR.MINOR.PATCH such as "${prefix}1.14.1" (no range, "latest" or pre-release${prefix ? '' : ', no "v" prefix'})`);
  }
}

/**
 * Fails when `value` is a resolved string that does not match `pattern`; skips an absent value.
 * For a format only one construct takes (a Flux duration, an AMI alias): a kind of value more
 * than one library takes gets a named check of its own here instead.
 */
export function checkMatches(scope: IConstruct, field: string, value: string | undefined, pattern: RegExp, fix: string): void {
  if (value !== undefined && !Token.isUnresolved(value) && !pattern.test(value)) {
    throw invalidProp(scope, field, value, fix);
  }
}

/** Fails unless `value` is an IAM role name (1–64 characters). */
export function checkIamRoleName(scope: IConstruct, field: string, value: string): void {
  checkIamName(scope, field, value, 64, 'role');
}

/** Fails unless `value` is an IAM customer-managed or inline policy name (1–128 characters). */
export function checkIamPolicyName(scope: IConstruct, field: string, value: string): void {
  checkIamName(scope, field, value, 128, 'policy');
}

/**
 * Checks an IAM role name that was either given (`field`) or derived from another input: a given
 * name must be valid; a derived one that is too long names the input to shorten.
 */
export function checkIamRoleNameOrDerived(scope: IConstruct, field: string, given: string | undefined, derived: string, from: DerivedFrom): void {
  if (given !== undefined) {
    checkIamRoleName(scope, field, given);
  } else if (!Token.isUnresolved(derived) && derived.length > 64) {
    throw derivedTooLong(scope, field, derived, 64, from);
  }
}

function checkIamName(scope: IConstruct, field: string, value: string, maxLength: number, what: string): void {
  if (Token.isUnresolved(value)) return;
  if (!IAM_NAME.test(value) || value.length > maxLength) {
    const arn = value.startsWith('arn:') ? ' (the name, not its ARN)' : '';
    throw invalidProp(scope, field, value, `use an IAM ${what} name${arn}: 1-${maxLength} of A-Z a-z 0-9 + = , . @ _ -`);
  }
}

/**
 * Fails unless `value` is a general-purpose S3 bucket name: 3–63 characters of lower-case
 * letters, digits, `.` and `-`, starting and ending with a letter or digit, no `..`, not shaped
 * like an IP address, none of the prefixes and suffixes S3 reserves.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export function checkS3BucketName(scope: IConstruct, field: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  const problem = bucketNameProblem(value);
  if (problem) {
    throw invalidProp(scope, field, value, `${problem}; S3 bucket names are 3-63 lower-case letters, digits, . and -, e.g. "${Naming.of(scope).name('dev', 'tfstate')}"`);
  }
}

function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `it has ${name.length} characters`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return 'use only a-z 0-9 . -, starting and ending with a letter or digit';
  if (name.includes('..')) return 'remove the ".." (no two adjacent periods)';
  if (IPV4.test(name)) return 'it is shaped like an IP address';
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return 'it starts with a prefix S3 reserves (xn--, sthree-, amzn-s3-demo-)';
  if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)) return 'it ends with a suffix S3 reserves';
  return undefined;
}

/** Fails unless `value` is a literal ECR repository name (it keys construct IDs). */
export function checkEcrRepositoryName(scope: IConstruct, field: string, value: string): void {
  if (Token.isUnresolved(value)) {
    throw invalidProp(scope, field, value, 'give the repository name as a literal: it keys the construct ID');
  }
  if (!ECR_REPOSITORY.test(value)) {
    throw invalidProp(scope, field, value, 'use 2-256 lower-case letters and digits joined by single . _ - or / (e.g. "piksel-core")');
  }
}

/**
 * Fails unless every tag is one AWS accepts: keys 1–128 characters, values at most 256, letters,
 * digits, spaces and `_ . : / = + - @`, and no key in the reserved `aws:` namespace.
 * @see https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
 */
export function checkTags(scope: IConstruct, field: string, tags: { [key: string]: string } | undefined): void {
  for (const [key, value] of Object.entries(tags ?? {})) {
    if (!Token.isUnresolved(key) && !isTagKey(key)) {
      throw invalidProp(scope, `${field} key`, key, 'use 1-128 letters, digits, spaces and _ . : / = + - @, not starting with "aws:"');
    }
    if (!Token.isUnresolved(value) && !isTagValue(value)) {
      throw invalidProp(scope, `${field}.${key}`, value, 'use at most 256 letters, digits, spaces and _ . : / = + - @');
    }
  }
}

/**
 * Fails unless `name` is a lower-case domain name of two or more labels, without a trailing dot
 * (hosted zones, GitOps domain filters).
 */
export function checkDomainName(scope: IConstruct, field: string, name: string): void {
  if (Token.isUnresolved(name)) return;
  if (name.endsWith('.')) {
    throw invalidProp(scope, field, name, `drop the trailing dot ("${name.replace(/\.+$/, '')}")`);
  }
  const labels = name.split('.');
  if (name.length > 253 || labels.length < 2 || !labels.every((label) => DNS_LABEL.test(label))) {
    throw invalidProp(scope, field, name, 'use a lower-case domain such as "example.org": two or more labels of 1-63 of a-z 0-9 and inner hyphens, at most 253 characters');
  }
}

/** The local part of an email address: the dot-atom of RFC 5322, no quoted strings. */
const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/**
 * Fails unless `value` is an email address `local@domain` with a domain `checkDomainName` takes
 * (an ACME account's contact, a notification address): a typo fails at synth, not when the first
 * certificate is due.
 */
export function checkEmailAddress(scope: IConstruct, field: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  const at = value.lastIndexOf('@');
  const local = value.slice(0, Math.max(at, 0));
  const domain = value.slice(at + 1);
  const ok = at > 0 && local.length <= 64 && EMAIL_LOCAL.test(local) && domain.split('.').length >= 2 &&
    domain.length <= 253 && domain.split('.').every((label) => DNS_LABEL.test(label.toLowerCase()));
  if (!ok) {
    throw invalidProp(scope, field, value, 'use an email address such as "devops@example.org"');
  }
}

/**
 * A GitHub repository: `owner/name`, or the immutable form `owner@<owner id>/name@<repository
 * id>` that GitHub puts in OIDC subjects of repositories that opted in. Owners (users and
 * organizations) are 1–39 letters, digits and single inner hyphens; names 1–100 of
 * `A-Z a-z 0-9 . _ -`. No wildcard can match this.
 */
const GITHUB_REPOSITORY = /^([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})(@\d+)?\/([A-Za-z0-9._-]{1,100})(@\d+)?$/;

/**
 * Fails unless `value` is one literal GitHub repository, `owner/name` (or `owner@<id>/name@<id>`):
 * trust policies name it in OIDC subjects, so no token and no wildcard (`owner/*` would trust
 * every repository of the owner).
 * @see https://docs.github.com/en/actions/reference/security/oidc#example-subject-claims
 */
export function checkGithubRepository(scope: IConstruct, field: string, value: string): void {
  const match = Token.isUnresolved(value) ? null : GITHUB_REPOSITORY.exec(value);
  const [, , ownerId, name, repositoryId] = match ?? [];
  if (!match || name === '.' || name === '..' || (ownerId === undefined) !== (repositoryId === undefined)) {
    throw invalidProp(scope, field, value,
      'name one repository as a literal "owner/name" (owner 1-39 letters, digits and inner -, name 1-100 of A-Z a-z 0-9 . _ -, no wildcard), e.g. "piksel-ina/piksel-core", or "owner@<id>/name@<id>" with both IDs');
  }
}

/** The name part of a GitHub repository already checked by `checkGithubRepository`: `piksel-ina/ows` → `ows`. */
export function githubRepositoryName(repository: string): string {
  return repository.split('/')[1].replace(/@\d+$/, '');
}
