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
 * The PostgreSQL majors RDS offers for new instances, as of 2026-12-07: 11, 12 and 13 only under
 * RDS Extended Support (charged per vCPU-hour), 14 to 18 under standard support. Add a major here
 * when RDS releases it.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html
 */
export const RDS_POSTGRES_MAJOR_VERSIONS: readonly number[] = [11, 12, 13, 14, 15, 16, 17, 18];

/**
 * The major version of a pinned RDS for PostgreSQL engine version (`16.11` → 16); fails unless
 * the version names both major and minor (a bare major lets RDS pick, and later move, the minor)
 * and the major is one RDS offers (`RDS_POSTGRES_MAJOR_VERSIONS`).
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-versions.html
 */
export function postgresMajorVersion(scope: IConstruct, field: string, value: string): number | undefined {
  if (Token.isUnresolved(value)) return undefined;
  const match = POSTGRES_VERSION.exec(value);
  if (!match) {
    throw invalidProp(scope, field, value, 'pin a major and minor version such as "16.11" or "17.7" (run `aws rds describe-db-engine-versions --engine postgres` for those offered)');
  }
  const major = Number(match[1]);
  if (!RDS_POSTGRES_MAJOR_VERSIONS.includes(major)) {
    throw invalidProp(scope, field, value, `RDS offers PostgreSQL majors ${RDS_POSTGRES_MAJOR_VERSIONS.join(', ')}; pin a minor of one of them, e.g. "17.7"`);
  }
  return major;
}

/** The parameter-group family of PostgreSQL `major`: `postgres16`. */
export function postgresParameterGroupFamily(major: number): string {
  return `postgres${major}`;
}

/**
 * Fails unless `family` is the parameter-group family of PostgreSQL `major` (`postgres16`), and
 * that of a major RDS offers.
 */
export function checkParameterGroupFamily(scope: IConstruct, field: string, family: string, major: number | undefined, engineVersion: string): void {
  if (Token.isUnresolved(family)) return;
  const familyMajor = /^postgres(\d+)$/.exec(family);
  if (!familyMajor || !RDS_POSTGRES_MAJOR_VERSIONS.includes(Number(familyMajor[1]))) {
    throw invalidProp(scope, field, family, `use the family of a PostgreSQL major RDS offers (${RDS_POSTGRES_MAJOR_VERSIONS.map(postgresParameterGroupFamily).join(', ')}), or leave ${field} unset to derive it`);
  }
  if (major !== undefined && family !== postgresParameterGroupFamily(major)) {
    throw invalidProp(scope, field, family, `engineVersion ${engineVersion} needs family "${postgresParameterGroupFamily(major)}"; use it or leave ${field} unset`);
  }
}

/** Fails unless `value` is an RDS DB instance identifier (1–63, lower case, no `--`, no trailing `-`). */
export function checkDbIdentifier(scope: IConstruct, field: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (!DB_IDENTIFIER.test(value) || value.endsWith('-')) {
    throw invalidProp(scope, field, value, `use 1-63 lower-case letters, digits and single hyphens, starting with a letter, e.g. "${Naming.of(scope).name('dev', 'postgres')}"`);
  }
}

/** The shortest window RDS accepts, for backups and for maintenance. */
const MIN_WINDOW_MINUTES = 30;
const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * Fails unless `value` is a daily backup window, `hh24:mi-hh24:mi` (UTC), at least 30 minutes long.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.BackupWindow.html
 */
