import { SecretKind } from '@piksel/secrets/lib/secret-kind';

/** What stands in for a value wherever one would be shown. */
export const MASK = '********';

const SLACK_WEBHOOK_PREFIX = 'https://hooks.slack.com/services/';
const WHITESPACE = /\s/;

/**
 * Checks a value against its kind's format. Returns what is wrong (never the value itself, nor
 * any part of it), or `undefined` when the value is well-formed.
 */
export function valueProblem(kind: SecretKind, value: string): string | undefined {
  if (value.length === 0) {
    return 'the value is empty';
  }
  if (WHITESPACE.test(value)) {
    return `the value contains whitespace; a ${kind.id} value has none (check for a stray space or line break)`;
  }
  if (kind.id === SecretKind.SLACK_WEBHOOK.id) {
    return slackWebhookProblem(value);
  }
  if (kind.id === SecretKind.OAUTH_CLIENT.id) {
    return oauthClientProblem(value);
  }
  return undefined;
}

function slackWebhookProblem(value: string): string | undefined {
  if (!value.startsWith(SLACK_WEBHOOK_PREFIX) || value.length === SLACK_WEBHOOK_PREFIX.length) {
    return `the value is not a Slack incoming-webhook URL; expected ${SLACK_WEBHOOK_PREFIX}... (copy it from the Slack app's "Incoming Webhooks" page)`;
  }
  return undefined;
}

function oauthClientProblem(value: string): string | undefined {
  const parts = value.split(':');
  if (parts.length !== 2) {
    return `the value has ${parts.length} part(s) separated by ":"; expected exactly two, client_id:client_secret`;
  }
  if (parts[0].length === 0) {
    return 'the client_id (before ":") is empty; expected client_id:client_secret';
  }
  if (parts[1].length === 0) {
    return 'the client_secret (after ":") is empty; expected client_id:client_secret';
  }
  return undefined;
}
