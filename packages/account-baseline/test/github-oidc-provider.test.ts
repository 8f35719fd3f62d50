import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing, Token } from 'cdktf';
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

describe('GithubOidcProvider across stacks', () => {
  test('fails when a second provider is made in an account, with both paths', () => {
    const app = Testing.app();
    new GithubOidcProvider(new TerraformStack(app, 'dev-baseline'), 'GithubOidcProvider', { account: '236122835646' });
    expect(() => new GithubOidcProvider(new TerraformStack(app, 'dev'), 'GithubOidcProvider', { account: '236122835646' }))
      .toThrow(/^dev\/GithubOidcProvider: issuer is "token.actions.githubusercontent.com"; dev-baseline\/GithubOidcProvider has it already; account 236122835646 has one OIDC provider per issuer; create it once/);
    expect(() => new GithubOidcProvider(new TerraformStack(app, 'staging-baseline'), 'GithubOidcProvider', { account: '111111111111' })).not.toThrow();
  });

  test('finds the account in the stack\'s AWS provider when not given', () => {
    const app = Testing.app();
    const stackOf = (id: string) => {
      const stack = new TerraformStack(app, id);
      new AwsProvider(stack, 'aws', { region: 'ap-southeast-3', allowedAccountIds: ['236122835646'] });
      return stack;
    };
    new GithubOidcProvider(stackOf('dev-baseline'), 'GithubOidcProvider');
    expect(() => new GithubOidcProvider(stackOf('dev'), 'Github')).toThrow(/^dev\/Github: issuer is "token.actions.githubusercontent.com"; dev-baseline\/GithubOidcProvider has it already; account 236122835646/);
  });

  test('fails when the account is not an account ID', () => {
    expect(() => new GithubOidcProvider(new TerraformStack(Testing.app(), 'dev'), 'Github', { account: '1234' })).toThrow(/^dev\/Github: account is "1234"/);
  });
});
