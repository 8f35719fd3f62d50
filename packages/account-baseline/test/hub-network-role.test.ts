import { Naming } from '@piksel/core';
import { TerraformStack, Testing } from 'cdktf';
import { onlyResource, policyOf, resourcesOf, synth, Synthesized } from '../../secrets/test/util';
import { HubNetworkRole, HubNetworkRoleProps, StateBucket } from '../src';

const DEV = { environment: 'dev', account: '236122835646', routingDomain: 'nonprod' };
const ATTACHMENTS = 'arn:aws:ec2:*:$${aws:PrincipalAccount}:transit-gateway-attachment/*';
const ROUTE_TABLES = 'arn:aws:ec2:*:$${aws:PrincipalAccount}:transit-gateway-route-table/*';

function build(props: Partial<HubNetworkRoleProps> = {}): Synthesized {
  return synth((stack) => new HubNetworkRole(stack, 'Network', {
    spoke: DEV,
    spokeDeployRoleName: 'piksel-deploy',
    stateBucket: StateBucket.fromBucketName(stack, 'State', 'piksel-hub-tfstate'),
    stateObjectKey: 'hub/terraform.tfstate',
    ...props,
  }));
}

/** The statements of the role's one inline policy, by Sid. */
function statements(out: Synthesized): Record<string, any> {
  return Object.fromEntries(policyOf(onlyResource(out, 'aws_iam_role_policy')).Statement.map((s: any) => [s.Sid, s]));
}

