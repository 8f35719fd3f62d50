import { githubOidcProviderArn, TrustExpectation, trustFindings } from '../src';
import { githubStatement, trustPolicy } from './preflight-mocks';

const ACCOUNT = '236122835646';
const DEPLOY: TrustExpectation = {
  providerArn: githubOidcProviderArn(ACCOUNT),
  audience: 'sts.amazonaws.com',
  subject: 'repo:piksel-ina/piksel-constructs:environment:dev',
};

describe('trustFindings', () => {
  test('finds nothing in the baseline\'s trust: the provider, aud and the exact sub', () => {
    expect(trustFindings(trustPolicy(githubStatement(ACCOUNT, DEPLOY.subject)), DEPLOY)).toEqual({ problems: [], notes: [] });
  });

  test('accepts a single statement object and a one-element list of subjects', () => {
    const statement = githubStatement(ACCOUNT, [DEPLOY.subject]);
    const document = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: statement }));
    expect(trustFindings(document, DEPLOY).problems).toEqual([]);
  });

  test('accepts the spokes\' roles that the expectation names, and notes any other principal', () => {
    const spoke = 'arn:aws:iam::326641642924:role/piksel-deploy';
    const document = trustPolicy(
      githubStatement(ACCOUNT, DEPLOY.subject),
      { Effect: 'Allow', Principal: { AWS: [spoke, 'arn:aws:iam::444455556666:root'] }, Action: 'sts:AssumeRole' },
      { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
    );
    expect(trustFindings(document, { ...DEPLOY, crossAccountRoles: [spoke] })).toEqual({
      problems: [],
      notes: ['also trusts arn:aws:iam::444455556666:root', 'also trusts the service ec2.amazonaws.com'],
    });
  });

  test('ignores Deny statements', () => {
    const deny = { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole' };
    expect(trustFindings(trustPolicy(githubStatement(ACCOUNT, DEPLOY.subject), deny), DEPLOY).problems).toEqual([]);
  });

  test.each([
    ['a wildcard subject', githubStatement(ACCOUNT, 'repo:piksel-ina/*', 'StringLike'), /matches sub with StringLike \("repo:piksel-ina\/\*"\)/],
    ['another subject', githubStatement(ACCOUNT, 'repo:piksel-ina/piksel-constructs:pull_request'), /accepts sub "repo:piksel-ina\/piksel-constructs:pull_request"/],
    ['no sub condition', { ...githubStatement(ACCOUNT, DEPLOY.subject), Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } } }, /accepts any subject/],
    ['no aud condition', { ...githubStatement(ACCOUNT, DEPLOY.subject), Condition: { StringEquals: { 'token.actions.githubusercontent.com:sub': DEPLOY.subject } } }, /accepts any audience/],
    ['another provider', { ...githubStatement(ACCOUNT, DEPLOY.subject), Principal: { Federated: 'arn:aws:iam::444455556666:oidc-provider/token.actions.githubusercontent.com' } }, /trusts the federated principal arn:aws:iam::444455556666/],
    ['principal "*"', { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }, /trusts any principal/],
    ['AWS "*"', { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }, /trusts any principal/],
  ])('fails on %s', (_what, statement, problem) => {
    const { problems } = trustFindings(trustPolicy(githubStatement(ACCOUNT, DEPLOY.subject), statement), DEPLOY);
    expect(problems.join('; ')).toMatch(problem);
  });

  test('fails when no statement lets the subject in', () => {
    const document = trustPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::236122835646:root' }, Action: 'sts:AssumeRole' });
    expect(trustFindings(document, DEPLOY).problems).toEqual([
      `no statement lets ${DEPLOY.subject} assume it through ${DEPLOY.providerArn}`,
    ]);
  });

  test('fails on a document that is not JSON', () => {
    expect(trustFindings('%7Bnot-json', DEPLOY).problems).toEqual(['its trust policy is not a readable JSON document']);
  });

  test('compares condition keys without regard to case, as IAM does', () => {
    const statement = githubStatement(ACCOUNT, DEPLOY.subject);
    const document = trustPolicy({
      ...statement,
      Condition: { StringEquals: { 'Token.Actions.GitHubUserContent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:SUB': DEPLOY.subject } },
    });
    expect(trustFindings(document, DEPLOY).problems).toEqual([]);
  });
});
