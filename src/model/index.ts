export * from './object.ts';
export * from './finding.ts';
export * from './snapshot.ts';
export * from './collection.ts';
export * from './operational.ts';
