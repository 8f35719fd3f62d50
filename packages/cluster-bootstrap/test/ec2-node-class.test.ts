import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { onlyResource, synth } from '../../secrets/test/util';
import { AmiPolicy, Ec2NodeClass, Ec2NodeClassProps } from '../src/ec2-node-class';

const PROPS: Ec2NodeClassProps = { clusterName: 'piksel-dev', nodeRoleName: 'KarpenterNodeRole-piksel-dev' };

function manifestOf(build: (stack: Construct) => void): any {
  const out = synth((stack) => {
    new KubernetesProvider(stack, 'Kubernetes', { host: 'https://example.invalid' });
    build(stack);
  });
  return onlyResource(out, 'kubernetes_manifest').manifest;
}

describe('Ec2NodeClass', () => {
  test('renders a karpenter.k8s.aws/v1 EC2NodeClass named default for AL2023', () => {
    const manifest = manifestOf((stack) => new Ec2NodeClass(stack, 'NodeClass', PROPS));
    expect(manifest).toMatchObject({ apiVersion: 'karpenter.k8s.aws/v1', kind: 'EC2NodeClass', metadata: { name: 'default' } });
    expect(manifest.spec.role).toBe('KarpenterNodeRole-piksel-dev');
    expect(manifest.spec.amiSelectorTerms).toEqual([{ alias: 'al2023@latest' }]);
  });

  test('discovers subnets and security groups by the karpenter.sh/discovery tag', () => {
    const { spec } = manifestOf((stack) => new Ec2NodeClass(stack, 'NodeClass', PROPS));
    expect(spec.subnetSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': 'piksel-dev' } }]);
    expect(spec.securityGroupSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': 'piksel-dev' } }]);
  });

  test('requires IMDSv2 with a hop limit of 1 and no IPv6 endpoint', () => {
    const { spec } = manifestOf((stack) => new Ec2NodeClass(stack, 'NodeClass', PROPS));
    expect(spec.metadataOptions).toEqual({ httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' });
  });

  test('gives nodes an encrypted 100Gi gp3 root volume deleted with the instance', () => {
    const { spec } = manifestOf((stack) => new Ec2NodeClass(stack, 'NodeClass', PROPS));
    expect(spec.blockDeviceMappings).toEqual([{
      deviceName: '/dev/xvda',
      ebs: { volumeSize: '100Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true },
    }]);
    expect(spec.tags).toBeUndefined();
  });

  test('accepts a name, a pinned alias, a volume size, a hop limit and tags', () => {
    const manifest = manifestOf((stack) => new Ec2NodeClass(stack, 'NodeClass', {
      ...PROPS, name: 'gpu', amiAlias: 'al2023@v20240807', rootVolumeSize: '200Gi', httpPutResponseHopLimit: 2, tags: { Team: 'devops' },
    }));
    expect(manifest.metadata.name).toBe('gpu');
    expect(manifest.spec.amiSelectorTerms).toEqual([{ alias: 'al2023@v20240807' }]);
    expect(manifest.spec.blockDeviceMappings[0].ebs.volumeSize).toBe('200Gi');
    expect(manifest.spec.metadataOptions.httpPutResponseHopLimit).toBe(2);
    expect(manifest.spec.tags).toEqual({ Team: 'devops' });
  });

  test('exposes its name for NodePools', () => {
    let nodeClass: Ec2NodeClass | undefined;
    manifestOf((stack) => { nodeClass = new Ec2NodeClass(stack, 'NodeClass', { ...PROPS, name: 'batch' }); });
    expect(nodeClass?.nodeClassName).toBe('batch');
  });

  test('skips checking a node role name that is a token', () => {
    const manifest = manifestOf((stack) => new Ec2NodeClass(stack, 'NodeClass', { ...PROPS, nodeRoleName: Token.asString({ Ref: 'role' }) }));
    expect(manifest.kind).toBe('EC2NodeClass');
  });

  test('takes a pinned release when amiPolicy is PINNED_ONLY', () => {
    const { spec } = manifestOf((stack) => new Ec2NodeClass(stack, 'NodeClass', { ...PROPS, amiAlias: 'al2023@v20260818', amiPolicy: AmiPolicy.PINNED_ONLY }));
    expect(spec.amiSelectorTerms).toEqual([{ alias: 'al2023@v20260818' }]);
  });

  test.each<[string, Partial<Ec2NodeClassProps>, RegExp]>([
    ['@latest is given and amiPolicy is PINNED_ONLY', { amiAlias: 'al2023@latest', amiPolicy: AmiPolicy.PINNED_ONLY },
      /NodeClass: amiAlias is "al2023@latest"; pin an AMI release such as "al2023@v20260818"/],
    ['no alias is given and amiPolicy is PINNED_ONLY (the default follows @latest)', { amiPolicy: AmiPolicy.PINNED_ONLY }, /amiAlias is "al2023@latest"; pin an AMI release/],
    ['the name is not RFC 1123', { name: 'Default' }, /NodeClass: name is "Default"; use a Kubernetes object name: lower-case/],
    ['the cluster name is empty', { clusterName: ' ' }, /clusterName is " "; use an EKS cluster name/],
    ['the cluster name has a dot', { clusterName: 'piksel.dev' }, /NodeClass: clusterName is "piksel.dev"; use an EKS cluster name/],
    ['the node role is an ARN', { nodeRoleName: 'arn:aws:iam::236122835646:role/node' }, /nodeRoleName is ".*"; use an IAM role name \(the name, not its ARN\)/],
    ['the alias is bottlerocket', { amiAlias: 'bottlerocket@latest' }, /amiAlias is "bottlerocket@latest"; use "al2023@latest"/],
    ['the alias has no version', { amiAlias: 'al2023' }, /amiAlias is "al2023"/],
    ['the volume size is in G', { rootVolumeSize: '100G' }, /rootVolumeSize is "100G"; use whole GiB/],
    ['the volume size is too large', { rootVolumeSize: '60000Gi' }, /rootVolumeSize is "60000Gi"/],
    ['the hop limit is 0', { httpPutResponseHopLimit: 0 }, /httpPutResponseHopLimit is 0; use a whole number of hops from 1 to 64/],
  ])('fails when %s', (_name, extra, message) => {
    expect(() => manifestOf((stack) => new Ec2NodeClass(stack, 'NodeClass', { ...PROPS, ...extra }))).toThrow(message);
  });
});
