/**
 * The model layer: a pure in-memory flow table and the helpers around it. Knows nothing of
 * netlink or Ink; every function takes time as an argument.
 */
export * from './address.js';
export * from './filter.js';
export {parseNumber, resolveName, type NumberKind, type ValueResult} from './filter-values.js';
export * from './format.js';
export * from './group.js';
export * from './key.js';
export * from './merge.js';
export * from './names.js';
export {ageSeconds, ttlSeconds} from './filter-predicates.js';
export {counterRate, smoothRate} from './rates.js';
export {sortColumns, type SortColumn} from './sort-keys.js';
export * from './table.js';
export {flowText} from './text.js';
