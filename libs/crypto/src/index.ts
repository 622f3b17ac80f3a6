export * from './key-provider';
export * from './envelope';
export * from './chunked';
export * from './data-keys';
export * from './aws-kms-key-provider';
export * from './create-key-provider';
export { startFakeKms, type FakeKms } from './testing/fake-kms';
