/* eslint-disable */ // README example: compiled and run by test/outside-consumer.test.ts against the packed libraries, not in this workspace.
import { stack } from '../scope';

// #region README
import { NatStrategy } from '@piksel/network-hub';
import { HubAttachment, HubState, SpokeVpc } from '@piksel/spoke-vpc';
import { DataTerraformRemoteStateS3 } from 'cdktf';

// Applied as the spoke account's deploy role (piksel-deploy of @piksel/account-baseline): the one
// principal the hub's piksel-dev-hub-network role trusts. That role also reads the hub's state.
const hubAccount = '686410905891';
const hubState = new DataTerraformRemoteStateS3(stack, 'HubState', {
  bucket: 'piksel-hub-tfstate', key: 'hub/terraform.tfstate', region: 'ap-southeast-3',
  assumeRole: { roleArn: HubAttachment.hubNetworkRoleArn(stack, hubAccount, 'dev') },
});
// The hub's contract (HubOutputs of @piksel/network-hub), read from its state in one call.
const { hub, domain: nonprod } = new HubState(stack, 'Hub', {
  remoteState: hubState, hubCidrBlock: '10.0.0.0/16', region: 'ap-southeast-3', domainName: 'nonprod',
});

const vpc = new SpokeVpc(stack, 'Vpc', {
  name: 'piksel-dev', cidrBlock: '10.1.0.0/16', region: 'ap-southeast-3',
  natStrategy: NatStrategy.SINGLE, clusterName: 'piksel-dev',
});
// The hub side runs as piksel-dev-hub-network in the hub account; the acceptance is tagged piksel:spoke = dev.
vpc.attachToHub({ hub, domain: nonprod, account: '236122835646', environment: 'dev', hubAccount });
// #endregion
