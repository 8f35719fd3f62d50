import { Token } from 'cdktf';
import { validateManifest } from '../../../test/schemas/validate';
import { onlyResource, synth } from '../../secrets/test/util';
import { SecretsManagerStore, SecretsManagerStoreProps } from '../src/secrets-manager-store';

/** The External Secrets chart version whose CRDs the store is written for. */
const CHART_VERSION = '2.9.0';
const PROPS: SecretsManagerStoreProps = { region: 'ap-southeast-3' };

function manifest(props: Partial<SecretsManagerStoreProps> = {}): any {
  const object = onlyResource(synth((stack) => new SecretsManagerStore(stack, 'Store', { ...PROPS, ...props })), 'kubernetes_manifest').manifest;
  expect(validateManifest(object, CHART_VERSION)).toEqual([]);
  return object;
}

describe('SecretsManagerStore', () => {
  test('is a ClusterSecretStore named aws-secrets-manager for Secrets Manager in the region', () => {
    const object = manifest();
    expect(object).toMatchObject({ apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'aws-secrets-manager' } });
    expect(object.spec.provider).toEqual({ aws: { service: 'SecretsManager', region: 'ap-southeast-3' } });
  });

  test('authenticates as the controller itself (no auth block) and serves every namespace by default', () => {
    const object = manifest();
    expect(object.spec.provider.aws.auth).toBeUndefined();
    expect(object.spec.conditions).toBeUndefined();
  });

  test('serves only the namespaces given', () => {
    expect(manifest({ namespaces: ['jupyterhub', 'argo-workflows'] }).spec.conditions).toEqual([{ namespaces: ['jupyterhub', 'argo-workflows'] }]);
  });

  test('takes a name, exposed as storeName, and a region that is a token', () => {
    let store: SecretsManagerStore | undefined;
    synth((stack) => { store = new SecretsManagerStore(stack, 'Store', { ...PROPS, name: 'piksel-secrets' }); });
    expect(store?.storeName).toBe('piksel-secrets');
    expect(manifest({ name: 'piksel-secrets' }).metadata.name).toBe('piksel-secrets');
    expect(() => synth((stack) => new SecretsManagerStore(stack, 'Store', { region: Token.asString({ Ref: 'region' }) }))).not.toThrow();
  });

  test.each<[string, Partial<SecretsManagerStoreProps>, RegExp]>([
    ['the region is not a region', { region: 'ap-southeast-9' }, /Store: region is "ap-southeast-9"; use an AWS region code/],
    ['the name has capitals', { name: 'AwsSecrets' }, /Store: name is "AwsSecrets"; use a Kubernetes object name/],
    ['the namespace list is empty', { namespaces: [] }, /Store: namespaces is \[\]; name at least one namespace, or leave namespaces out/],
    ['a namespace is not a label', { namespaces: ['jupyterhub', 'Argo_Workflows'] }, /Store: namespaces\[1\] is "Argo_Workflows"; use a Kubernetes name/],
  ])('fails when %s', (_name, props, message) => {
    expect(() => synth((stack) => new SecretsManagerStore(stack, 'Store', { ...PROPS, ...props }))).toThrow(message);
  });
});
