export * from './bucket-cors';
export * from './data-bucket';
export * from './data-bucket-props';
export * from './grantee';
export * from './postgres-instance';
export * from './postgres-instance-props';
export * from './public-read';
