/**
 * The reddening prior of a synthetic star (docs/method.md §1): Bayestar19-like, the true
 * E(B−V) plus noise whose size grows with E; beyond |z| = 400 pc the SFD-like total
 * column of the sight line instead, as the real prior falls back to SFD there.
 */
import { SUN } from '../config/galaxy.js';
import { REDDENING_PRIOR } from '../config/surveys.js';
import type { SynthStar } from '../star.js';
import type { Row } from '../tables/row.js';

export function observeReddeningPrior(star: SynthStar): Row {
  const { rng } = star;
  const p = REDDENING_PRIOR;
  const heightKpc = star.position.z + SUN.heightKpc;
  if (Math.abs(heightKpc) > p.sfdAboveKpc) {
    const e = star.ebvTotal * Math.exp(rng.gauss(0, p.sfdRelative));
    return { source_id: star.sourceId, E: e, E_err: p.sfdRelative * e + p.sfdFloor };
  }
  const sigma = Math.hypot(p.floor, p.relative * star.ebv) * Math.exp(rng.gauss(0, p.spreadLn));
  return { source_id: star.sourceId, E: Math.max(0, star.ebv + sigma * rng.normal()), E_err: sigma };
}
