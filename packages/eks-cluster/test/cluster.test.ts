import { App, TerraformStack, Testing } from 'cdktf';
import { onlyResource, resourcesOf, synth } from '../../secrets/test/util';
import { AccessEntryType, AccessPolicy } from '../src/access-entry';
import { Cluster, ClusterProps, ControlPlaneLogType } from '../src/cluster';
import { EndpointAccess } from '../src/endpoint-access';
import { FargateProfile } from '../src/fargate-profile';
import { KubernetesVersion } from '../src/kubernetes-version';
import { IWorkloadRole, WorkloadIdentity } from '../src/workload-identity';

const VPC = {
  vpcId: 'vpc-0123456789abcdef0',
  vpcCidrBlock: '10.1.0.0/16',
  region: 'ap-southeast-3',
  availabilityZones: ['ap-southeast-3a', 'ap-southeast-3b'],
  publicSubnetIds: ['subnet-pub-a', 'subnet-pub-b'],
  privateSubnetIds: ['subnet-priv-a', 'subnet-priv-b'],
  privateRouteTableIds: ['rtb-a', 'rtb-b'],
  publicRouteTableId: 'rtb-pub',
  clusterName: 'piksel-dev',
  node: { path: 'stack/Vpc' },
};

function props(overrides: Partial<ClusterProps> = {}): ClusterProps {
  return {
    clusterName: 'piksel-dev',
    version: KubernetesVersion.V1_36,
    vpc: VPC as any,
    account: '236122835646',
    region: 'ap-southeast-3',
    ...overrides,
  };
}

function build(overrides: Partial<ClusterProps> = {}, then?: (cluster: Cluster) => void) {
  return synth((stack) => {
    const cluster = new Cluster(stack, 'Cluster', props(overrides));
    then?.(cluster);
  });
}

/**
 * The first trust statement. The IRSA condition keys hold a Terraform template
 * (`${replace(<issuer>, "https://", "")}:sub`) whose quotes are not JSON; it becomes `ISSUER`.
 */
function trustOf(role: any): any {
  return JSON.parse(role.assume_role_policy.replace(/\$\{replace\(.*?, "https:\/\/", ""\)\}/g, 'ISSUER')).Statement[0];
}

