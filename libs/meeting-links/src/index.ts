export * from './platforms';
export { unwrapUrl, decodeProofpointV3 } from './unwrap';
export * from './parse-link';
export * from './extract';
