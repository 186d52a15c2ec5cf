/** A row of sql/inference_stars.sql as the solver's InferenceStar (docs/method.md §7). */
import type { DataVectorBuilder } from '../models/flux/data-vector.js';
import type { InferenceStar } from '../models/infer/types.js';
import { XP_N_COEFFICIENTS } from '../models/config/science.js';
import { toXpRecord } from '../models/xp/record.js';
import { numberAt } from '../io/duckdb-vectors.js';
import { rowOf, zeroPointCorrectedParallax, type Vectors } from './star-rows.js';

/**
 * Row i's fluxes and whitening (computed from its coefficients now: no covariance is
 * stored), zero-point-corrected parallax and reddening prior; null for a star with
 * neither BP nor RP, which is not catalogued. A malformed spectrum throws XpInputError.
 */
export function inferenceStarAt(
  vectors: Vectors,
  i: number,
  builder: DataVectorBuilder,
  out: ReturnType<DataVectorBuilder['allocate']>,
  xpFile: string,
): InferenceStar | null {
  const { raw, nir } = rowOf(vectors, i);
  const record = toXpRecord(raw, XP_N_COEFFICIENTS, { file: xpFile });
  if (!record.bp && !record.rp) return null;
  builder.build(record, nir, out);
  const num = (name: string) => numberAt(vectors.get(name)!, i) ?? NaN;
  return {
    sourceId: record.sourceId,
    flux: Float32Array.from(out.flux),
    whitening: Float32Array.from(out.whitening),
    parallax: zeroPointCorrectedParallax(vectors, i).parallax,
    parallaxErr: num('parallax_error'),
    ePrior: num('E_prior'),
    ePriorErr: num('E_prior_err'),
  };
}
