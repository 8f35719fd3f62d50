export * from './cli';
export * from './errors';
export * from './preflight';
export * from './preflight-cli';
export * from './secret-target';
export * from './secret-value';
export * from './trust-policy';
