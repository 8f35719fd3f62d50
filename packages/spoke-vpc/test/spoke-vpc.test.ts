import { NatStrategy } from '@piksel/network-hub';
import { TerraformStack, Testing } from 'cdktf';
import { resourcesOf, synth } from '../../secrets/test/util';
import { SpokeVpc, SpokeVpcProps } from '../src/spoke-vpc';

const DEV: SpokeVpcProps = { name: 'piksel-dev', cidrBlock: '10.1.0.0/16', region: 'ap-southeast-3' };

function subnets(props: Partial<SpokeVpcProps>): any[] {
  return Object.values(resourcesOf(synth((stack) => {
    new SpokeVpc(stack, 'Spoke', { ...DEV, ...props });
  }), 'aws_subnet'));
}

describe('SpokeVpc', () => {
  test('tags subnets for load balancers and private subnets for Karpenter discovery of its cluster', () => {
    const all = subnets({ clusterName: 'piksel-dev' });
    const publicSubnets = all.filter((s) => s.tags.Name.includes('-public-'));
    const privateSubnets = all.filter((s) => s.tags.Name.includes('-private-'));
    expect(publicSubnets.every((s) => s.tags['kubernetes.io/role/elb'] === '1' && !('karpenter.sh/discovery' in s.tags))).toBe(true);
    expect(privateSubnets.every((s) => s.tags['kubernetes.io/role/internal-elb'] === '1' && s.tags['karpenter.sh/discovery'] === 'piksel-dev')).toBe(true);
    expect(privateSubnets).toHaveLength(2);
  });

  test('keeps subnet tags given alongside the Kubernetes ones', () => {
    const all = subnets({ clusterName: 'piksel-dev', privateSubnetTags: { Tier: 'nodes' } });
    expect(all.filter((s) => s.tags.Tier === 'nodes' && s.tags['karpenter.sh/discovery'])).toHaveLength(2);
  });

  test('adds no Kubernetes tags without a cluster name', () => {
    expect(subnets({}).some((s) => Object.keys(s.tags).some((key) => key.startsWith('kubernetes.io') || key.startsWith('karpenter')))).toBe(false);
  });

  test('is a Vpc: takes the VPC options such as NAT per zone and flow logs', () => {
    const synthesized = synth((stack) => {
      new SpokeVpc(stack, 'Spoke', { ...DEV, maxAzs: 3, natStrategy: NatStrategy.PER_AZ, flowLogs: true, flowLogRetentionDays: 90 });
    });
    expect(Object.keys(resourcesOf(synthesized, 'aws_nat_gateway'))).toHaveLength(3);
    expect(Object.values(resourcesOf(synthesized, 'aws_cloudwatch_log_group'))[0]).toMatchObject({ retention_in_days: 90 });
  });

  test('fails when the cluster name is not an EKS cluster name', () => {
    expect(() => subnets({ clusterName: 'piksel dev' })).toThrow(/Spoke: clusterName is "piksel dev"; use an EKS cluster name/);
  });

  test('fails with the VPC checks, e.g. a zone the region does not offer', () => {
    expect(() => subnets({ availabilityZones: ['ap-southeast-3z'] })).toThrow(/Spoke: availabilityZones is "ap-southeast-3z"; use a zone of ap-southeast-3/);
  });
});

describe('SpokeVpc version record', () => {
  test('records the spoke-vpc and network-hub versions that built the stack', () => {
    const stack = new TerraformStack(Testing.app(), 'dev');
    new SpokeVpc(stack, 'Spoke', DEV);
    const versions = stack.toTerraform()['//'].piksel.libraries;
    expect(Object.keys(versions).sort()).toEqual(['@piksel/network-hub', '@piksel/spoke-vpc']);
    expect(versions['@piksel/spoke-vpc']).toMatch(/^\d+\.\d+\.\d+/);
  });
});
