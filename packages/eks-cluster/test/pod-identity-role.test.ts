import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { DataBucket } from '../../data-stores/src/data-bucket';
import { SecretKind } from '../../secrets/src/secret-kind';
import { TaggedSecret } from '../../secrets/src/tagged-secret';
import { onlyResource, resourcesOf, Synthesized, synth } from '../../secrets/test/util';
import { PodIdentityRole, PodIdentityRoleProps } from '../src/pod-identity-role';
import { ServiceAccountRole } from '../src/service-account';
import { IWorkloadRole, WorkloadIdentity } from '../src/workload-identity';

const ACCOUNT = '522783511350';
const REGION = 'ap-southeast-3';
const CLUSTER_ARN = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/piksel-production`;
const EFS_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonEFSCSIDriverPolicy';

/** The production EFS CSI controller, which the estate gives a Pod Identity role (DESIGN §8). */
const EFS_CONTROLLER: PodIdentityRoleProps = {
  clusterName: 'piksel-production',
  account: ACCOUNT,
  region: REGION,
  namespace: 'kube-system',
  serviceAccountName: 'efs-csi-controller-sa',
};

function build(overrides: Partial<PodIdentityRoleProps> = {}, then?: (role: PodIdentityRole, stack: TerraformStack) => void): Synthesized {
  return synth((stack) => {
    const role = new PodIdentityRole(stack, 'EfsCsiController', { ...EFS_CONTROLLER, ...overrides });
    then?.(role, stack);
  });
}

function irsaRole(stack: TerraformStack): ServiceAccountRole {
  return new ServiceAccountRole(stack, 'ExternalSecrets', {
    clusterName: 'piksel-production',
    oidcProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.${REGION}.amazonaws.com/id/EXAMPLE`,
    oidcIssuerUrl: `https://oidc.eks.${REGION}.amazonaws.com/id/EXAMPLE`,
    namespace: 'external-secrets',
    serviceAccountName: 'external-secrets',
  });
}

function roleOf(synthesized: Synthesized): any {
  return onlyResource(synthesized, 'aws_iam_role');
}

