import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Placements } from '@piksel/core';
import { TerraformStack, Testing, Token } from 'cdktf';
import { validateChartValues } from '../../../test/schemas/validate';
import { onlyResource, synth } from '../../secrets/test/util';
import { ExternalSecrets, ExternalSecretsProps } from '../src/external-secrets';

const VERSION = '2.9.0';
const ROLE = 'arn:aws:iam::326641642924:role/piksel-staging-external-secrets';
const PROPS: ExternalSecretsProps = { clusterName: 'piksel-staging', version: VERSION };

function release(props: Partial<ExternalSecretsProps> = {}): any {
  return onlyResource(synth((stack) => new ExternalSecrets(stack, 'ExternalSecrets', { ...PROPS, ...props })), 'helm_release');
}

function valuesOf(props: Partial<ExternalSecretsProps> = {}): any {
  const values = JSON.parse(release(props).values[0]);
  expect(validateChartValues('external-secrets', VERSION, values)).toEqual([]);
  return values;
}

/** An app whose cluster has the `default` NodePool and a Fargate profile for `karpenter` only. */
function clusterApp(): TerraformStack {
  const app = Testing.app();
  const nodes = new TerraformStack(app, 'staging-nodes');
  Placements.of(nodes).addCapacity(nodes, 'piksel-staging', { description: 'Fargate profile "karpenter"', fargateNamespaces: ['karpenter'] });
  Placements.of(nodes).addCapacity(nodes, 'piksel-staging', { description: 'NodePool "default"', nodeLabels: { 'karpenter.sh/nodepool': ['default'] } });
  const addons = new TerraformStack(app, 'staging-addons');
  new HelmProvider(addons, 'Helm', { kubernetes: { host: 'https://example.invalid' } });
  return addons;
}

describe('ExternalSecrets', () => {
  test('installs chart 2.9.0 from charts.external-secrets.io with its CRDs', () => {
    expect(release()).toMatchObject({
      name: 'external-secrets',
      chart: 'external-secrets',
      repository: 'https://charts.external-secrets.io',
      version: VERSION,
      namespace: 'external-secrets',
      create_namespace: true,
      atomic: true,
    });
    expect(valuesOf().installCRDs).toBe(true);
  });

  test('names the controller\'s service account external-secrets, unannotated by default (EKS Pod Identity)', () => {
    let addon: ExternalSecrets | undefined;
    synth((stack) => { addon = new ExternalSecrets(stack, 'ExternalSecrets', PROPS); });
    expect(valuesOf().serviceAccount).toEqual({ create: true, name: 'external-secrets', annotations: {} });
    expect(addon?.serviceAccountName).toBe('external-secrets');
    expect(addon?.externalSecretsNamespace).toBe('external-secrets');
  });

  test('annotates the service account with the IRSA role, a token too', () => {
    expect(valuesOf({ serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': ROLE } }).serviceAccount.annotations)
      .toEqual({ 'eks.amazonaws.com/role-arn': ROLE });
    expect(release({ serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': Token.asString({ Ref: 'role' }) } }).values[0])
      .toContain('eks.amazonaws.com/role-arn');
  });

  test('puts the controller, webhook and cert controller on the given nodes', () => {
    const values = valuesOf({
      nodeSelector: { 'karpenter.sh/nodepool': 'default' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'platform', effect: 'NoSchedule' }],
    });
    for (const part of [values, values.webhook, values.certController]) {
      expect(part.nodeSelector).toEqual({ 'karpenter.sh/nodepool': 'default' });
      expect(part.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'platform', effect: 'NoSchedule' }]);
    }
  });

  test('takes a namespace and a service account name', () => {
    const out = release({ namespace: 'eso', serviceAccountName: 'eso-controller' });
    expect(out.namespace).toBe('eso');
    expect(JSON.parse(out.values[0]).serviceAccount.name).toBe('eso-controller');
  });

  test.each<[string, Partial<ExternalSecretsProps>, RegExp]>([
    ['the version floats', { version: 'latest' }, /ExternalSecrets: version is "latest"; use one released chart version MAJOR.MINOR.PATCH/],
    ['the version is a range', { version: '^2.9.0' }, /version is "\^2.9.0"/],
    ['the IRSA annotation holds a user ARN', { serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::326641642924:user/me' } },
      /ExternalSecrets: serviceAccountAnnotations.eks.amazonaws.com\/role-arn is ".*:user\/me"; use one IAM role ARN/],
    ['an annotation key has a space', { serviceAccountAnnotations: { 'role arn': ROLE } }, /serviceAccountAnnotations key is "role arn"; use a Kubernetes qualified name/],
    ['the service account name has capitals', { serviceAccountName: 'ExternalSecrets' }, /serviceAccountName is "ExternalSecrets"; use a Kubernetes object name/],
    ['a toleration has an unknown operator', { tolerations: [{ key: 'dedicated', operator: 'In' }] }, /tolerations\[0\].operator is "In"; use "Equal" or "Exists"/],
  ])('fails when %s', (_name, props, message) => {
    expect(() => release(props)).toThrow(message);
  });

  test('passes the app synth when it fits a NodePool of the cluster', () => {
    const addons = clusterApp();
    new ExternalSecrets(addons, 'ExternalSecrets', PROPS);
    expect(() => Testing.fullSynth(addons)).not.toThrow();
  });

  test('fails the app synth when it selects Fargate in a namespace no Fargate profile selects', () => {
    const addons = clusterApp();
    new ExternalSecrets(addons, 'ExternalSecrets', { ...PROPS, nodeSelector: { 'eks.amazonaws.com/compute-type': 'fargate' } });
    expect(() => Testing.fullSynth(addons)).toThrow(
      /staging-addons\/ExternalSecrets: nodeSelector is .* in namespace "external-secrets"; the external-secrets controller, webhook and cert controller would schedule nowhere in cluster "piksel-staging": give it a NodePool, or a Fargate profile for namespace "external-secrets"/,
    );
  });
});
