export * from './hub-attachment';
export * from './hub-state';
export * from './spoke-vpc';
