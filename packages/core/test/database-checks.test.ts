import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import {
  checkBackupWindow, checkDbIdentifier, checkMaintenanceWindow, checkParameterGroupFamily, checkPostgresMasterUsername, checkWindowsApart, Naming,
  postgresMajorVersion, postgresParameterGroupFamily, RDS_POSTGRES_MAJOR_VERSIONS,
} from '../src';

function scope(): Construct {
  return new Construct(new TerraformStack(Testing.app(), 'data'), 'Postgres');
}

describe('RDS windows', () => {
  test('accept windows of 30 minutes and more, also across midnight and the week\'s end', () => {
    expect(() => checkBackupWindow(scope(), 'backupWindow', '23:45-00:15')).not.toThrow();
    expect(() => checkMaintenanceWindow(scope(), 'maintenanceWindow', 'Sun:23:30-Mon:00:00')).not.toThrow();
  });

  test('fails when the backup window is shorter than 30 minutes', () => {
    expect(() => checkBackupWindow(scope(), 'backupWindow', '03:00-03:29'))
      .toThrow(/^data\/Postgres: backupWindow is "03:00-03:29"; it is 29 minutes long; RDS needs a backup window of at least 30 minutes/);
  });

  test('fails when the maintenance window is shorter than 30 minutes', () => {
    expect(() => checkMaintenanceWindow(scope(), 'maintenanceWindow', 'Mon:00:00-Mon:00:10'))
      .toThrow(/^data\/Postgres: maintenanceWindow is "Mon:00:00-Mon:00:10"; it is 10 minutes long; RDS needs a maintenance window of at least 30 minutes/);
  });

  test('fails when a window is not in RDS\'s format', () => {
    expect(() => checkBackupWindow(scope(), 'backupWindow', '3:00-6:00')).toThrow(/backupWindow is "3:00-6:00"; use hh24:mi-hh24:mi in UTC/);
    expect(() => checkMaintenanceWindow(scope(), 'maintenanceWindow', 'Monday:00:00-Monday:03:00')).toThrow(/use ddd:hh24:mi-ddd:hh24:mi in UTC/);
  });

  test('accept a maintenance window that ends where the backup window starts', () => {
    expect(() => checkWindowsApart(scope(), { field: 'backupWindow', value: '03:00-06:00' }, { field: 'maintenanceWindow', value: 'Mon:00:00-Mon:03:00' })).not.toThrow();
  });

  test('fails when the maintenance window overlaps the backup window', () => {
    expect(() => checkWindowsApart(scope(), { field: 'backupWindow', value: '03:00-06:00' }, { field: 'maintenanceWindow', value: 'Wed:05:00-Wed:07:00' }))
      .toThrow(/^data\/Postgres: maintenanceWindow is "Wed:05:00-Wed:07:00"; it overlaps backupWindow 03:00-06:00 on wed; RDS refuses/);
  });

  test('fails when a backup window across midnight meets a maintenance window across the week\'s end', () => {
    expect(() => checkWindowsApart(scope(), { field: 'backupWindow', value: '23:30-00:30' }, { field: 'the default maintenanceWindow', value: 'Sun:23:50-Mon:01:00' }, true))
      .toThrow(/^data\/Postgres: backupWindow is "23:30-00:30"; it overlaps the default maintenanceWindow Sun:23:50-Mon:01:00 on (sun|mon)/);
  });
});

describe('PostgreSQL master user', () => {
  test('accepts the console\'s default and a name of one\'s own', () => {
    expect(() => checkPostgresMasterUsername(scope(), 'masterUsername', 'postgres')).not.toThrow();
    expect(() => checkPostgresMasterUsername(scope(), 'masterUsername', 'dbadmin')).not.toThrow();
  });

  test.each(['rdsadmin', 'select', 'user', 'public', 'pg_admin', 'rds_superuser'])('fails when the master user name is the reserved %s', (name) => {
    expect(() => checkPostgresMasterUsername(scope(), 'masterUsername', name))
      .toThrow(new RegExp(`^data/Postgres: masterUsername is "${name}"; it is reserved by PostgreSQL or RDS; use another name`));
  });

  test('fails when the master user name does not start with a letter', () => {
    expect(() => checkPostgresMasterUsername(scope(), 'masterUsername', '_admin')).toThrow(/masterUsername is "_admin"; RDS needs a master user name that starts with a letter/);
  });
});

describe('PostgreSQL versions', () => {
  test('derive the parameter-group family from a major RDS offers', () => {
    expect(postgresMajorVersion(scope(), 'engineVersion', '16.11')).toBe(16);
    expect(postgresParameterGroupFamily(16)).toBe('postgres16');
    expect(RDS_POSTGRES_MAJOR_VERSIONS).toContain(17);
  });

  test('fails when the major is one RDS does not offer', () => {
    expect(() => postgresMajorVersion(scope(), 'engineVersion', '99.1'))
      .toThrow(/^data\/Postgres: engineVersion is "99.1"; RDS offers PostgreSQL majors 11, 12, 13, 14, 15, 16, 17, 18; pin a minor of one of them/);
  });

  test('fails when the family is of a major RDS does not offer', () => {
    expect(() => checkParameterGroupFamily(scope(), 'parameterGroupFamily', 'postgres99', undefined, '${var.version}'))
      .toThrow(/^data\/Postgres: parameterGroupFamily is "postgres99"; use the family of a PostgreSQL major RDS offers \(postgres11, .*postgres18\)/);
  });

  test('fails when the family is not the engine version\'s', () => {
    expect(() => checkParameterGroupFamily(scope(), 'parameterGroupFamily', 'postgres15', 16, '16.11'))
      .toThrow(/parameterGroupFamily is "postgres15"; engineVersion 16.11 needs family "postgres16"/);
  });
});

describe('Examples in messages', () => {
  test('follow the configured prefix', () => {
    const app = Testing.app();
    Naming.configure(app, { prefix: 'acme' });
    const construct = new Construct(new TerraformStack(app, 'data'), 'Postgres');
    expect(() => checkDbIdentifier(construct, 'identifier', 'Bad_Name')).toThrow(/e\.g\. "acme-dev-postgres"/);
  });
});
