export * from './cli';
export * from './errors';
export * from './secret-target';
export * from './secret-value';