export function checkBackupWindow(scope: IConstruct, field: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (!BACKUP_WINDOW.test(value)) {
    throw invalidProp(scope, field, value, 'use hh24:mi-hh24:mi in UTC, e.g. "03:00-06:00"');
  }
  const [start, end] = value.split('-').map(minuteOfDay);
  const length = (end - start + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  if (length < MIN_WINDOW_MINUTES) {
    throw invalidProp(scope, field, value, `it is ${length} minutes long; RDS needs a backup window of at least ${MIN_WINDOW_MINUTES} minutes, e.g. "03:00-06:00"`);
  }
}

/**
 * Fails unless `value` is a weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` (UTC), at least
 * 30 minutes long.
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_UpgradeDBInstance.Maintenance.html#Concepts.DBMaintenance
 */
export function checkMaintenanceWindow(scope: IConstruct, field: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (!MAINTENANCE_WINDOW.test(value)) {
    throw invalidProp(scope, field, value, 'use ddd:hh24:mi-ddd:hh24:mi in UTC, e.g. "Mon:00:00-Mon:03:00"');
  }
  const [start, end] = value.split('-').map(minuteOfWeek);
  const length = (end - start + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
  if (length < MIN_WINDOW_MINUTES) {
    throw invalidProp(scope, field, value, `it is ${length} minutes long; RDS needs a maintenance window of at least ${MIN_WINDOW_MINUTES} minutes, e.g. "Mon:00:00-Mon:03:00"`);
  }
}

/** A window and the prop it came from, for `checkWindowsApart`. */
export interface WindowInput {
  /** The prop (`backupWindow`), or a description of a default (`the default backupWindow`). */
  readonly field: string;
  /** The window. */
  readonly value: string;
}

/**
 * Fails when the weekly maintenance window overlaps the daily backup window on any day: RDS
 * refuses the pair. Both are checked alone first (`checkBackupWindow`, `checkMaintenanceWindow`).
 * The error names the window the user gave (`blameBackup` when that is the backup window) and
 * quotes the other.
 */
export function checkWindowsApart(scope: IConstruct, backup: WindowInput, maintenance: WindowInput, blameBackup: boolean = false): void {
  if (Token.isUnresolved(backup.value) || Token.isUnresolved(maintenance.value)) return;
  const [backupStart, backupEnd] = backup.value.split('-').map(minuteOfDay);
  const backupLength = (backupEnd - backupStart + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  const [maintenanceStart, maintenanceEnd] = maintenance.value.split('-').map(minuteOfWeek);
  const maintenanceLength = (maintenanceEnd - maintenanceStart + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
  for (let day = 0; day < 7; day++) {
    if (intervalsMeet(day * MINUTES_PER_DAY + backupStart, backupLength, maintenanceStart, maintenanceLength)) {
      const [blamed, other] = blameBackup ? [backup, maintenance] : [maintenance, backup];
      throw invalidProp(scope, blamed.field, blamed.value,
        `it overlaps ${other.field} ${other.value} on ${DAYS[day]}; RDS refuses a maintenance window that overlaps the backup window, so move one of them`);
    }
  }
}

/** Whether two intervals of the week, `[start, start + length)`, wrapping at the week's end, share a minute. */
function intervalsMeet(startA: number, lengthA: number, startB: number, lengthB: number): boolean {
  const aheadOfA = (startB - startA + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
  const aheadOfB = (startA - startB + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
  return aheadOfA < lengthA || aheadOfB < lengthB;
}

/** `hh:mm` → minutes since midnight. */
function minuteOfDay(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

/** `ddd:hh:mm` → minutes since Monday 00:00. */
function minuteOfWeek(time: string): number {
  const [day, hours, minutes] = time.split(':');
  return DAYS.indexOf(day.toLowerCase()) * MINUTES_PER_DAY + Number(hours) * 60 + Number(minutes);
}

/**
 * Names RDS refuses for the master user of PostgreSQL: the key words PostgreSQL reserves (the
 * "reserved" entries of its key-word table), the role names it reserves (`public`, `none`), and
 * the roles RDS itself keeps (`rdsadmin` and its kin). `postgres` is allowed: it is the console's
 * default. Names starting with `pg_` (PostgreSQL's) or `rds_` (RDS's) are refused as well.
 * @see https://www.postgresql.org/docs/current/sql-keywords-appendix.html
 * @see https://www.postgresql.org/docs/current/sql-createrole.html
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html (MasterUsername)
 */
const RESERVED_MASTER_USERNAMES = new Set([
  'all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', 'authorization', 'binary', 'both',
  'case', 'cast', 'check', 'collate', 'collation', 'column', 'concurrently', 'constraint', 'create', 'cross',
  'current_catalog', 'current_date', 'current_role', 'current_schema', 'current_time', 'current_timestamp',
  'current_user', 'default', 'deferrable', 'desc', 'distinct', 'do', 'else', 'end', 'except', 'false', 'fetch',
  'for', 'foreign', 'freeze', 'from', 'full', 'grant', 'group', 'having', 'ilike', 'in', 'initially', 'inner',
  'intersect', 'into', 'is', 'isnull', 'join', 'lateral', 'leading', 'left', 'like', 'limit', 'localtime',
  'localtimestamp', 'natural', 'not', 'notnull', 'null', 'offset', 'on', 'only', 'or', 'order', 'outer',
  'overlaps', 'placing', 'primary', 'references', 'returning', 'right', 'select', 'session_user', 'similar',
  'some', 'symmetric', 'system_user', 'table', 'tablesample', 'then', 'to', 'trailing', 'true', 'union',
  'unique', 'user', 'using', 'variadic', 'verbose', 'when', 'where', 'window', 'with',
  'public', 'none', 'rdsadmin', 'rdsrepladmin', 'rdstopmgr',
]);

/** Fails unless `value` is a master user name RDS for PostgreSQL accepts: a role name, not reserved. */
export function checkPostgresMasterUsername(scope: IConstruct, field: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  checkPostgresRoleName(scope, field, value);
  if (!/^[a-z]/.test(value)) {
    throw invalidProp(scope, field, value, 'RDS needs a master user name that starts with a letter; use e.g. "dbadmin"');
  }
  if (RESERVED_MASTER_USERNAMES.has(value) || value.startsWith('pg_') || value.startsWith('rds_')) {
    throw invalidProp(scope, field, value, 'it is reserved by PostgreSQL or RDS; use another name, e.g. "dbadmin" (or leave it unset for "postgres")');
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
