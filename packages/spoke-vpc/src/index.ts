export * from './hub-attachment';
export * from './spoke-vpc';
