/** Every activity the xpflow worker registers. */
export * from './stages.js';
export * from './catalogue.js';
export * from './training.js';
export * from './inference.js';
