import { TerraformStack, Testing, Token } from 'cdktf';
import { checkKubernetesQualifiedName, checkKubernetesLabelValue, checkKubernetesQuantity } from '../src';

describe('Kubernetes checks', () => {
  const s = new TerraformStack(Testing.app(), 'stack');

  test('accept qualified names with and without a prefix, and label values', () => {
    for (const key of ['cpu', 'kubernetes.io/arch', 'nvidia.com/gpu', 'karpenter.k8s.aws/instance-category', 'A_b.c']) {
      expect(() => checkKubernetesQualifiedName(s, 'key', key)).not.toThrow();
    }
    for (const value of ['', 'true', 'amd64', 'v1.2_x']) {
      expect(() => checkKubernetesLabelValue(s, 'value', value)).not.toThrow();
    }
  });

  test.each(['', '-x', 'bad key', 'Example.com/x', 'example.com/', `${'k'.repeat(64)}`, '/x'])('fails when the qualified name is %p', (key) => {
    expect(() => checkKubernetesQualifiedName(s, 'key', key)).toThrow(/^stack: key is ".*"; use a Kubernetes qualified name such as "kubernetes.io\/arch"/);
  });

  test.each(['a b', '-x', 'x-', 'x'.repeat(64)])('fails when the label value is %p', (value) => {
    expect(() => checkKubernetesLabelValue(s, 'value', value)).toThrow(/^stack: value is ".*"; use a label value: at most 63/);
  });

  test('accept a quantity at the minimum, and above an exclusive one', () => {
    expect(() => checkKubernetesQuantity(s, 'cpu', '0')).not.toThrow();
    expect(() => checkKubernetesQuantity(s, 'cpu', '1e3', 1)).not.toThrow();
    expect(() => checkKubernetesQuantity(s, 'cpu', '1m', 0, true)).not.toThrow();
    expect(() => checkKubernetesQuantity(s, 'memory', '+1Gi', 0, true)).not.toThrow();
    expect(() => checkKubernetesQuantity(s, 'cpu', Token.asString({ Ref: 'cpu' }), 0, true)).not.toThrow();
  });

  test.each([['-10'], ['0'], ['0Gi'], ['ten'], ['-0.5m'], ['10 cores']])('fails when a quantity that must be above 0 is %p', (value) => {
    expect(() => checkKubernetesQuantity(s, 'limits.cpu', value, 0, true)).toThrow(/^stack: limits.cpu is ".*"; use a Kubernetes quantity above 0/);
  });

  test('fails when a quantity is negative, even with no minimum given', () => {
    expect(() => checkKubernetesQuantity(s, 'cpu', '-1')).toThrow(/cpu is "-1"; use a Kubernetes quantity of at least 0/);
  });
});
