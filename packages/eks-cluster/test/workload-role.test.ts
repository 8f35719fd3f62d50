import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { readiness, StackVerdict, terraformSuite, verifyStack } from '../../../apps/piksel-live/test/terraform/harness';
import { onlyResource, resourcesOf, Synthesized, synth } from '../../secrets/test/util';
import { PodIdentityRole } from '../src/pod-identity-role';
import { ServiceAccountRole } from '../src/service-account';
import { WorkloadIdentity } from '../src/workload-identity';
import { WorkloadRole, WorkloadRoleProps } from '../src/workload-role';

const ACCOUNT = '326641642924';
const REGION = 'ap-southeast-3';
const ISSUER = `oidc.eks.${REGION}.amazonaws.com/id/5C3F0A1B2D4E6F708192A3B4C5D6E7F8`;
const S3_READ_POLICY = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';

/** As a stack that reads the cluster from the environment stack's state sees it. */
function props(identity: WorkloadIdentity, overrides: Partial<WorkloadRoleProps> = {}): WorkloadRoleProps {
  return {
    identity,
    clusterName: 'piksel-staging',
    account: ACCOUNT,
    region: REGION,
    namespace: 'argo-workflows',
    serviceAccountName: 'argo-workflows-executor',
    oidcProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}`,
    oidcIssuerUrl: `https://${ISSUER}`,
    managedPolicyArns: [S3_READ_POLICY],
    ...overrides,
  };
}

function build(identity: WorkloadIdentity, overrides: Partial<WorkloadRoleProps> = {}): Synthesized {
  return synth((stack) => WorkloadRole.forServiceAccount(stack, 'ExecutorRole', props(identity, overrides)));
}

