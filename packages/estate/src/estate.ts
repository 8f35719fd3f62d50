/**
 * The Piksel estate: one typed table of environments (DESIGN.md §3). The live app's stacks and
 * the operator tools read it; nothing else decides per environment.
 */

/** The region every Piksel environment runs in (Jakarta). */
export const REGION = 'ap-southeast-3';

/** Tags every resource of the estate carries, through the AWS provider's `default_tags`. */
export const ESTATE_TAGS = {
  ManagedBy: 'Terraform',
  Project: 'Piksel',
  Owner: 'Piksel-Devops-Team',
};

/** The kinds of secret the estate holds, as `SecretKind.id` in @piksel/secrets names them. */
export type SecretKindId = 'oauth-client' | 'slack-webhook';

/** A secret an environment holds; its value is put by operators, never by Terraform. */
export interface SecretSpec {
  /** What the secret holds (see `SecretKind` in @piksel/secrets). */
  readonly kind: SecretKindId;
  /** The `Service` tag and name part, e.g. `grafana`. */
  readonly service: string;
  /** The `Tenant` tag: who issued the credential. */
  readonly tenant: string;
}

/** One environment of the estate. */
export interface Environment {
  /** `dev`, `staging` or `production`; also the stack name. */
  readonly name: string;
  /** The environment's AWS account. */
  readonly account: string;
  /** The environment's region. */
  readonly region: string;
  /** The secrets the environment holds. */
  readonly secrets: SecretSpec[];
}

/** Secrets every spoke environment holds (DESIGN.md §3 "Secrets"). */
const SPOKE_SECRETS: SecretSpec[] = [
  { kind: 'oauth-client', service: 'argo', tenant: 'Cognito' },
  { kind: 'oauth-client', service: 'jupyterhub', tenant: 'Cognito' },
  { kind: 'oauth-client', service: 'grafana', tenant: 'Cognito' },
  { kind: 'slack-webhook', service: 'alerts', tenant: 'Slack' },
];

/** The spoke environments, in promotion order. */
export const ENVIRONMENTS: Environment[] = [
  { name: 'dev', account: '236122835646', region: REGION, secrets: SPOKE_SECRETS },
  { name: 'staging', account: '326641642924', region: REGION, secrets: SPOKE_SECRETS },
  { name: 'production', account: '522783511350', region: REGION, secrets: SPOKE_SECRETS },
];

/** The environment called `name`, or `undefined` when the estate has none by that name. */
export function findEnvironment(name: string): Environment | undefined {
  return ENVIRONMENTS.find((env) => env.name === name);
}

/** The S3 bucket holding an environment's Terraform state. */
export function stateBucket(environment: string): string {
  return `piksel-${environment}-tfstate`;
}
