export * from './estate';
