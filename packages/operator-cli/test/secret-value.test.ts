import { SecretKind } from '@piksel/secrets/lib/secret-kind';
import { valueProblem } from '../src';
import { OAUTH_VALUE, SLACK_VALUE } from './util';

describe('valueProblem', () => {
  describe('slack-webhook', () => {
    const kind = SecretKind.SLACK_WEBHOOK;

    test('accepts a Slack incoming-webhook URL', () => {
      expect(valueProblem(kind, SLACK_VALUE)).toBeUndefined();
    });

    test.each([
      ['http://hooks.slack.com/services/T0/B0/x', /not a Slack incoming-webhook URL; expected https:\/\/hooks.slack.com\/services\/\.\.\./],
      ['https://hooks.slack.com/services/', /not a Slack incoming-webhook URL/],
      ['https://example.com/services/T0/B0/x', /not a Slack incoming-webhook URL/],
      ['https://hooks.slack.com/services/T0/B0/x y', /contains whitespace/],
      ['https://hooks.slack.com/services/T0/B0/x\n', /contains whitespace/],
      ['', /empty/],
    ])('refuses %j', (value, message) => {
      expect(valueProblem(kind, value)).toMatch(message);
    });
  });

  describe('oauth-client', () => {
    const kind = SecretKind.OAUTH_CLIENT;

    test('accepts client_id:client_secret', () => {
      expect(valueProblem(kind, OAUTH_VALUE)).toBeUndefined();
    });

    test.each([
      ['only-an-id', /has 1 part\(s\) separated by ":"; expected exactly two, client_id:client_secret/],
      ['a:b:c', /has 3 part\(s\)/],
      [':secret', /client_id \(before ":"\) is empty/],
      ['id:', /client_secret \(after ":"\) is empty/],
      ['id: secret', /contains whitespace/],
      ['id:\tsecret', /contains whitespace/],
    ])('refuses %j', (value, message) => {
      expect(valueProblem(kind, value)).toMatch(message);
    });
  });

  test('never repeats the value in its message', () => {
    const value = 'abcdefgh-not-a-url-ijklmnop';
    for (const kind of [SecretKind.OAUTH_CLIENT, SecretKind.SLACK_WEBHOOK]) {
      expect(valueProblem(kind, value)).not.toContain(value);
      expect(valueProblem(kind, value)).not.toContain('abcdefgh');
    }
  });
});