describe('Cluster', () => {
  test('runs the control plane in the private subnets, private endpoint only by default', () => {
    const cluster = onlyResource(build(), 'aws_eks_cluster');
    expect(cluster).toMatchObject({ name: 'piksel-dev', version: '1.36' });
    expect(cluster.vpc_config).toMatchObject({ subnet_ids: VPC.privateSubnetIds, endpoint_private_access: true, endpoint_public_access: false });
    expect(cluster.vpc_config.public_access_cidrs).toBeUndefined();
  });

  test('opens the public endpoint only to the CIDRs given', () => {
    const cluster = onlyResource(build({ endpointAccess: EndpointAccess.publicFrom('203.0.113.0/24') }), 'aws_eks_cluster');
    expect(cluster.vpc_config).toMatchObject({ endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] });
  });

  test('envelope-encrypts secrets with a rotating key it creates, which the cluster role may use', () => {
    const synthesized = build();
    expect(onlyResource(synthesized, 'aws_kms_key')).toMatchObject({ enable_key_rotation: true });
    const cluster = onlyResource(synthesized, 'aws_eks_cluster');
    expect(cluster.encryption_config.resources).toEqual(['secrets']);
    expect(cluster.encryption_config.provider.key_arn).toMatch(/aws_kms_key\..*\.arn/);
    const policy = Object.values(resourcesOf(synthesized, 'aws_iam_role_policy')).find((p: any) => p.name === 'secrets-envelope-encryption') as any;
    expect(JSON.parse(policy.policy).Statement[0].Action).toEqual(['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey']);
  });

  test('uses a key passed in instead of creating one', () => {
    const keyArn = 'arn:aws:kms:ap-southeast-3:236122835646:key/0b9f7c1e-8a55-4f7e-9d3a-1c2b3d4e5f60';
    const synthesized = build({ secretsEncryptionKeyArn: keyArn });
    expect(resourcesOf(synthesized, 'aws_kms_key')).toEqual({});
    expect(onlyResource(synthesized, 'aws_eks_cluster').encryption_config.provider.key_arn).toBe(keyArn);
  });

  test('sends all five control-plane logs to a group with retention, created before the cluster', () => {
    const synthesized = build();
    const cluster = onlyResource(synthesized, 'aws_eks_cluster');
    expect(cluster.enabled_cluster_log_types).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    expect(onlyResource(synthesized, 'aws_cloudwatch_log_group')).toMatchObject({ name: '/aws/eks/piksel-dev/cluster', retention_in_days: 90 });
    expect(cluster.depends_on[0]).toMatch(/^aws_cloudwatch_log_group\./);
    const fewer = onlyResource(build({ logTypes: [ControlPlaneLogType.AUDIT], logRetentionDays: 365 }), 'aws_eks_cluster');
    expect(fewer.enabled_cluster_log_types).toEqual(['audit']);
  });

  test('authenticates by access entries only and gives the creator no implicit admin', () => {
    expect(onlyResource(build(), 'aws_eks_cluster').access_config).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
  });

  test('adds access entries with cluster-wide access policies, and EC2_LINUX entries without', () => {
    const synthesized = build({}, (cluster) => {
      cluster.addAccessEntry('Admin', { principalArn: 'arn:aws:iam::236122835646:role/AWSReservedSSO_AdministratorAccess_abc', accessPolicies: [AccessPolicy.CLUSTER_ADMIN] });
      cluster.addAccessEntry('Nodes', { principalArn: 'arn:aws:iam::236122835646:role/piksel-dev-karpenter-node', type: AccessEntryType.EC2_LINUX });
    });
    const entries = Object.values(resourcesOf(synthesized, 'aws_eks_access_entry')) as any[];
    expect(entries.map((e) => e.type).sort()).toEqual(['EC2_LINUX', 'STANDARD']);
    expect(onlyResource(synthesized, 'aws_eks_access_policy_association')).toMatchObject({
      policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      access_scope: { type: 'cluster' },
    });
  });

  test('associates access policies in chosen namespaces and puts the principal in Kubernetes groups', () => {
    const synthesized = build({}, (cluster) => cluster.addAccessEntry('Plan', {
      principalArn: 'arn:aws:iam::236122835646:role/piksel-plan',
      accessPolicies: [AccessPolicy.VIEW],
      namespacedAccessPolicies: [{ policy: AccessPolicy.ADMIN_VIEW, namespaces: ['karpenter', 'flux-system'] }],
      kubernetesGroups: ['piksel-plan-readers'],
    }));
    expect(onlyResource(synthesized, 'aws_eks_access_entry').kubernetes_groups).toEqual(['piksel-plan-readers']);
    const scopes = (Object.values(resourcesOf(synthesized, 'aws_eks_access_policy_association')) as any[])
      .map((a) => [a.policy_arn.split('/').pop(), a.access_scope]).sort();
    expect(scopes).toEqual([
      ['AmazonEKSAdminViewPolicy', { type: 'namespace', namespaces: ['karpenter', 'flux-system'] }],
      ['AmazonEKSViewPolicy', { type: 'cluster' }],
    ]);
  });

  test('fails when a namespaced access policy names no namespace, a bad one, or is also cluster-wide', () => {
    const entry = (options: object) => build({}, (c) => c.addAccessEntry('Plan', { principalArn: 'arn:aws:iam::236122835646:role/piksel-plan', ...options }));
    expect(() => entry({ namespacedAccessPolicies: [{ policy: AccessPolicy.ADMIN_VIEW, namespaces: [] }] }))
      .toThrow(/Plan: namespacedAccessPolicies\[0\].namespaces is \[\]; name at least one namespace/);
    expect(() => entry({ namespacedAccessPolicies: [{ policy: AccessPolicy.ADMIN_VIEW, namespaces: ['Flux'] }] }))
      .toThrow(/namespacedAccessPolicies\[0\].namespaces\[0\] is "Flux"/);
    expect(() => entry({ accessPolicies: [AccessPolicy.ADMIN_VIEW], namespacedAccessPolicies: [{ policy: AccessPolicy.ADMIN_VIEW, namespaces: ['karpenter'] }] }))
      .toThrow(/namespacedAccessPolicies\[0\].policy is "AmazonEKSAdminViewPolicy"; it is associated cluster-wide already/);
    expect(() => entry({ kubernetesGroups: ['system masters'] })).toThrow(/kubernetesGroups\[0\] is "system masters"/);
  });

  test('tags the cluster security group for Karpenter discovery', () => {
    const tag = onlyResource(build(), 'aws_ec2_tag');
    expect(tag).toMatchObject({ key: 'karpenter.sh/discovery', value: 'piksel-dev' });
    expect(tag.resource_id).toMatch(/vpc_config\[0\]\.cluster_security_group_id/);
  });

  test('creates the OIDC provider once, when the first IRSA role needs it', () => {
    const synthesized = build({}, (cluster) => {
      cluster.addServiceAccount('external-dns', 'external-dns-sa');
      cluster.addServiceAccount('external-secrets', 'external-secrets');
    });
    expect(onlyResource(synthesized, 'aws_iam_openid_connect_provider')).toMatchObject({ client_id_list: ['sts.amazonaws.com'] });
  });

  test('pins an IRSA role\'s trust to exactly one service account and the STS audience', () => {
    const synthesized = build({}, (cluster) => cluster.addServiceAccount('external-dns', 'external-dns-sa'));
    const role = Object.values(resourcesOf(synthesized, 'aws_iam_role')).find((r: any) => r.name === 'piksel-dev-external-dns-external-dns-sa') as any;
    const trust = trustOf(role);
    expect(trust.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(trust.Principal.Federated).toMatch(/aws_iam_openid_connect_provider\..*\.arn/);
    expect(Object.keys(trust.Condition)).toEqual(['StringEquals']);
    expect(trust.Condition.StringEquals).toEqual({
      'ISSUER:sub': 'system:serviceaccount:external-dns:external-dns-sa',
      'ISSUER:aud': 'sts.amazonaws.com',
    });
    expect(role.assume_role_policy).toMatch(/\$\{replace\(aws_eks_cluster\..*\.identity\[0\]\.oidc\[0\]\.issuer, "https:\/\/", ""\)\}:sub/);
  });

  test('gives an IRSA role managed and inline policies', () => {
    const synthesized = build({}, (cluster) => {
      const role = cluster.addServiceAccount('kube-system', 'ebs-csi-controller-sa', { managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy'] });
      role.addInlinePolicy('extra', JSON.stringify({ Version: '2012-10-17', Statement: [] }));
    });
    const attachments = Object.values(resourcesOf(synthesized, 'aws_iam_role_policy_attachment')).map((a: any) => a.policy_arn);
    expect(attachments).toContain('arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy');
    expect(Object.values(resourcesOf(synthesized, 'aws_iam_role_policy')).some((p: any) => p.name === 'extra')).toBe(true);
  });

  test('gives a service account a Pod Identity role pinned to this cluster, and its association, when asked', () => {
    let role!: IWorkloadRole;
    const synthesized = build({}, (cluster) => {
      role = cluster.addServiceAccountIdentity('kube-system', 'efs-csi-controller-sa', {
        identity: WorkloadIdentity.POD_IDENTITY, managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy'],
      });
    });
    expect(role.identity).toBe(WorkloadIdentity.POD_IDENTITY);
    expect(role.serviceAccountAnnotations).toEqual({});
    const iamRole = Object.entries(resourcesOf(synthesized, 'aws_iam_role')).find(([, r]: any) => r.name === 'piksel-dev-kube-system-efs-csi-controller-sa')!;
    expect(iamRole[0]).toMatch(/^Cluster_KubeSystemEfsCsiControllerSaServiceAccount_Role_/);
    expect(JSON.parse(iamRole[1].assume_role_policy).Statement[0]).toEqual({
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: {
        StringEquals: {
          'aws:SourceAccount': '236122835646',
          'aws:RequestTag/eks-cluster-arn': expect.stringMatching(/^\$\{aws_eks_cluster\.Cluster_[0-9A-F]{8}\.arn\}$/),
          'aws:RequestTag/kubernetes-namespace': 'kube-system',
          'aws:RequestTag/kubernetes-service-account': 'efs-csi-controller-sa',
        },
      },
    });
    expect(onlyResource(synthesized, 'aws_eks_pod_identity_association')).toMatchObject({
      cluster_name: 'piksel-dev', namespace: 'kube-system', service_account: 'efs-csi-controller-sa', role_arn: `\${aws_iam_role.${iamRole[0]}.arn}`,
    });
  });

  test('gives a service account an IRSA role when asked, the same as addServiceAccount', () => {
    let role!: IWorkloadRole;
    const viaIdentity = build({}, (cluster) => {
      role = cluster.addServiceAccountIdentity('external-dns', 'external-dns-sa', { identity: WorkloadIdentity.IRSA });
    });
    expect(role.identity).toBe(WorkloadIdentity.IRSA);
    expect(Object.keys(role.serviceAccountAnnotations)).toEqual(['eks.amazonaws.com/role-arn']);
    expect(viaIdentity).toEqual(build({}, (cluster) => cluster.addServiceAccount('external-dns', 'external-dns-sa')));
    expect(resourcesOf(viaIdentity, 'aws_eks_pod_identity_association')).toEqual({});
  });

  test('keeps a service account\'s role at one address whichever kind it is, so a switch updates it in place', () => {
    const addressesOf = (identity: WorkloadIdentity) => {
      const synthesized = build({}, (cluster) => cluster.addServiceAccountIdentity('kube-system', 'ebs-csi-controller-sa', {
        identity, managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy'],
      }));
      return ['aws_iam_role', 'aws_iam_role_policy_attachment'].flatMap((type) => Object.keys(resourcesOf(synthesized, type)).filter((name) => name.includes('EbsCsi')));
    };
    expect(addressesOf(WorkloadIdentity.POD_IDENTITY)).toEqual(addressesOf(WorkloadIdentity.IRSA));
    expect(addressesOf(WorkloadIdentity.IRSA)).toHaveLength(2);
  });

  test('allows a Pod Identity role in a namespace whose Fargate profile is narrowed by labels', () => {
    // kube-system runs only CoreDNS (k8s-app=kube-dns) on Fargate; the CSI controllers run on nodes.
    expect(() => build({}, (c) => c.addServiceAccountIdentity('kube-system', 'efs-csi-controller-sa', { identity: WorkloadIdentity.POD_IDENTITY }))).not.toThrow();
  });

  test('runs CoreDNS, Karpenter, Flux and external-dns on Fargate profiles in the private subnets', () => {
    const profiles = Object.values(resourcesOf(build(), 'aws_eks_fargate_profile')) as any[];
    expect(Object.fromEntries(profiles.map((p) => [p.fargate_profile_name, p.selector]))).toEqual({
      'kube-system-coredns': [{ namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }],
      'karpenter': [{ namespace: 'karpenter' }],
      'flux-system': [{ namespace: 'flux-system' }],
      'external-dns': [{ namespace: 'external-dns' }],
    });
    expect(profiles.every((p) => JSON.stringify(p.subnet_ids) === JSON.stringify(VPC.privateSubnetIds))).toBe(true);
  });

  test('creates the cluster after its role\'s policies and destroys it before them', () => {
    const synthesized = build();
    const attachments = Object.entries(resourcesOf(synthesized, 'aws_iam_role_policy_attachment')) as any[];
    const clusterPolicy = attachments.find(([, a]) => a.policy_arn === 'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy')!;
    const [encryption] = Object.entries(resourcesOf(synthesized, 'aws_iam_role_policy')).find(([, p]: any) => p.name === 'secrets-envelope-encryption')!;
    expect(onlyResource(synthesized, 'aws_eks_cluster').depends_on).toEqual(expect.arrayContaining([
      `aws_iam_role_policy_attachment.${clusterPolicy[0]}`,
      `aws_iam_role_policy.${encryption}`,
    ]));
  });

  test('creates every Fargate profile after the pod execution role\'s policy and destroys it before', () => {
    const synthesized = build({}, (c) => c.addFargateProfile('Apps', { profileName: 'apps', selectors: [{ namespace: 'apps' }] }));
    const [attachment] = Object.entries(resourcesOf(synthesized, 'aws_iam_role_policy_attachment'))
      .find(([, a]: any) => a.policy_arn === 'arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy')!;
    const profiles = Object.values(resourcesOf(synthesized, 'aws_eks_fargate_profile')) as any[];
    expect(profiles).toHaveLength(5);
    expect(profiles.every((p) => p.depends_on?.includes(`aws_iam_role_policy_attachment.${attachment}`))).toBe(true);
  });

  test('scopes the Fargate pod execution role to this cluster\'s profiles', () => {
    const role = Object.values(resourcesOf(build(), 'aws_iam_role')).find((r: any) => r.name === 'piksel-dev-fargate-pods') as any;
    expect(trustOf(role)).toMatchObject({
      Principal: { Service: 'eks-fargate-pods.amazonaws.com' },
      Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:eks:ap-southeast-3:236122835646:fargateprofile/piksel-dev/*' } },
    });
  });

  test('installs the add-ons, CoreDNS on Fargate after its profile, vpc-cni with its IRSA role', () => {
    const addons = Object.values(resourcesOf(build({ addonVersions: { 'kube-proxy': 'v1.36.0-eksbuild.1' } }), 'aws_eks_addon')) as any[];
    const byName = Object.fromEntries(addons.map((a) => [a.addon_name, a]));
    expect(Object.keys(byName).sort()).toEqual(['coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
    expect(JSON.parse(byName.coredns.configuration_values)).toEqual({ computeType: 'Fargate' });
    expect(byName.coredns.depends_on[0]).toMatch(/^aws_eks_fargate_profile\..*CoreDnsProfile/);
    expect(byName['vpc-cni'].service_account_role_arn).toMatch(/aws_iam_role\..*KubeSystemAwsNodeServiceAccount.*\.arn/);
    expect(byName['kube-proxy'].addon_version).toBe('v1.36.0-eksbuild.1');
    expect(byName.coredns.addon_version).toBeUndefined();
  });

  test('fails when the cluster name is invalid or too long for its role names', () => {
    expect(() => build({ clusterName: 'piksel dev' })).toThrow(/Cluster: clusterName is "piksel dev"; use an EKS cluster name: 1-100 letters/);
    expect(() => build({ clusterName: 'p'.repeat(52) })).toThrow(/clusterName is "p+"; it makes the Fargate pod execution role name "p+-fargate-pods" \(65 characters, at most 64\); shorten clusterName to at most 51 characters/);
  });

  test('fails when the account, log retention or log types are wrong', () => {
    expect(() => build({ account: '2361' })).toThrow(/Cluster: account is "2361"; use a 12-digit AWS account ID/);
    expect(() => build({ logRetentionDays: 100 })).toThrow(/logRetentionDays is 100; use one of the periods CloudWatch Logs accepts/);
    expect(() => build({ logTypes: [ControlPlaneLogType.API, ControlPlaneLogType.API] })).toThrow(/logTypes is .*; name each log type once/);
  });

  test('fails when a service account is named badly, given a role twice, or its derived role name is too long', () => {
    expect(() => build({}, (c) => c.addServiceAccount('External_DNS', 'sa'))).toThrow(/namespace is "External_DNS"; use a Kubernetes name of 1-63/);
    expect(() => build({}, (c) => c.addServiceAccount('ns', 'Bad Name'))).toThrow(/serviceAccountName is "Bad Name"; use a Kubernetes object name/);
    expect(() => build({}, (c) => c.addServiceAccount('ns', 'sa', { managedPolicyArns: ['AmazonEBSCSIDriverPolicy'] })))
      .toThrow(/managedPolicyArns\[0\] is "AmazonEBSCSIDriverPolicy"; use a managed policy ARN/);
    expect(() => build({}, (c) => c.addServiceAccount('ns', 'sa').addManagedPolicy('arn:aws:iam::aws:role/x'))).toThrow(/policyArn is ".*"; use a managed policy ARN/);
    expect(() => build({}, (c) => {
      c.addServiceAccount('ns', 'sa');
      c.addServiceAccount('ns', 'sa');
    })).toThrow(/service account is "ns\/sa"; it already has a role/);
    expect(() => build({}, (c) => c.addServiceAccount('a-very-long-namespace-name', 'an-even-longer-service-account-name')))
      .toThrow(/namespace is "a-very-long-namespace-name"; it makes roleName "piksel-dev-a-very-long.*" \(73 characters, at most 64\); shorten namespace to at most 17 characters or give roleName/);
  });

  test('fails when a Pod Identity role would serve pods on Fargate, whichever comes first', () => {
    expect(() => build({}, (c) => c.addServiceAccountIdentity('external-dns', 'external-dns-sa', { identity: WorkloadIdentity.POD_IDENTITY })))
      .toThrow(/^stack\/Cluster\/ExternalDnsExternalDnsSaServiceAccount: namespace is "external-dns"; a Fargate profile runs every pod of this namespace, .*use WorkloadIdentity\.IRSA/);
    expect(() => build({ fargateNamespaces: ['argo-workflows'] }, (c) => c.addServiceAccountIdentity('argo-workflows', 'argo-workflows-server', { identity: WorkloadIdentity.POD_IDENTITY })))
      .toThrow(/namespace is "argo-workflows"; a Fargate profile runs every pod/);
    expect(() => build({}, (c) => {
      c.addServiceAccountIdentity('argo-workflows', 'argo-workflows-server', { identity: WorkloadIdentity.POD_IDENTITY });
      c.addFargateProfile('Argo', { profileName: 'argo', selectors: [{ namespace: 'argo-workflows' }] });
    })).toThrow(/^stack\/Cluster: selectors\[\]\.namespace is "argo-workflows"; the Pod Identity role stack\/Cluster\/ArgoWorkflowsArgoWorkflowsServerServiceAccount serves this namespace, .*make that role with WorkloadIdentity\.IRSA/);
    expect(() => build({}, (c) => {
      c.addServiceAccountIdentity('argo-workflows', 'argo-workflows-server', { identity: WorkloadIdentity.POD_IDENTITY });
      c.addFargateProfile('Argo', { profileName: 'argo', selectors: [{ namespace: 'argo-workflows', labels: { 'app.kubernetes.io/component': 'ui' } }] });
    })).not.toThrow();
  });

  test('fails when two profiles select the same namespace whole, or the same selector, naming both', () => {
    expect(() => build({}, (c) => c.addFargateProfile('Karpenter2', { profileName: 'karpenter-2', selectors: [{ namespace: 'karpenter' }] })))
      .toThrow(/^stack\/Cluster\/Karpenter2: selectors\[0\] is "karpenter"; stack\/Cluster\/KarpenterProfile has it already; give the namespace to one Fargate profile of cluster "piksel-dev" \(EKS would run its pods on either\), or narrow one selector with labels/);
    expect(() => build({}, (c) => c.addFargateProfile('Dns', { profileName: 'dns', selectors: [{ namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }] })))
      .toThrow(/Cluster\/Dns: selectors\[0\] is "kube-system\{k8s-app=kube-dns\}"; stack\/Cluster\/CoreDnsProfile has it already/);
    expect(() => build({}, (c) => c.addFargateProfile('Twice', { profileName: 'twice', selectors: [{ namespace: 'apps' }, { namespace: 'apps' }] })))
      .toThrow(/Cluster\/Twice: selectors\[1\] is "apps"; give each selector once/);
    // A namespace narrowed by labels may share its namespace with other narrowed selectors.
    expect(() => build({}, (c) => {
      c.addFargateProfile('Ui', { profileName: 'ui', selectors: [{ namespace: 'argo', labels: { app: 'ui' } }] });
      c.addFargateProfile('Server', { profileName: 'server', selectors: [{ namespace: 'argo', labels: { app: 'server' } }] });
    })).not.toThrow();
  });

  test('fails when a profile in another stack selects a namespace the cluster\'s profile selects, naming both', () => {
    const app = Testing.app();
    const clusterStack = new TerraformStack(app, 'ClusterStack');
    new Cluster(clusterStack, 'Cluster', props());
    const other = new TerraformStack(app, 'OtherStack');
    expect(() => new FargateProfile(other, 'Flux', {
      clusterName: 'piksel-dev',
      profileName: 'flux',
      podExecutionRoleArn: 'arn:aws:iam::236122835646:role/pods',
      subnetIds: ['subnet-priv-a'],
      selectors: [{ namespace: 'flux-system' }],
    })).toThrow(/^OtherStack\/Flux: selectors\[0\] is "flux-system"; ClusterStack\/Cluster\/FluxSystemProfile has it already; give the namespace to one Fargate profile/);
  });

  test('fails when a service account is given a second role of either kind', () => {
    expect(() => build({}, (c) => {
      c.addServiceAccount('argo-workflows', 'argo-workflows-server');
      c.addServiceAccountIdentity('argo-workflows', 'argo-workflows-server', { identity: WorkloadIdentity.POD_IDENTITY });
    })).toThrow(/Cluster: service account is "argo-workflows\/argo-workflows-server"; it already has a role; reuse the role returned the first time/);
    expect(() => build({}, (c) => {
      c.addServiceAccountIdentity('argo-workflows', 'argo-workflows-server', { identity: WorkloadIdentity.POD_IDENTITY });
      c.addServiceAccountIdentity('argo-workflows', 'argo-workflows-server', { identity: WorkloadIdentity.IRSA });
    })).toThrow(/it already has a role/);
  });

  test('fails when two service accounts\' roles of the account take one name', () => {
    expect(() => build({}, (c) => {
      c.addServiceAccount('external-dns', 'external-dns-sa', { roleName: 'piksel-dev-dns' });
      c.addServiceAccountIdentity('argo-workflows', 'argo-workflows-server', { identity: WorkloadIdentity.POD_IDENTITY, roleName: 'piksel-dev-dns' });
    })).toThrow(/stack\/Cluster\/ArgoWorkflowsArgoWorkflowsServerServiceAccount: roleName is "piksel-dev-dns"; stack\/Cluster\/ExternalDnsExternalDnsSaServiceAccount has it already/);
  });

  test('fails when two Fargate profiles share a name, or a selector is invalid', () => {
    expect(() => build({}, (c) => c.addFargateProfile('Again', { profileName: 'karpenter', selectors: [{ namespace: 'karpenter' }] })))
      .toThrow(/Cluster: profileName is "karpenter"; a profile of that name exists/);
    expect(() => build({}, (c) => c.addFargateProfile('Bad', { profileName: 'bad', selectors: [] }))).toThrow(/Bad: selectors is 0; give 1 to 5 selectors/);
    expect(() => build({}, (c) => c.addFargateProfile('Bad', { profileName: 'bad', selectors: [{ namespace: 'Apps' }] }))).toThrow(/selectors\[\]\.namespace is "Apps"/);
    expect(() => build({}, (c) => c.addFargateProfile('Bad', { profileName: '-bad', selectors: [{ namespace: 'apps' }] }))).toThrow(/Bad: profileName is "-bad"; use a Fargate profile name: 1-100/);
    expect(() => build({}, (c) => c.addFargateProfile('Bad', { profileName: 'bad', selectors: [{ namespace: 'apps', labels: { 'bad key': 'x' } }] })))
      .toThrow(/Bad: selectors\[\]\.labels key is "bad key"; use a Kubernetes qualified name/);
    expect(() => build({}, (c) => c.addFargateProfile('Bad', { profileName: 'bad', selectors: [{ namespace: 'apps', labels: { app: 'a b' } }] })))
      .toThrow(/Bad: selectors\[\]\.labels\.app is "a b"; use a label value/);
  });

  test('fails when an access entry has a malformed principal or policies on a node entry', () => {
    expect(() => build({}, (c) => c.addAccessEntry('Bad', { principalArn: 'admin' }))).toThrow(/Bad: principalArn is "admin"; use one IAM role or user ARN/);
    expect(() => build({}, (c) => c.addAccessEntry('Nodes', {
      principalArn: 'arn:aws:iam::236122835646:role/nodes', type: AccessEntryType.EC2_LINUX, accessPolicies: [AccessPolicy.VIEW],
    }))).toThrow(/Nodes: accessPolicies is \["AmazonEKSViewPolicy"\]; a EC2_LINUX entry takes no access policy/);
  });

  test('fails when an add-on version, role or configuration is malformed', () => {
    expect(() => build({}, (c) => c.addAddon('aws-ebs-csi-driver', { serviceAccountRoleArn: 'ebs-csi' }))).toThrow(/serviceAccountRoleArn is "ebs-csi"; use one IAM role ARN/);
    expect(() => build({}, (c) => c.addAddon('aws-ebs-csi-driver', { addonVersion: 'latest' }))).toThrow(/addonVersion is "latest"; use an EKS add-on version/);
    expect(() => build({}, (c) => c.addAddon('aws-ebs-csi-driver', { configurationValues: '{nope' }))).toThrow(/configurationValues is "\{nope"; give a JSON document/);
  });
});

describe('KubernetesVersion and EndpointAccess', () => {
  test('take only well-formed values', () => {
    expect(KubernetesVersion.of('1.37').version).toBe('1.37');
    expect(() => KubernetesVersion.of('1.36.1')).toThrow(/version is "1.36.1"; use a minor version such as "1.36"/);
  });

  test('fails when the version is outside what EKS supports', () => {
    expect(KubernetesVersion.of('1.32').version).toBe('1.32');
    expect(() => KubernetesVersion.of('1.99')).toThrow(/KubernetesVersion.of: version is "1.99"; use a version EKS supports, 1.32 to 1.37 \(1.32 is in extended support until 2027-03-23; see the EKS Kubernetes version calendar/);
    expect(() => KubernetesVersion.of('1.38')).toThrow(/version is "1.38"; use a version EKS supports, 1.32 to 1.37/);
    expect(() => KubernetesVersion.of('1.31')).toThrow(/version is "1.31"; use a version EKS supports/);
  });
});

describe('Cluster endpoint and its VPC', () => {
  test('fails when public CIDRs are missing, malformed or the whole internet', () => {
    expect(() => build({ endpointAccess: EndpointAccess.publicFrom() })).toThrow(/Cluster: endpointAccess is \[\]; name at least one CIDR block/);
    expect(() => build({ endpointAccess: EndpointAccess.publicFrom('300.1.0.0/24') })).toThrow(/endpointAccess.publicCidrs\[0\] is "300.1.0.0\/24"; use an IPv4 CIDR block/);
    expect(() => build({ endpointAccess: EndpointAccess.publicFrom('office') })).toThrow(/endpointAccess.publicCidrs\[0\] is "office"/);
    expect(() => build({ endpointAccess: EndpointAccess.publicFrom('0.0.0.0/0') })).toThrow(/publicCidrs\[0\] is "0.0.0.0\/0"; name the networks .*EndpointAccess.PUBLIC_FROM_ANYWHERE_AND_PRIVATE/);
  });

  test('fails when public CIDRs together cover the internet, or more than a /8, however they are spelled', () => {
    expect(() => build({ endpointAccess: EndpointAccess.publicFrom('0.0.0.0/1', '128.0.0.0/1') })).toThrow(
      /Cluster: endpointAccess.publicCidrs is \["0.0.0.0\/1","128.0.0.0\/1"\]; together they cover 4294967296 addresses \(all of IPv4; at most a \/8's worth, 16777216, may be named\); .*use EndpointAccess.PUBLIC_FROM_ANYWHERE_AND_PRIVATE/);
    expect(() => build({ endpointAccess: EndpointAccess.publicFrom('10.0.0.0/7') })).toThrow(/together they cover 33554432 addresses \(0.8% of IPv4/);
    // Overlapping blocks count once: a /8 named twice, and a /24 inside it, are still a /8.
    const cluster = onlyResource(build({ endpointAccess: EndpointAccess.publicFrom('11.0.0.0/8', '11.0.0.0/8', '11.1.2.0/24') }), 'aws_eks_cluster');
    expect(cluster.vpc_config.public_access_cidrs).toEqual(['11.0.0.0/8', '11.0.0.0/8', '11.1.2.0/24']);
  });

  test('opens the public endpoint to everyone only through the deliberately named option', () => {
    const cluster = onlyResource(build({ endpointAccess: EndpointAccess.PUBLIC_FROM_ANYWHERE_AND_PRIVATE }), 'aws_eks_cluster');
    expect(cluster.vpc_config).toMatchObject({ endpoint_public_access: true, public_access_cidrs: ['0.0.0.0/0'] });
  });

  test('admits a security group or a CIDR block to the API on 443 only', () => {
    const stack = build({}, (c) => {
      c.admitSecurityGroupToApi('RunnerApiAccess', 'sg-0123456789abcdef0', 'in-VPC runner');
      c.admitCidrToApi('VpnApiAccess', '10.9.0.0/16', 'VPN');
    });
    const rules = Object.values(resourcesOf(stack, 'aws_vpc_security_group_ingress_rule')) as any[];
    expect(rules).toHaveLength(2);
    for (const rule of rules) {
      expect(rule).toMatchObject({ ip_protocol: 'tcp', from_port: 443, to_port: 443 });
      expect(rule.security_group_id).toMatch(/vpc_config\[0\]\.cluster_security_group_id/);
    }
    expect(rules.map((rule) => rule.referenced_security_group_id ?? rule.cidr_ipv4).sort()).toEqual(['10.9.0.0/16', 'sg-0123456789abcdef0']);
  });

  test('fails when a CIDR admitted to the API is malformed or the whole internet', () => {
    expect(() => build({}, (c) => c.admitCidrToApi('Any', '0.0.0.0/0', 'x'))).toThrow(/cidrBlock is "0.0.0.0\/0"; admit the network that needs the API/);
    expect(() => build({}, (c) => c.admitCidrToApi('Bad', '10.1.0.1/16', 'x'))).toThrow(/cidrBlock is "10.1.0.1\/16"; use an IPv4 CIDR block/);
  });

  test('fails when the region or the cluster name disagrees with its VPC', () => {
    expect(() => build({ region: 'ap-southeast-1' })).toThrow(/Cluster: region is "ap-southeast-1"; the VPC stack\/Vpc is in ap-southeast-3/);
    expect(() => build({ clusterName: 'piksel-staging' })).toThrow(/Cluster: clusterName is "piksel-staging"; the VPC stack\/Vpc tags its subnets for cluster "piksel-dev"/);
    expect(() => build({ region: 'ap-southeast-33' })).toThrow(/region is "ap-southeast-33"; use an AWS region code/);
  });

  test('runs only the Fargate profiles chosen, CoreDNS always', () => {
    const profiles = Object.values(resourcesOf(build({ fargateNamespaces: ['karpenter'] }), 'aws_eks_fargate_profile')) as any[];
    expect(profiles.map((p) => p.fargate_profile_name).sort()).toEqual(['karpenter', 'kube-system-coredns']);
    expect(() => build({ fargateNamespaces: ['Flux'] })).toThrow(/fargateNamespaces\[0\] is "Flux"/);
  });

  test('fails when another cluster of the app writes to its control-plane log group, in whatever stack', () => {
    const app = new App();
    new Cluster(new TerraformStack(app, 'dev'), 'Cluster', props());
    expect(() => new Cluster(new TerraformStack(app, 'dev-copy'), 'Cluster', props())).toThrow(
      /^dev-copy\/Cluster: the control-plane log group is "\/aws\/eks\/piksel-dev\/cluster"; dev\/Cluster has it already; log group names are unique in an account and region; give one of the two its own clusterName$/);
  });
});
