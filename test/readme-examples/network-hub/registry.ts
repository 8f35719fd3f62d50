/* eslint-disable */ // README example: compiled and run by test/outside-consumer.test.ts against the packed libraries, not in this workspace.
import { stack } from '../scope';

// #region README
import { ContainerRegistry, GithubPushRole, TagMutability } from '@piksel/network-hub';

const registry = new ContainerRegistry(stack, 'Registry');
registry.addRepository('piksel-core');
registry.addRepository('coastlines', { imageTagMutability: TagMutability.MUTABLE });
registry.grantPull('236122835646');
new GithubPushRole(stack, 'CoastlinesPushRole', {
  registry, githubRepository: 'piksel-ina/coastlines', repositoryNames: ['coastlines'],
  oidcProviderArn: 'arn:aws:iam::686410905891:oidc-provider/token.actions.githubusercontent.com',
});
// #endregion
