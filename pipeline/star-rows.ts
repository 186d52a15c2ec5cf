/**
 * Reads the rows of the flux_inputs view (sql/flux_inputs.sql) from DuckDB chunks into
 * what the data-vector builder takes: the raw XP row and the NIR photometry.
 */
import type { DuckDBDataChunk, DuckDBVector } from '@duckdb/node-api';
import type { NirInput } from '../models/nir/nir-flux.js';
import type { RawXpRow } from '../models/xp/record.js';
import { bigintAt, listAsFloat64, numberAt, stringAt } from '../io/duckdb-vectors.js';
import { parallaxZeroPointExtrapolated } from '../models/astrometry/lindegren2021.js';

export type Vectors = Map<string, DuckDBVector>;

/** The chunk's column vectors, fetched once (each fetch reads the native chunk). */
export function vectorsOf(chunk: DuckDBDataChunk, names: string[]): Vectors {
  return new Map(names.map((n, i) => [n, chunk.getColumnVector(i)]));
}

export function rowOf(vectors: Vectors, i: number): { raw: RawXpRow; nir: NirInput } {
  const v = (name: string) => vectors.get(name)!;
  const num = (name: string) => numberAt(v(name), i);
  const raw: RawXpRow = {
    source_id: bigintAt(v('source_id'), i),
    bp_n_parameters: num('bp_n_parameters'),
    bp_coefficients: listAsFloat64(v('bp_coefficients'), i),
    bp_coefficient_errors: listAsFloat64(v('bp_coefficient_errors'), i),
    bp_coefficient_correlations: listAsFloat64(v('bp_coefficient_correlations'), i),
    bp_standard_deviation: num('bp_standard_deviation'),
    rp_n_parameters: num('rp_n_parameters'),
    rp_coefficients: listAsFloat64(v('rp_coefficients'), i),
    rp_coefficient_errors: listAsFloat64(v('rp_coefficient_errors'), i),
    rp_coefficient_correlations: listAsFloat64(v('rp_coefficient_correlations'), i),
    rp_standard_deviation: num('rp_standard_deviation'),
  };
  const tmass =
    num('pts_key') === null
      ? null
      : {
          j_m: num('j_m'),
          j_msigcom: num('j_msigcom'),
          h_m: num('h_m'),
          h_msigcom: num('h_msigcom'),
          k_m: num('k_m'),
          k_msigcom: num('k_msigcom'),
          ph_qual: stringAt(v('ph_qual'), i),
        };
  const unwise =
    stringAt(v('unwise_objid'), i) === null
      ? null
      : {
          flux_w1: num('flux_w1'),
          dflux_w1: num('dflux_w1'),
          fracflux_w1: num('fracflux_w1'),
          qf_w1: num('qf_w1'),
          flux_w2: num('flux_w2'),
          dflux_w2: num('dflux_w2'),
          fracflux_w2: num('fracflux_w2'),
          qf_w2: num('qf_w2'),
        };
  return { raw, nir: { tmass, unwise, normDg: num('norm_dg') } };
}

/**
 * Row i's Gaia parallax less the Lindegren et al. (2021) zero point (mas), and that zero
 * point (0 where it is undefined: 2-parameter solutions, colour or G out of range).
 */
export function zeroPointCorrectedParallax(vectors: Vectors, i: number): { parallax: number; zeroPoint: number } {
  const num = (name: string) => numberAt(vectors.get(name)!, i) ?? NaN;
  const zp = parallaxZeroPointExtrapolated(
    num('phot_g_mean_mag'),
    num('nu_eff_used_in_astrometry'),
    num('pseudocolour'),
    num('ecl_lat'),
    num('astrometric_params_solved'),
  );
  const zeroPoint = Number.isFinite(zp) ? zp : 0;
  return { parallax: num('parallax') - zeroPoint, zeroPoint };
}
