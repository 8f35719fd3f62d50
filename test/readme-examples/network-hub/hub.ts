/* eslint-disable */ // README example: compiled and run by test/outside-consumer.test.ts against the packed libraries, not in this workspace.
import { stack } from '../scope';

// #region README
import { NetworkHub } from '@piksel/network-hub';

const hub = new NetworkHub(stack, 'NetworkHub', { cidrBlock: '10.0.0.0/16', region: 'ap-southeast-3' });
hub.addRoutingDomain('NonprodDomain', 'nonprod');
hub.addRoutingDomain('ProdDomain', 'prod');
hub.admitSpoke('Dev', { account: '236122835646', cidrBlock: '10.1.0.0/16' });
hub.admitSpoke('Production', { account: '522783511350', cidrBlock: '10.3.0.0/16' });
// #endregion
