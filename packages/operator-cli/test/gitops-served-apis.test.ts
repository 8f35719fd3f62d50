import { componentOfGroup, listsKind, rangeOf, removedFromKubernetes, SERVED_COMPONENTS, servedVersionsOf } from '../src/gitops/served-apis';

function served(chart: string, version: string, apiVersion: string, kind: string): boolean {
  const component = SERVED_COMPONENTS.find((c) => c.chart === chart)!;
  return listsKind(rangeOf(component, version)!.served[apiVersion], kind);
}

describe('the table of served APIs', () => {
  test('maps each group to the component that owns it', () => {
    expect(componentOfGroup('kustomize.toolkit.fluxcd.io')?.name).toBe('Flux');
    expect(componentOfGroup('acme.cert-manager.io')?.name).toBe('cert-manager');
    expect(componentOfGroup('karpenter.k8s.aws')?.name).toBe('Karpenter');
    expect(componentOfGroup('gateway.networking.k8s.io')?.name).toBe('Gateway API');
    expect(componentOfGroup('generators.external-secrets.io')?.name).toBe('External Secrets');
    expect(componentOfGroup('argoproj.io')).toBeUndefined();
  });

  test('Flux 2.8 serves only the GA Kustomization, HelmRelease and sources; 2.7 still served the v1beta2 ones', () => {
    expect(served('flux2', '2.18.3', 'kustomize.toolkit.fluxcd.io/v1', 'Kustomization')).toBe(true);
    expect(served('flux2', '2.18.3', 'kustomize.toolkit.fluxcd.io/v1beta2', 'Kustomization')).toBe(false);
    expect(served('flux2', '2.18.0', 'helm.toolkit.fluxcd.io/v2beta1', 'HelmRelease')).toBe(false);
    expect(served('flux2', '2.18.3', 'source.toolkit.fluxcd.io/v1beta2', 'HelmRepository')).toBe(false);
    expect(served('flux2', '2.18.3', 'source.toolkit.fluxcd.io/v1', 'OCIRepository')).toBe(true);
    const flux27 = rangeOf(SERVED_COMPONENTS[0], '2.17.2')!;
    expect(listsKind(flux27.deprecated!['kustomize.toolkit.fluxcd.io/v1beta2'], 'Kustomization')).toBe(true);
  });

  test('reads a chart version with or without a leading v, and knows no version outside its ranges', () => {
    const gateway = SERVED_COMPONENTS.find((c) => c.name === 'Gateway API')!;
    expect(rangeOf(gateway, 'v1.9.0')?.label).toBe('Gateway API 1.6 (Envoy Gateway 1.9)');
    expect(rangeOf(gateway, '1.5.3')?.label).toBe('Gateway API 1.3 (Envoy Gateway 1.4–1.5)');
    expect(rangeOf(gateway, '1.10.0')).toBeUndefined();
    expect(rangeOf(gateway, 'latest')).toBeUndefined();
  });

  test('Gateway API serves TLSRoute at v1 from Envoy Gateway 1.8, and Envoy Gateway\'s own kinds at v1alpha1', () => {
    expect(served('gateway-crds-helm', 'v1.7.5', 'gateway.networking.k8s.io/v1', 'TLSRoute')).toBe(false);
    expect(served('gateway-crds-helm', 'v1.8.0', 'gateway.networking.k8s.io/v1', 'TLSRoute')).toBe(true);
    expect(served('gateway-crds-helm', 'v1.9.0', 'gateway.envoyproxy.io/v1alpha1', 'EnvoyProxy')).toBe(true);
  });

  test('External Secrets stopped serving v1beta1 in 0.17, and Karpenter v1beta1 in 1.1', () => {
    expect(served('external-secrets', '0.16.2', 'external-secrets.io/v1beta1', 'ExternalSecret')).toBe(true);
    expect(served('external-secrets', '0.17.0', 'external-secrets.io/v1beta1', 'ExternalSecret')).toBe(false);
    expect(served('karpenter-crd', '1.0.9', 'karpenter.sh/v1beta1', 'NodePool')).toBe(true);
    expect(served('karpenter-crd', '1.14.1', 'karpenter.sh/v1beta1', 'NodePool')).toBe(false);
    expect(served('cert-manager', 'v1.21.1', 'cert-manager.io/v1', 'ClusterIssuer')).toBe(true);
  });

  test('names the versions that serve a kind, for the fix', () => {
    const flux = rangeOf(SERVED_COMPONENTS[0], '2.18.3')!;
    expect(servedVersionsOf(flux, 'helm.toolkit.fluxcd.io', 'HelmRelease')).toEqual(['helm.toolkit.fluxcd.io/v2']);
    expect(servedVersionsOf(flux, 'notification.toolkit.fluxcd.io', 'Provider')).toEqual(['notification.toolkit.fluxcd.io/v1beta3']);
  });

  test('knows Kubernetes removals by release', () => {
    expect(removedFromKubernetes('1.24', 'policy/v1beta1', 'PodDisruptionBudget')).toBeUndefined();
    expect(removedFromKubernetes('1.25', 'policy/v1beta1', 'PodDisruptionBudget')?.removedIn).toBe('1.25');
    expect(removedFromKubernetes('1.36', 'storage.k8s.io/v1beta1', 'CSIStorageCapacity')?.removedIn).toBe('1.27');
    expect(removedFromKubernetes('1.36', 'apps/v1', 'Deployment')).toBeUndefined();
  });
});
