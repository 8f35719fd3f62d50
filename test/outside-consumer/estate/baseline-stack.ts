import { AccountBaseline } from '@piksel/account-baseline';
import { Construct } from 'constructs';
import { AccountStack } from './account-stack';
import { HUB, REPOSITORY, SPOKES } from './estate';

/** The hub account's baseline: state bucket, GitHub OIDC provider, deploy and plan roles. */
export class BaselineStack extends AccountStack {
  constructor(scope: Construct, id: string) {
    super(scope, id, HUB);
    new AccountBaseline(this, 'Baseline', {
      environment: HUB.name,
      repository: REPOSITORY,
      // Each spoke's deploy role gets a hub role of its own for the hub side of its attachment.
      spokes: SPOKES.map((spoke) => ({ environment: spoke.name, account: spoke.account, routingDomain: spoke.routingDomain })),
      routingDomains: ['nonprod', 'prod'],
    });
  }
}
