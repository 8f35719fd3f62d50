import { readFileSync } from 'fs';
import { join } from 'path';
import { App, Testing } from 'cdktf';
import { ACCEPTED_FINDINGS, acceptedFindingsRows } from '../src/accepted-findings';
import { buildEstate } from '../src/main';

function synthEstate(): Record<string, any> {
  const app = Testing.app() as App;
  buildEstate(app);
  return Object.fromEntries(app.node.children.map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack as any))]));
}

/** The rows of the table under "Scanner findings we accept" in the root README. */
function readmeRows(): string[] {
  const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf-8');
  const section = readme.split(/^## Scanner findings we accept/m)[1]?.split(/^## /m)[0];
  if (!section) throw new Error('README.md has no "## Scanner findings we accept" section');
  return section.split('\n').filter((line) => /^\| `CKV2?_AWS_\d+` \|/.test(line));
}

const stacks = synthEstate();

/** Every resource of `type` in the estate, with its stack. */
function resources(type: string): any[] {
  return Object.values(stacks).flatMap((stack) => Object.values(stack.resource?.[type] ?? {}));
}

/** A policy document with Terraform references read as opaque strings. */
function policy(document: string): { Statement: any[] } {
  return JSON.parse(String(document).replace(/\$\{[^}]*\}/g, 'EXPR'));
}

/**
 * What each accepted rule fails on, found in the synthesized estate the way Checkov reads it. An
 * accepted rule with no entry here, or whose condition no longer occurs, fails the test.
 */
const OCCURS: Record<string, () => boolean> = {
  CKV_AWS_51: () => resources('aws_ecr_repository').some((r) => r.image_tag_mutability === 'MUTABLE'),
  CKV_AWS_54: () => resources('aws_s3_bucket_public_access_block').some((r) => r.block_public_policy === false),
  CKV_AWS_56: () => resources('aws_s3_bucket_public_access_block').some((r) => r.restrict_public_buckets === false),
  CKV_AWS_70: () => resources('aws_s3_bucket_policy').some((r) => policy(r.policy).Statement.some((s) => s.Effect === 'Allow' && s.Principal === '*')),
  CKV_AWS_157: () => resources('aws_db_instance').some((r) => r.multi_az !== true),
  CKV_AWS_274: () => resources('aws_iam_role_policy_attachment').some((r) => r.policy_arn === 'arn:aws:iam::aws:policy/AdministratorAccess'),
  CKV_AWS_293: () => resources('aws_db_instance').some((r) => r.deletion_protection !== true),
  CKV_AWS_338: () => resources('aws_cloudwatch_log_group').some((r) => r.retention_in_days !== 0 && r.retention_in_days < 365),
};

describe('accepted scanner findings', () => {
  test('the README lists exactly the findings the code accepts, with the same resources and reasons', () => {
    expect(readmeRows()).toEqual(acceptedFindingsRows());
  });

  test('each rule is a Checkov AWS rule ID, accepted once, in rule order', () => {
    const rules = ACCEPTED_FINDINGS.map((f) => f.rule);
    expect(rules.every((rule) => /^CKV2?_AWS_\d+$/.test(rule))).toBe(true);
    expect(new Set(rules).size).toBe(rules.length);
    const order = (rule: string) => [rule.startsWith('CKV2') ? 1 : 0, Number(rule.split('_').pop())];
    expect([...rules].sort((a, b) => order(a)[0] - order(b)[0] || order(a)[1] - order(b)[1])).toEqual(rules);
  });

  test.each(ACCEPTED_FINDINGS.map((f) => [f.rule]))('%s still occurs in the estate, so its acceptance is not stale', (rule) => {
    expect(OCCURS[rule]).toBeDefined();
    expect(OCCURS[rule]()).toBe(true);
  });

  test('the public zones the estate signs leave no DNSSEC finding to accept', () => {
    const zones = resources('aws_route53_zone').filter((z) => z.vpc === undefined);
    const signed = resources('aws_route53_hosted_zone_dnssec');
    expect(signed).toHaveLength(zones.length);
    expect(ACCEPTED_FINDINGS.map((f) => f.rule)).not.toContain('CKV2_AWS_38');
  });
});
