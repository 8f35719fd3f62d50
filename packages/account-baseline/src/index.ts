export * from './account-baseline';
export * from './deploy-role';
export * from './github-oidc-provider';
export * from './hub-network-role';
export * from './pipeline-role';
export * from './plan-role';
export * from './state-backend';
export * from './state-bucket';
