/** The workflows the xpflow worker registers (bundled by the Temporal worker). */
export { reprocess, progressQuery } from './reprocess.js';
export { train, trainProgressQuery } from './train.js';
export { infer, inferProgressQuery } from './infer.js';
