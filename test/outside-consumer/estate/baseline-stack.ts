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
      spokeAccounts: SPOKES.map((spoke) => spoke.account),
    });
  }
}
