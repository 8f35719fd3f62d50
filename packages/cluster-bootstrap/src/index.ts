export * from './ec2-node-class';
export * from './flux-release';
export * from './gitops-values';
export * from './karpenter-release';
export * from './node-pool';
export * from './read-only-group';
