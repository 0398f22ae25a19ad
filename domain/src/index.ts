export * from './category/category.ts';
export * from './certificate/certificate.ts';
export * from './certificate/code-reading.ts';
export * from './reason/reason-code.ts';
export * from './reason/reason-messages.ts';
export * from './rules/rule-set.ts';
export * from './trust/snapshot.ts';
export * from './unit/unit.ts';
