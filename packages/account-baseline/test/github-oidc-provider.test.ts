import { Token } from 'cdktf';
import { onlyResource, resourcesOf, synth } from '../../secrets/test/util';
import { GithubOidcProvider } from '../src';

describe('GithubOidcProvider', () => {
  test('creates the provider for GitHub Actions and the STS audience, without thumbprints', () => {
    const out = synth((stack) => new GithubOidcProvider(stack, 'Github', { tags: { Team: 'devops' } }));
    expect(onlyResource(out, 'aws_iam_openid_connect_provider')).toEqual({
      url: 'https://token.actions.githubusercontent.com',
      client_id_list: ['sts.amazonaws.com'],
      tags: { Team: 'devops' },
    });
  });

  test('exposes the ARN of the provider it creates, known at apply time', () => {
    synth((stack) => {
      expect(Token.isUnresolved(new GithubOidcProvider(stack, 'Github').oidcProviderArn)).toBe(true);
    });
  });

  test('fails when a tag is one AWS refuses', () => {
    expect(() => synth((stack) => new GithubOidcProvider(stack, 'Github', { tags: { Team: 'a'.repeat(257) } }))).toThrow(/Github: tags\.Team is "a{257}"; use at most 256/);
  });
});

describe('GithubOidcProvider.fromAccount', () => {
  test('refers to the account\'s provider by its well-known ARN and creates nothing', () => {
    const out = synth((stack) => {
      const provider = GithubOidcProvider.fromAccount(stack, 'Github', '236122835646');
      expect(provider.oidcProviderArn).toBe('arn:aws:iam::236122835646:oidc-provider/token.actions.githubusercontent.com');
    });
    expect(resourcesOf(out, 'aws_iam_openid_connect_provider')).toEqual({});
  });

  test('fails when the account is not a 12-digit account ID', () => {
    expect(() => synth((stack) => GithubOidcProvider.fromAccount(stack, 'Github', '2361-2283'))).toThrow(/Github: account is "2361-2283"; use a 12-digit AWS account ID/);
  });
});
