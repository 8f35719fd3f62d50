/* eslint-disable */ // README example: compiled and run by test/outside-consumer.test.ts against the packed libraries, not in this workspace.
import { stack } from '../scope';

// #region README
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { NatStrategy } from '@piksel/network-hub';
import { HubState, SpokeVpc } from '@piksel/spoke-vpc';
import { DataTerraformRemoteStateS3 } from 'cdktf';

const hubProvider = new AwsProvider(stack, 'HubAws', {
  alias: 'hub', region: 'ap-southeast-3',
  assumeRole: [{ roleArn: 'arn:aws:iam::686410905891:role/piksel-deploy' }],
});
// The hub's contract (HubOutputs of @piksel/network-hub), read from its state in one call.
const hubState = new DataTerraformRemoteStateS3(stack, 'HubState', {
  bucket: 'piksel-hub-tfstate', key: 'hub/terraform.tfstate', region: 'ap-southeast-3',
});
const { hub, domain: nonprod } = new HubState(stack, 'Hub', {
  remoteState: hubState, hubCidrBlock: '10.0.0.0/16', region: 'ap-southeast-3', domainName: 'nonprod',
});

const vpc = new SpokeVpc(stack, 'Vpc', {
  name: 'piksel-dev', cidrBlock: '10.1.0.0/16', region: 'ap-southeast-3',
  natStrategy: NatStrategy.SINGLE, clusterName: 'piksel-dev',
});
vpc.attachToHub({ hub, domain: nonprod, hubProvider, account: '236122835646' });
// #endregion
