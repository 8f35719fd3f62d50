export * from './checks';
export * from './cidr';
export * from './claims';
export * from './errors';
export * from './library-version';
export * from './naming';
export * from './patterns';
export * from './regions';