describe('WorkloadRole', () => {
  test('makes an IRSA role with the exact sub and aud of the service account, and no association', () => {
    const synthesized = build(WorkloadIdentity.IRSA);
    const policy: string = onlyResource(synthesized, 'aws_iam_role').assume_role_policy;
    // The condition keys are a Terraform template (the issuer without https://), whose quotes are not JSON.
    const template = `\${replace("https://${ISSUER}", "https://", "")}`;
    expect(policy).toContain(`"${template}:sub"`);
    expect(JSON.parse(policy.split(template).join('ISSUER')).Statement).toEqual([{
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}` },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          'ISSUER:sub': 'system:serviceaccount:argo-workflows:argo-workflows-executor',
          'ISSUER:aud': 'sts.amazonaws.com',
        },
      },
    }]);
    expect(resourcesOf(synthesized, 'aws_eks_pod_identity_association')).toEqual({});
  });

  test('makes a Pod Identity role pinned to the cluster and service account, and its association', () => {
    const synthesized = build(WorkloadIdentity.POD_IDENTITY);
    const trust = JSON.parse(onlyResource(synthesized, 'aws_iam_role').assume_role_policy);
    expect(trust.Statement).toEqual([{
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: {
        StringEquals: {
          'aws:SourceAccount': ACCOUNT,
          'aws:RequestTag/eks-cluster-arn': `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/piksel-staging`,
          'aws:RequestTag/kubernetes-namespace': 'argo-workflows',
          'aws:RequestTag/kubernetes-service-account': 'argo-workflows-executor',
        },
      },
    }]);
    expect(onlyResource(synthesized, 'aws_eks_pod_identity_association'))
      .toMatchObject({ cluster_name: 'piksel-staging', namespace: 'argo-workflows', service_account: 'argo-workflows-executor' });
  });

  test('returns the construct of the kind asked for', () => {
    synth((stack) => {
      expect(WorkloadRole.forServiceAccount(stack, 'Irsa', props(WorkloadIdentity.IRSA))).toBeInstanceOf(ServiceAccountRole);
      expect(WorkloadRole.forServiceAccount(stack, 'PodIdentity', props(WorkloadIdentity.POD_IDENTITY, { serviceAccountName: 'other' })))
        .toBeInstanceOf(PodIdentityRole);
    });
  });

  test('keeps the role, its name and its policies at the same addresses when the kind changes', () => {
    const addresses = (synthesized: Synthesized) => ['aws_iam_role', 'aws_iam_role_policy_attachment']
      .map((type) => Object.entries(resourcesOf(synthesized, type)).map(([name, r]) => [name, r.name ?? r.policy_arn]));
    expect(addresses(build(WorkloadIdentity.POD_IDENTITY))).toEqual(addresses(build(WorkloadIdentity.IRSA)));
  });

  test('fails when an IRSA role lacks the OIDC provider', () => {
    expect(() => build(WorkloadIdentity.IRSA, { oidcProviderArn: undefined }))
      .toThrow(/^stack: oidcProviderArn is undefined; the IRSA role ExecutorRole of argo-workflows\/argo-workflows-executor needs the cluster's OIDC provider; give oidcProviderArn and oidcIssuerUrl, or use WorkloadIdentity.POD_IDENTITY/);
    expect(() => build(WorkloadIdentity.IRSA, { oidcIssuerUrl: undefined })).toThrow(/oidcIssuerUrl is undefined/);
    expect(() => build(WorkloadIdentity.POD_IDENTITY, { oidcProviderArn: undefined, oidcIssuerUrl: undefined })).not.toThrow();
  });

  test('fails when a Pod Identity role is asked for a namespace the cluster runs on Fargate', () => {
    const fargateNamespaces = ['karpenter', 'flux-system', 'external-dns'];
    expect(() => build(WorkloadIdentity.POD_IDENTITY, { namespace: 'external-dns', serviceAccountName: 'external-dns-sa', fargateNamespaces }))
      .toThrow(/^stack\/ExecutorRole: namespace is "external-dns"; a Fargate profile runs every pod of this namespace.*use WorkloadIdentity.IRSA/);
    expect(() => build(WorkloadIdentity.IRSA, { namespace: 'external-dns', serviceAccountName: 'external-dns-sa', fargateNamespaces })).not.toThrow();
  });
});

/**
 * Both kinds, by the real provider build: `terraform validate` and a mocked apply of a stack with
 * one role of each kind, asserting that the association takes the Pod Identity role.
 */
const state = readiness();

terraformSuite(state)('Terraform: both kinds of workload role', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'piksel-workload-role-'));
  let verdict: StackVerdict;

  beforeAll(async () => {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'workload-roles');
    new AwsProvider(stack, 'aws', { region: REGION });
    const irsa = WorkloadRole.forServiceAccount(stack, 'Irsa', props(WorkloadIdentity.IRSA));
    const podIdentity = WorkloadRole.forServiceAccount(stack, 'PodIdentity', props(WorkloadIdentity.POD_IDENTITY, { serviceAccountName: 'argo-workflows-server' }));
    new TerraformOutput(stack, 'irsa_role_arn', { value: irsa.roleArn });
    new TerraformOutput(stack, 'pod_identity_role_arn', { value: podIdentity.roleArn });
    app.synth();
    const synthesized = JSON.parse(readFileSync(join(outdir, 'stacks', 'workload-roles', 'cdk.tf.json'), 'utf-8'));
    const association = `aws_eks_pod_identity_association.${Object.keys(resourcesOf(synthesized, 'aws_eks_pod_identity_association'))[0]}`;
    const testFile = [
      'mock_provider "aws" {',
      '  mock_resource "aws_iam_role" {',
      `    defaults = { arn = "arn:aws:iam::${ACCOUNT}:role/piksel-staging-mock" }`,
      '  }',
      '}',
      '',
      'run "mocked_apply" {',
      '  command = apply',
      '  assert {',
      `    condition     = ${association}.role_arn == output.pod_identity_role_arn`,
      '    error_message = "the association must take the Pod Identity role"',
      '  }',
      '  assert {',
      `    condition     = ${association}.cluster_name == "piksel-staging" && ${association}.service_account == "argo-workflows-server"`,
      '    error_message = "the association must name the cluster and the service account"',
      '  }',
      '}',
      '',
    ].join('\n');
    verdict = await verifyStack(join(outdir, 'stacks', 'workload-roles'), 'workload-roles', testFile, state.mirror!);
  }, 300_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('passes terraform validate', () => {
    if (!verdict.valid) throw new Error(verdict.validateOutput);
    expect(verdict.validateOutput).toMatch(/Success! The configuration is valid/);
  });

  test('passes a mocked apply with every assertion', () => {
    if (!verdict.testPassed) throw new Error(verdict.testOutput);
    expect(verdict.testOutput).toMatch(/1 passed, 0 failed/);
  });
});
