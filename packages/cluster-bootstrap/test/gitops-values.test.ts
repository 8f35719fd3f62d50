import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { onlyResource, resourcesOf, synth, Synthesized } from '../../secrets/test/util';
import { FluxRelease } from '../src/flux-release';
import { GitOpsValues, GitOpsValuesProps } from '../src/gitops-values';

const KARPENTER_ROLE = 'arn:aws:iam::236122835646:role/piksel-dev-karpenter';
const PROPS: GitOpsValuesProps = {
  clusterName: 'piksel-dev',
  region: 'ap-southeast-3',
  account: '236122835646',
  karpenterRoleArn: KARPENTER_ROLE,
  interruptionQueueName: 'piksel-dev',
};

function build(make: (stack: Construct) => void): Synthesized {
  return synth((stack) => {
    new KubernetesProvider(stack, 'Kubernetes', { host: 'https://example.invalid' });
    new HelmProvider(stack, 'Helm', { kubernetes: { host: 'https://example.invalid' } });
    make(stack);
  });
}

describe('GitOpsValues', () => {
  test('writes the cluster values to ConfigMap cluster-values in flux-system', () => {
    const configMap = onlyResource(build((stack) => new GitOpsValues(stack, 'Values', PROPS)), 'kubernetes_config_map_v1');
    expect(configMap.metadata).toMatchObject({ name: 'cluster-values', namespace: 'flux-system' });
    expect(configMap.data).toEqual({
      clusterName: 'piksel-dev',
      region: 'ap-southeast-3',
      account: '236122835646',
      karpenterRoleArn: KARPENTER_ROLE,
      interruptionQueueName: 'piksel-dev',
    });
    expect(configMap.depends_on).toBeUndefined();
  });

  test('adds the optional role ARNs and extra keys', () => {
    let values: GitOpsValues | undefined;
    const out = build((stack) => {
      values = new GitOpsValues(stack, 'Values', {
        ...PROPS,
        externalDnsRoleArn: 'arn:aws:iam::236122835646:role/piksel-dev-external-dns',
        externalSecretsRoleArn: 'arn:aws:iam::236122835646:role/piksel-dev-external-secrets',
        extra: { environment: 'dev', DOMAIN_NAME: 'dev.piksel.big.go.id', _private: 'x' },
      });
    });
    const data = onlyResource(out, 'kubernetes_config_map_v1').data;
    expect(data).toMatchObject({
      externalDnsRoleArn: 'arn:aws:iam::236122835646:role/piksel-dev-external-dns',
      externalSecretsRoleArn: 'arn:aws:iam::236122835646:role/piksel-dev-external-secrets',
      environment: 'dev',
      DOMAIN_NAME: 'dev.piksel.big.go.id',
      _private: 'x',
    });
    expect(Object.keys(data)).toHaveLength(10);
    expect(values?.data).toEqual(data);
    expect(values?.configMapName).toBe('cluster-values');
  });

  test('with flux: follows its controllers, takes its ConfigMap name, and its sync waits for the ConfigMap', () => {
    const out = build((stack) => {
      const flux = new FluxRelease(stack, 'Flux', { gitRepositoryUrl: 'https://github.com/piksel-ina/piksel-gitops', path: 'clusters/dev', substituteFrom: 'dev-values' });
      new GitOpsValues(stack, 'Values', { ...PROPS, flux });
    });
    const [configMapId, configMap] = Object.entries(resourcesOf(out, 'kubernetes_config_map_v1'))[0];
    const releases = resourcesOf(out, 'helm_release');
    const controllersId = Object.keys(releases).find((id) => id.startsWith('Flux_Controllers'));
    const sync = Object.entries(releases).find(([id]) => id.startsWith('Flux_Sync'))![1];
    expect(configMap.metadata).toMatchObject({ name: 'dev-values', namespace: 'flux-system' });
    expect(configMap.depends_on).toEqual([`helm_release.${controllersId}`]);
    expect(sync.depends_on).toEqual([`helm_release.${controllersId}`, `kubernetes_config_map_v1.${configMapId}`]);
  });

  test('takes a custom name and role ARNs that are tokens', () => {
    const out = build((stack) => new GitOpsValues(stack, 'Values', { ...PROPS, name: 'values', karpenterRoleArn: Token.asString({ Ref: 'arn' }) }));
    expect(onlyResource(out, 'kubernetes_config_map_v1').metadata.name).toBe('values');
  });

  test('fails when the name differs from what flux substitutes from', () => {
    expect(() => build((stack) => {
      const flux = new FluxRelease(stack, 'Flux', { gitRepositoryUrl: 'https://github.com/piksel-ina/piksel-gitops', path: 'clusters/dev' });
      new GitOpsValues(stack, 'Values', { ...PROPS, flux, name: 'other' });
    })).toThrow(/Values: name is "other"; use "cluster-values", the ConfigMap the given Flux substitutes from/);
  });

  test.each<[string, Partial<GitOpsValuesProps>, RegExp]>([
    ['an extra key has a dash', { extra: { 'node-group': 'x' } }, /Values: extra is "node-group"; use keys of letters, digits and _/],
    ['an extra key has a dot', { extra: { 'a.b': 'x' } }, /extra is "a.b"/],
    ['an extra key starts with a digit', { extra: { '1st': 'x' } }, /extra is "1st"/],
    ['an extra key repeats a typed key', { extra: { region: 'us-east-1' } }, /extra.region is "us-east-1"; rename the key/],
    ['a value has a line break', { extra: { note: 'a\nb' } }, /note is "a\\nb"; remove line breaks/],
    ['the region is malformed', { region: 'Jakarta' }, /region is "Jakarta"; use an AWS region code/],
    ['the region is not one AWS has', { region: 'ap-southeast-9' }, /Values: region is "ap-southeast-9"; use an AWS region code/],
    ['the cluster name has a space', { clusterName: 'piksel dev' }, /Values: clusterName is "piksel dev"; use an EKS cluster name/],
    ['the queue is given as a URL', { interruptionQueueName: 'https://sqs.ap-southeast-3.amazonaws.com/236122835646/q' }, /interruptionQueueName is ".*"; use an SQS queue name \(the name, not its ARN or URL\)/],
    ['the account is short', { account: '2361228356' }, /account is "2361228356"; use a 12-digit AWS account ID/],
    ['the Karpenter role ARN is malformed', { karpenterRoleArn: 'piksel-dev-karpenter' }, /karpenterRoleArn is "piksel-dev-karpenter"; use one IAM role ARN/],
    ['the external-dns role ARN is malformed', { externalDnsRoleArn: 'x' }, /externalDnsRoleArn is "x"/],
    ['the external-secrets role ARN is malformed', { externalSecretsRoleArn: 'x' }, /externalSecretsRoleArn is "x"/],
    ['the name is not RFC 1123', { name: 'Cluster_Values' }, /name is "Cluster_Values"; use a Kubernetes object name/],
  ])('fails when %s', (_name, extra, message) => {
    expect(() => build((stack) => new GitOpsValues(stack, 'Values', { ...PROPS, ...extra }))).toThrow(message);
  });
});
