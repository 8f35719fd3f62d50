export * from './grantee';
export * from './read-by-tag-policy';
export * from './secret-kind';
export * from './secrets-key';
export * from './secrets-key-alias';
export * from './tag-schema';
export * from './tagged-secret';