describe('PodIdentityRole', () => {
  test('trusts EKS Pod Identity only for this account, cluster, namespace and service account', () => {
    const role = roleOf(build());
    expect(role.name).toBe('piksel-production-kube-system-efs-csi-controller-sa');
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: {
            'aws:SourceAccount': ACCOUNT,
            'aws:RequestTag/eks-cluster-arn': CLUSTER_ARN,
            'aws:RequestTag/kubernetes-namespace': 'kube-system',
            'aws:RequestTag/kubernetes-service-account': 'efs-csi-controller-sa',
          },
        },
      }],
    });
  });

  test('associates the service account with the role in the cluster', () => {
    const association = onlyResource(build(), 'aws_eks_pod_identity_association');
    expect(association).toMatchObject({ cluster_name: 'piksel-production', namespace: 'kube-system', service_account: 'efs-csi-controller-sa' });
    expect(association.role_arn).toMatch(/^\$\{aws_iam_role\.EfsCsiController_Role_[0-9A-F]{8}\.arn\}$/);
  });

  test('pins the cluster ARN given, e.g. the cluster resource\'s attribute', () => {
    const role = roleOf(build({ clusterArn: '${aws_eks_cluster.Cluster.arn}' }));
    expect(JSON.parse(role.assume_role_policy).Statement[0].Condition.StringEquals['aws:RequestTag/eks-cluster-arn']).toBe('${aws_eks_cluster.Cluster.arn}');
  });

  test('takes a role name, managed policies (each once) and inline policies', () => {
    const synthesized = build({ roleName: 'piksel-production-efs-csi', managedPolicyArns: [EFS_POLICY] }, (role) => {
      role.addManagedPolicy(EFS_POLICY);
      role.addInlinePolicy('describe-az', JSON.stringify({ Version: '2012-10-17', Statement: [] }));
    });
    expect(roleOf(synthesized).name).toBe('piksel-production-efs-csi');
    expect(Object.values(resourcesOf(synthesized, 'aws_iam_role_policy_attachment')).map((a: any) => a.policy_arn)).toEqual([EFS_POLICY]);
    expect(onlyResource(synthesized, 'aws_iam_role_policy')).toMatchObject({ name: 'describe-az', role: expect.stringMatching(/aws_iam_role\..*\.name/) });
  });

  test('asks the service account for no annotation; an IRSA role asks for its role-arn annotation', () => {
    let podIdentity!: IWorkloadRole;
    let irsa!: IWorkloadRole;
    synth((stack) => {
      podIdentity = new PodIdentityRole(stack, 'EfsCsiController', EFS_CONTROLLER);
      irsa = irsaRole(stack);
    });
    expect(podIdentity.identity).toBe(WorkloadIdentity.POD_IDENTITY);
    expect(podIdentity.serviceAccountAnnotations).toEqual({});
    expect(irsa.identity).toBe(WorkloadIdentity.IRSA);
    expect(Object.keys(irsa.serviceAccountAnnotations)).toEqual(['eks.amazonaws.com/role-arn']);
    expect(irsa.serviceAccountAnnotations['eks.amazonaws.com/role-arn']).toBe(irsa.roleArn);
  });

  test('is a grantee of secrets and bucket grants, as an IRSA role is: granteeRoleName is the role\'s name', () => {
    const stack = new TerraformStack(Testing.app(), 'production');
    const roles = [new PodIdentityRole(stack, 'EfsCsiController', EFS_CONTROLLER), irsaRole(stack)];
    const secret = new TaggedSecret(stack, 'Grafana', { kind: SecretKind.OAUTH_CLIENT, service: 'grafana', environment: 'production', tenant: 'Cognito' });
    const bucket = new DataBucket(stack, 'Artifacts', { environment: 'production', purpose: 'argo-artifacts' });
    roles.forEach((role, index) => {
      secret.grantRead(role);
      bucket.grantRead(role);
      new TerraformOutput(stack, `grantee${index}`, { value: role.granteeRoleName });
    });
    const synthesized = JSON.parse(Testing.synth(stack));
    const roleRefs = Object.keys(resourcesOf(synthesized, 'aws_iam_role')).map((name) => `\${aws_iam_role.${name}.name}`);
    expect([synthesized.output.grantee0.value, synthesized.output.grantee1.value]).toEqual(roleRefs);
    const grants = Object.values(resourcesOf(synthesized, 'aws_iam_role_policy')).map((p: any) => p.role);
    expect(grants.sort()).toEqual([...roleRefs, ...roleRefs].sort());
  });

  test('fails when its namespace runs on Fargate', () => {
    expect(() => build({ namespace: 'karpenter', serviceAccountName: 'karpenter', fargateNamespaces: ['karpenter', 'flux-system'] }))
      .toThrow(/^stack\/EfsCsiController: namespace is "karpenter"; a Fargate profile runs every pod of this namespace, .*use WorkloadIdentity\.IRSA/);
    expect(() => build({ fargateNamespaces: ['karpenter'] })).not.toThrow();
  });

  test('fails when a name is invalid or the derived role name is too long', () => {
    expect(() => build({ namespace: 'Kube_System' })).toThrow(/EfsCsiController: namespace is "Kube_System"; use a Kubernetes name/);
    expect(() => build({ serviceAccountName: 'Efs SA' })).toThrow(/serviceAccountName is "Efs SA"; use a Kubernetes object name/);
    expect(() => build({ clusterName: 'piksel production' })).toThrow(/clusterName is "piksel production"/);
    expect(() => build({ account: '5227835113' })).toThrow(/account is "5227835113"/);
    expect(() => build({ region: 'jakarta' })).toThrow(/region is "jakarta"/);
    expect(() => build({ managedPolicyArns: ['AmazonEFSCSIDriverPolicy'] })).toThrow(/managedPolicyArns\[0\] is "AmazonEFSCSIDriverPolicy"; use a managed policy ARN/);
    expect(() => build({}, (role) => role.addInlinePolicy('a policy', '{}'))).toThrow(/inline policy name is "a policy"; use an IAM policy name/);
    expect(() => build({}, (role) => {
      role.addInlinePolicy('extra', '{}');
      role.addInlinePolicy('extra', '{}');
    })).toThrow(/inline policy name is "extra"; each inline policy needs its own name/);
    expect(() => build({ namespace: 'a-rather-long-namespace-name', serviceAccountName: 'an-even-longer-service-account' }))
      .toThrow(/namespace is "a-rather-long-namespace-name"; it makes roleName "piksel-production-a-rather.*" \(77 characters, at most 64\); shorten namespace to at most 15 characters or give roleName/);
  });

  test('fails when two roles of one account take one name, or a service account gets a second association, in any stacks of the app', () => {
    const app = Testing.app();
    new PodIdentityRole(new TerraformStack(app, 'production'), 'EfsCsiController', EFS_CONTROLLER);
    const data = new TerraformStack(app, 'production-data');
    expect(() => new PodIdentityRole(data, 'Other', { ...EFS_CONTROLLER, serviceAccountName: 'other', roleName: 'piksel-production-kube-system-efs-csi-controller-sa' }))
      .toThrow(/^production-data\/Other: roleName is "piksel-production-kube-system-efs-csi-controller-sa"; production\/EfsCsiController has it already; IAM role names are unique/);
    expect(() => new PodIdentityRole(data, 'Again', { ...EFS_CONTROLLER, roleName: 'piksel-production-efs-again' }))
      .toThrow(/^production-data\/Again: serviceAccountName is "kube-system\/efs-csi-controller-sa"; production\/EfsCsiController has it already; a service account has one Pod Identity association/);
    // Another account, or another cluster, is another name space.
    expect(() => new PodIdentityRole(data, 'Staging', { ...EFS_CONTROLLER, account: '326641642924' })).not.toThrow();
  });
});
