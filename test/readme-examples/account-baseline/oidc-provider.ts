/* eslint-disable */ // README example: compiled and run by test/outside-consumer.test.ts against the packed libraries, not in this workspace.
import { stack } from '../scope';

// #region README
import { DeployRole, GithubOidcProvider } from '@piksel/account-baseline';

const github = GithubOidcProvider.fromAccount(stack, 'Github', '686410905891');
// github.oidcProviderArn === 'arn:aws:iam::686410905891:oidc-provider/token.actions.githubusercontent.com'
new DeployRole(stack, 'DeployRole', { oidcProvider: github, environment: 'hub', repository: 'piksel-ina/piksel-constructs' });
// #endregion
