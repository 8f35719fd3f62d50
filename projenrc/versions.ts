/**
 * Exact versions of the toolchain, in one place; each entry says why it was chosen where the reason
 * is not plain (root README "Working in the repo").
 */
export const VERSIONS = {
  /** pnpm 10: the workspace's package manager (`packageManager` field). */
  pnpm: '10.34.8',
  /** cdktf 0.21 is the final cdktf line. */
  cdktf: '0.21.0',
  constructs: '10.4.2',
  /** 20.1.0 = hashicorp/aws 5.100.0, the build held by the offline Terraform mirror. */
  providerAws: '20.1.0',
  /** Helm and Kubernetes bindings prebuilt for cdktf 0.21 (in-cluster stacks only). */
  providerHelm: '12.1.2',
  providerKubernetes: '12.1.1',
  jsii: '~5.9.0',
  /** jsii-pacmak (the packager jsii libraries publish with). */
  jsiiPacmak: '1.140.0',
  typescript: '~5.9.3',
  jest: '^29',
  swcCore: '1.15.8',
  swcJest: '0.2.39',
  /** changesets 3 needs Node 22; 2.x runs on Node 20. */
  changesets: '2.31.1',
  /** Verdaccio 6.9+ needs Node 22. */
  verdaccio: '6.8.0',
  /** AWS SDK for JavaScript v3 clients, one release for all (engines: Node >= 20). */
  awsSdk: '3.1164.0',
  /** aws-sdk-client-mock 4 mocks SDK v3 clients of any 3.x release. */
  awsSdkClientMock: '4.1.0',
  /** commander 14 runs on Node 20; 15 needs Node 22. */
  commander: '14.0.3',
  /** Lowest supported Node.js. */
  minNode: '20.16.0',
} as const;
