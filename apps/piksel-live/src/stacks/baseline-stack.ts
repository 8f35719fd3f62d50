import type * as accountBaselineLibrary from '@piksel/account-baseline';
import { DEPLOY_SESSION_SECONDS, Environment, ENVIRONMENTS, GITHUB_REPOSITORY, HUB } from '@piksel/estate';
import { Construct } from 'constructs';
import { loadPinned } from '../pins';
import { AccountStack, AccountTarget } from './account-stack';

/** The stack name of an account's baseline: `hub-baseline`, `dev-baseline`. */
export function baselineStackName(target: AccountTarget): string {
  return `${target.name}-baseline`;
}

/**
 * One account's baseline, `<account>-baseline`: its Terraform state bucket, its GitHub OIDC
 * provider, and the roles the pipeline signs in with: `piksel-deploy` (jobs of the account's GitHub
 * environment) and `piksel-plan` (pull requests, read-only). On the hub, `piksel-plan` trusts the spokes' plan roles, and each spoke's `piksel-deploy`
 * gets its own least-privilege `piksel-<env>-hub-network` role for the hub side of its attachment;
 * the hub's `piksel-deploy` trusts no other account.
 *
 * Its state lives, like every stack of the account, in the bucket it creates, so its first apply
 * keeps state locally and then moves it there: `pnpm apply <account>-baseline --bootstrap`
 * (README "Day zero").
 */
export class BaselineStack extends AccountStack {
  /** @param spokes on the hub: the environments whose spokes the hub admits */
  constructor(scope: Construct, target: AccountTarget, spokes: Environment[] = ENVIRONMENTS) {
    super(scope, target, baselineStackName(target));
    const baseline = loadPinned<typeof accountBaselineLibrary>(target.name, '@piksel/account-baseline');
    const isHub = target.name === HUB.name;

    new baseline.AccountBaseline(this, 'Baseline', {
      environment: target.name,
      repository: GITHUB_REPOSITORY,
      hubAccount: isHub ? undefined : HUB.account,
      spokes: isHub ? spokes.map((env) => ({ environment: env.name, account: env.account, routingDomain: env.routingDomain })) : undefined,
      routingDomains: isHub ? HUB.routingDomains : undefined,
      deployMaxSessionDuration: DEPLOY_SESSION_SECONDS,
    });
  }
}
