/**
 * The Checkov findings the estate accepts: rules that fail on purpose, each with the resources it
 * fails on and why. This list is the one place they are recorded in code; the root README's
 * "Scanner findings we accept" table is checked against it (test/accepted-findings.test.ts), and
 * the same test checks that each finding still occurs in a synth of the estate, so an acceptance
 * that no longer applies is removed rather than left to cover something else later.
 *
 * The synthesized stacks are JSON, with no comment to hold a `checkov:skip`: a scan of them skips
 * these rules with `--skip-check` built from this list (`ACCEPTED_FINDINGS.map((f) => f.rule)`).
 *
 * @see https://www.checkov.io/2.Basics/Suppressing%20and%20Skipping%20Policies.html
 */

/** One accepted Checkov finding. */
export interface AcceptedFinding {
  /** The Checkov rule ID, `CKV_AWS_…` or `CKV2_AWS_…`. */
  readonly rule: string;
  /** Where it fails, in words (the README's second column). */
  readonly resources: string;
  /** Why the estate keeps it that way (the README's third column). */
  readonly reason: string;
}

/** The findings the estate accepts, in rule order. */
export const ACCEPTED_FINDINGS: AcceptedFinding[] = [
  {
    rule: 'CKV_AWS_51',
    resources: 'ECR repository `coastlines`',
    reason: 'The estate table keeps its tags mutable (`mutableTags`); every other repository is immutable.',
  },
  {
    rule: 'CKV_AWS_54',
    resources: 'public access block of each `piksel-<env>-public-data` bucket',
    reason: 'Published open data: the bucket policy must be able to allow anonymous reads (`PublicRead.openData`). ACLs stay blocked and ignored.',
  },
  {
    rule: 'CKV_AWS_56',
    resources: 'public access block of each `piksel-<env>-public-data` bucket',
    reason: 'As CKV_AWS_54: `restrict_public_buckets` would refuse the anonymous reads the bucket exists for.',
  },
  {
    rule: 'CKV_AWS_70',
    resources: 'bucket policy of each `piksel-<env>-public-data` bucket',
    reason: 'Anyone may `s3:ListBucket` and `s3:GetObject` published open data; nothing else is allowed to `*`, and requests without TLS are denied.',
  },
  {
    rule: 'CKV_AWS_157',
    resources: 'PostgreSQL of dev and staging',
    reason: 'Single-AZ outside production: a zone outage there delays work, not users. Production is Multi-AZ (`multiAz` in the estate table).',
  },
  {
    rule: 'CKV_AWS_274',
    resources: '`piksel-deploy` role of every account',
    reason: 'The deploy role applies every stack of its account, IAM included; it is trusted only by the exact `environment:<env>` subject of the pipeline.',
  },
  {
    rule: 'CKV_AWS_293',
    resources: 'PostgreSQL of dev',
    reason: 'Dev is rebuilt at will; a final snapshot is still taken. Staging and production are protected (`deletionProtection`).',
  },
  {
    rule: 'CKV_AWS_338',
    resources: 'CloudWatch log groups (VPC flow logs, EKS control plane, RDS, CodeBuild runner)',
    reason: '90 days: long enough to investigate an incident reported a month late; longer is a cost the estate has not taken on (`logRetentionDays`, `flowLogRetentionDays`).',
  },
];

/** The README table rows of `findings`, one `| rule | resources | reason |` line each. */
export function acceptedFindingsRows(findings: AcceptedFinding[] = ACCEPTED_FINDINGS): string[] {
  return findings.map((f) => `| \`${f.rule}\` | ${f.resources} | ${f.reason} |`);
}
