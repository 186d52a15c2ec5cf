/**
 * Everything the surveys record about one synthetic star, in a fixed order of draws
 * from its stream (Gaia, XP, reddening prior, LAMOST, 2MASS/unWISE), plus its truth
 * row with the injected defects.
 */
import type { SkyOptions } from '../options.js';
import type { SynthStar } from '../star.js';
import type { StarRows } from '../tables/row.js';
import { observeGaia } from './gaia.js';
import { observeLamost } from './lamost.js';
import { observeNir } from './nir.js';
import { drawProperMotion } from './positions.js';
import { observeReddeningPrior } from './prior.js';
import { observeXp } from './xp.js';

export function observeStar(star: SynthStar, o: SkyOptions): StarRows {
  const r = o.rates;
  const gaia = observeGaia(star, { spuriousRate: r.spuriousParallax, zeroPoint: o.parallaxZeroPoint });
  const xp = observeXp(star, gaia.nTransits, { missingBpRate: r.missingBp, missingRpRate: r.missingRp });
  const prior = observeReddeningPrior(star);
  const pm = drawProperMotion(star);
  const lamost = observeLamost(star, pm, gaia.gObserved, {
    fraction: o.lamostFraction,
    wrongLoggRate: r.wrongLamostLogg,
    positionOffsetRate: r.positionOffset,
    unmatchedRate: r.unmatched,
  });
  const nir = observeNir(star, pm, gaia.normDg, {
    contaminatedRate: r.contaminatedNir,
    positionOffsetRate: r.positionOffset,
    unmatchedRate: r.unmatched,
  });
  return {
    gaia_source: gaia.gaia,
    xp_continuous_mean_spectrum: xp.row,
    gaiaedr3_spurious: gaia.spurious,
    reddening_prior: prior,
    lamost_dr8: lamost.lamost,
    hot_payne: lamost.hotPayne,
    tmass_psc: nir.tmass,
    unwise: nir.unwise,
    truth: {
      source_id: star.sourceId,
      population: star.population,
      teff: star.labels.teff,
      feh: star.labels.feh,
      logg: star.labels.logg,
      mass: star.labels.mass,
      E: star.ebv,
      parallax: star.parallax,
      R_V: star.rv,
      in_lamost: lamost.inLamost,
      unresolved_binary: star.companion !== null,
      companion_g_fraction: star.companionGFraction,
      wrong_lamost_logg: lamost.wrongLogg,
      spurious_parallax: gaia.spuriousParallax,
      contaminated_nir: nir.contaminated,
      missing_bp: xp.missingBp,
      missing_rp: xp.missingRp,
    },
  };
}
