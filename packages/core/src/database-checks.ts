import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { invalidProp } from './errors';
import { Naming } from './naming';

/**
 * Checks of RDS, PostgreSQL and CloudWatch Logs values. Each skips an unresolved token and throws
 * in the one format of `invalidProp`.
 */

/** `db.<family>.<size>`: `db.t4g.medium`, `db.m7g.large`. */
const DB_INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;
/** RDS for PostgreSQL engine versions since 10: `<major>.<minor>`, optionally an RDS build suffix. */
const POSTGRES_VERSION = /^(\d{2})\.(\d{1,2})(-rds\.\d{8})?$/;
/** DB instance identifiers: a letter, then letters, digits and single hyphens; 1–63 characters. */
const DB_IDENTIFIER = /^[a-z](?!.*--)[a-z0-9-]{0,62}$/;
/** `hh24:mi-hh24:mi` in UTC. */
const BACKUP_WINDOW = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
/** `ddd:hh24:mi-ddd:hh24:mi` in UTC. */
const MAINTENANCE_WINDOW = /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/i;
/** A PostgreSQL role name usable unquoted: lower-case letter or `_`, then letters, digits, `_`; 1–63. */
const POSTGRES_ROLE = /^[a-z_][a-z0-9_]{0,62}$/;

/** Fails unless `value` is an RDS instance class such as `db.t4g.medium`. */
export function checkDbInstanceClass(scope: IConstruct, field: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (!DB_INSTANCE_CLASS.test(value)) {
    throw invalidProp(scope, field, value, 'use an RDS instance class such as "db.t4g.medium" or "db.m7g.large"');
  }
}

/**
 * The major version of a pinned RDS for PostgreSQL engine version (`16.11` → 16); fails unless
 * the version names both major and minor: a bare major lets RDS pick (and later move) the minor.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-versions.html
 */
export function postgresMajorVersion(scope: IConstruct, field: string, value: string): number | undefined {
  if (Token.isUnresolved(value)) return undefined;
  const match = POSTGRES_VERSION.exec(value);
  if (!match) {
    throw invalidProp(scope, field, value, 'pin a major and minor version such as "16.11" or "17.7" (run `aws rds describe-db-engine-versions --engine postgres` for those offered)');
  }
  return Number(match[1]);
}

/** Fails unless `family` is the parameter-group family of PostgreSQL `major` (`postgres16`). */
export function checkParameterGroupFamily(scope: IConstruct, field: string, family: string, major: number | undefined, engineVersion: string): void {
  if (Token.isUnresolved(family) || major === undefined) return;
  if (family !== `postgres${major}`) {
    throw invalidProp(scope, field, family, `engineVersion ${engineVersion} needs family "postgres${major}"; use it or leave ${field} unset`);
  }
}

/** Fails unless `value` is an RDS DB instance identifier (1–63, lower case, no `--`, no trailing `-`). */
export function checkDbIdentifier(scope: IConstruct, field: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (!DB_IDENTIFIER.test(value) || value.endsWith('-')) {
    throw invalidProp(scope, field, value, `use 1-63 lower-case letters, digits and single hyphens, starting with a letter, e.g. "${Naming.of(scope).name('dev', 'postgres')}"`);
  }
}

/** Fails unless `value` is a daily backup window, `hh24:mi-hh24:mi` (UTC). */
export function checkBackupWindow(scope: IConstruct, field: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (!BACKUP_WINDOW.test(value) || windowMinutes(value) < 30) {
    throw invalidProp(scope, field, value, 'use hh24:mi-hh24:mi in UTC, at least 30 minutes long, e.g. "03:00-06:00"');
  }
}

/** Length of a well-formed `hh24:mi-hh24:mi` window in minutes (it may wrap past midnight). */
function windowMinutes(window: string): number {
  const [start, end] = window.split('-').map((time) => {
    const [hours, minutes] = time.split(':').map(Number);
    return hours * 60 + minutes;
  });
  return (end - start + 24 * 60) % (24 * 60);
}

/** Fails unless `value` is a weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` (UTC). */
export function checkMaintenanceWindow(scope: IConstruct, field: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (!MAINTENANCE_WINDOW.test(value)) {
    throw invalidProp(scope, field, value, 'use ddd:hh24:mi-ddd:hh24:mi in UTC, e.g. "Mon:00:00-Mon:03:00"');
  }
}

/** Fails unless `value` is a PostgreSQL login role name (the `<user>` of an `rds-db:connect` ARN). */
export function checkPostgresRoleName(scope: IConstruct, field: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (!POSTGRES_ROLE.test(value)) {
    throw invalidProp(scope, field, value, 'use a PostgreSQL role name: 1-63 lower-case letters, digits and _, not starting with a digit, e.g. "stacread"');
  }
}

/** Retention periods CloudWatch Logs accepts, in days. */
const CLOUDWATCH_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Fails unless `value` is absent or a retention period CloudWatch Logs accepts. */
export function checkLogRetentionDays(scope: IConstruct, field: string, value: number | undefined): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!CLOUDWATCH_RETENTION_DAYS.includes(value)) {
    throw invalidProp(scope, field, value, `use one of the periods CloudWatch Logs accepts: ${CLOUDWATCH_RETENTION_DAYS.join(', ')}`);
  }
}