describe('HubNetworkRole', () => {
  test('is named after the spoke and trusted by the spoke account\'s deploy role only, by account and principal ARN', () => {
    const role = onlyResource(build(), 'aws_iam_role');
    expect(role).toMatchObject({ name: 'piksel-dev-hub-network', max_session_duration: 3600 });
    expect(policyOf({ policy: role.assume_role_policy }).Statement).toEqual([{
      Sid: 'SpokeDeployRole',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::236122835646:root' },
      Action: 'sts:AssumeRole',
      Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::236122835646:role/piksel-deploy' } },
    }]);
  });

  test('holds one inline policy and no managed policy, both sets exclusive', () => {
    const out = build();
    expect(resourcesOf(out, 'aws_iam_role_policy_attachment')).toEqual({});
    expect(onlyResource(out, 'aws_iam_role_policy_attachments_exclusive').policy_arns).toEqual([]);
    expect(onlyResource(out, 'aws_iam_role_policy').name).toBe('hub-network');
    expect(onlyResource(out, 'aws_iam_role_policies_exclusive').policy_names).toEqual([expect.stringMatching(/aws_iam_role_policy\..*\.name\}$/)]);
  });

  test('accepts attachments, then claims an untagged one for the spoke and acts only on attachments the spoke owns', () => {
    const s = statements(build());
    expect(s.AcceptAttachments).toEqual({ Sid: 'AcceptAttachments', Effect: 'Allow', Action: 'ec2:AcceptTransitGatewayVpcAttachment', Resource: ATTACHMENTS });
    expect(s.ClaimUntaggedAttachments).toMatchObject({
      Action: 'ec2:CreateTags',
      Resource: ATTACHMENTS,
      Condition: { Null: { 'aws:ResourceTag/Name': 'true', 'aws:ResourceTag/piksel:spoke': 'true' }, StringEquals: { 'aws:RequestTag/piksel:spoke': 'dev' } },
    });
    expect(s.TagOwnAttachments.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/piksel:spoke': 'dev' }, StringEqualsIfExists: { 'aws:RequestTag/piksel:spoke': 'dev' } });
    expect(s.UntagOwnAttachments).toEqual({
      Sid: 'UntagOwnAttachments',
      Effect: 'Allow',
      Action: 'ec2:DeleteTags',
      Resource: ATTACHMENTS,
      Condition: {
        'StringEquals': { 'aws:ResourceTag/piksel:spoke': 'dev' },
        'Null': { 'aws:TagKeys': 'false' },
        'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['piksel:spoke'] },
      },
    });
    expect(s.RouteAndDeleteOwnAttachments).toMatchObject({ Resource: ATTACHMENTS, Condition: { StringEquals: { 'aws:ResourceTag/piksel:spoke': 'dev' } } });
    expect(s.RouteAndDeleteOwnAttachments.Action).toEqual([
      'ec2:AssociateTransitGatewayRouteTable', 'ec2:DisassociateTransitGatewayRouteTable',
      'ec2:EnableTransitGatewayRouteTablePropagation', 'ec2:DisableTransitGatewayRouteTablePropagation',
      'ec2:DeleteTransitGatewayVpcAttachment',
    ]);
  });

  test('associates with its own domain\'s route table only and propagates into shared only, with the undo actions', () => {
    const s = statements(build());
    expect(s.AssociateWithOwnDomainOnly).toEqual({
      Sid: 'AssociateWithOwnDomainOnly',
      Effect: 'Allow',
      Action: ['ec2:AssociateTransitGatewayRouteTable', 'ec2:DisassociateTransitGatewayRouteTable'],
      Resource: ROUTE_TABLES,
      Condition: { StringEquals: { 'aws:ResourceTag/piksel:routing-domain': 'nonprod' } },
    });
    expect(s.PropagateIntoSharedOnly).toEqual({
      Sid: 'PropagateIntoSharedOnly',
      Effect: 'Allow',
      Action: ['ec2:EnableTransitGatewayRouteTablePropagation', 'ec2:DisableTransitGatewayRouteTablePropagation'],
      Resource: ROUTE_TABLES,
      Condition: { StringEquals: { 'aws:ResourceTag/piksel:routing-domain': 'shared' } },
    });
  });

  test('authorizes zone associations, reads what Terraform refreshes and the hub state object, and nothing else', () => {
    const s = statements(build());
    expect(Object.keys(s)).toEqual([
      'AcceptAttachments', 'ClaimUntaggedAttachments', 'TagOwnAttachments', 'UntagOwnAttachments', 'RouteAndDeleteOwnAttachments',
      'AssociateWithOwnDomainOnly', 'PropagateIntoSharedOnly', 'DescribeTransitGateways', 'ReadRouteTables',
      'AuthorizeZoneAssociations', 'ReadZones', 'ListHubStateBucket', 'ReadHubState',
    ]);
    expect(s.AuthorizeZoneAssociations).toMatchObject({
      Action: ['route53:CreateVPCAssociationAuthorization', 'route53:DeleteVPCAssociationAuthorization'],
      Resource: 'arn:aws:route53:::hostedzone/*',
    });
    expect(s.ListHubStateBucket).toMatchObject({ Action: 's3:ListBucket', Resource: 'arn:aws:s3:::piksel-hub-tfstate' });
    expect(s.ReadHubState).toMatchObject({ Action: 's3:GetObject', Resource: 'arn:aws:s3:::piksel-hub-tfstate/hub/terraform.tfstate' });
    const actions = Object.values(s).flatMap((statement: any) => [statement.Action].flat());
    expect(actions.every((action) => /^(ec2|route53|s3):[A-Za-z]+$/.test(action))).toBe(true);
    expect(Object.values(s).every((statement: any) => statement.Effect === 'Allow')).toBe(true);
    // Only the Describe* actions, which take no resource, are granted on every resource.
    expect(Object.values(s).filter((statement: any) => statement.Resource === '*').map((statement: any) => statement.Sid)).toEqual(['DescribeTransitGateways']);
  });

  test('uses the app\'s naming prefix for its name and both tag keys', () => {
    const app = Testing.app();
    Naming.configure(app, { prefix: 'acme' });
    const stack = new TerraformStack(app, 'Hub');
    new HubNetworkRole(stack, 'Network', {
      spoke: { environment: 'test', account: '111122223333', routingDomain: 'lab' },
      spokeDeployRoleName: 'acme-deploy',
      stateBucket: StateBucket.fromBucketName(stack, 'State', 'acme-hub-tfstate'),
      stateObjectKey: 'core/terraform.tfstate',
      sharedDomain: 'core',
    });
    const out: Synthesized = JSON.parse(Testing.synth(stack));
    expect(onlyResource(out, 'aws_iam_role').name).toBe('acme-test-hub-network');
    const s = statements(out);
    expect(s.AssociateWithOwnDomainOnly.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/acme:routing-domain': 'lab' } });
    expect(s.PropagateIntoSharedOnly.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/acme:routing-domain': 'core' } });
    expect(s.RouteAndDeleteOwnAttachments.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/acme:spoke': 'test' } });
    expect(HubNetworkRole.spokeTagKey(stack)).toBe('acme:spoke');
    expect(HubNetworkRole.routingDomainTagKey(stack)).toBe('acme:routing-domain');
    expect(HubNetworkRole.roleNameFor(stack, 'test')).toBe('acme-test-hub-network');
  });

  test.each([
    ['spoke.environment', { spoke: { ...DEV, environment: 'Dev' } }, /Network: spoke\.environment is "Dev"; use lower-case kebab-case/],
    ['spoke.account', { spoke: { ...DEV, account: '2361228356' } }, /Network: spoke\.account is "2361228356"; use a 12-digit AWS account ID/],
    ['spoke.routingDomain', { spoke: { ...DEV, routingDomain: 'shared' } }, /Network: spoke\.routingDomain is "shared"; name the spoke's own domain/],
    ['spoke.routingDomain', { spoke: { ...DEV, routingDomain: 'non_prod' } }, /Network: spoke\.routingDomain is "non_prod"/],
    ['spokeDeployRoleName', { spokeDeployRoleName: 'piksel deploy' }, /Network: spokeDeployRoleName is "piksel deploy"; use an IAM role name/],
  ])('fails when %s is invalid', (_field, bad, message) => {
    expect(() => build(bad)).toThrow(message);
  });
});
