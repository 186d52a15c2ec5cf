/**
 * The Gaussian-mixture prior on stellar type (docs/method.md §6): fit by EM, score, sample,
 * the ln-p clip and the JSON format. Import from here.
 */
export { fitGmm, fitGmmAsync } from './fit.js';
export { GmmFormatError, GmmInputError } from './errors.js';
export { gmmFromParameters, type GmmParameters } from './model.js';
export { GMM_DEFAULTS } from './options.js';
export {
  lnPriorClip,
  percentile,
  PRIOR_CLIP_PERCENTILE,
  PRIOR_CLIP_SAMPLES,
  sampleGmm,
  withPriorClip,
} from './sample.js';
export { logPdf, meanLogLikelihood, scoreSamples } from './score.js';
export { fromJson, GMM_FORMAT, GMM_FORMAT_VERSION, toJson, type GmmJson } from './serialize.js';
export {
  STELLAR_LABELS,
  type EmptyComponentPolicy,
  type GmmAsyncOptions,
  type GmmFitInfo,
  type GmmFitOptions,
  type GmmModel,
} from './types.js';
