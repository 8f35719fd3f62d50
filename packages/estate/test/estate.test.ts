import { ENVIRONMENTS, ESTATE_TAGS, findEnvironment, REGION, stateBucket } from '../src';

describe('the estate table', () => {
  test('lists dev, staging and production in promotion order, each in its own account', () => {
    expect(ENVIRONMENTS.map((env) => [env.name, env.account])).toEqual([
      ['dev', '236122835646'],
      ['staging', '326641642924'],
      ['production', '522783511350'],
    ]);
  });

  test('runs every environment in Jakarta', () => {
    expect(REGION).toBe('ap-southeast-3');
    expect(ENVIRONMENTS.every((env) => env.region === REGION)).toBe(true);
  });

  test('expects the three OAuth clients and the Slack webhook in every environment', () => {
    for (const env of ENVIRONMENTS) {
      expect(env.secrets).toEqual([
        { kind: 'oauth-client', service: 'argo', tenant: 'Cognito' },
        { kind: 'oauth-client', service: 'jupyterhub', tenant: 'Cognito' },
        { kind: 'oauth-client', service: 'grafana', tenant: 'Cognito' },
        { kind: 'slack-webhook', service: 'alerts', tenant: 'Slack' },
      ]);
    }
  });

  test('tags the estate as managed by Terraform for the Piksel DevOps team', () => {
    expect(ESTATE_TAGS).toEqual({ ManagedBy: 'Terraform', Project: 'Piksel', Owner: 'Piksel-Devops-Team' });
  });

  test('keeps each environment\'s Terraform state in piksel-<env>-tfstate', () => {
    expect(stateBucket('staging')).toBe('piksel-staging-tfstate');
  });
});

describe('findEnvironment', () => {
  test('finds an environment by name', () => {
    expect(findEnvironment('staging')?.account).toBe('326641642924');
  });

  test('returns undefined for a name the estate does not have', () => {
    expect(findEnvironment('prod')).toBeUndefined();
  });
});

describe('the data tier of the estate table', () => {
  test('runs PostgreSQL 16 in dev and staging and 17 in production, each on its class, storage and backups', () => {
    expect(ENVIRONMENTS.map((env) => {
      const pg = env.data.postgres;
      return [env.name, pg.engineVersion.split('.')[0], pg.instanceClass, pg.allocatedStorage, pg.maxAllocatedStorage, pg.backupRetentionDays, pg.multiAz];
    })).toEqual([
      ['dev', '16', 'db.t4g.medium', 20, 50, 7, false],
      ['staging', '16', 'db.t4g.large', 50, 100, 14, false],
      ['production', '17', 'db.m7g.large', 70, 200, 30, true],
    ]);
  });

  test('pins every engine and node image to a release, production refusing @latest', () => {
    for (const env of ENVIRONMENTS) {
      expect(env.data.postgres.engineVersion).toMatch(/^\d+\.\d+$/);
      expect(env.nodeImage).toMatch(/^al2023@v\d{8}$/);
    }
    expect(findEnvironment('production')?.requirePinnedNodeImage).toBe(true);
  });
});
