-- Every Gaia source with its astrometry, quality indicators, reddening prior and, where
-- it has one, its spectroscopic labels: the Hot Payne's replace LAMOST's (docs/method.md §2),
-- with the label error floor $label_floor added in quadrature (Teff in kK, [Fe/H], log g).
-- Inputs (views): gaia, spurious, lamost, hot_payne, lamost_match, hot_payne_match, reddening.
-- Output: one row per source_id.
SELECT
  g.source_id, g.ra, g.dec, g.parallax, g.parallax_error, g.phot_g_mean_mag,
  g.phot_bp_rp_excess_factor, g.ruwe,
  s.fidelity_v2, s.norm_dg,
  r.E AS E_prior, r.E_err AS E_prior_err,
  CASE WHEN hp.obsid IS NOT NULL THEN 'hot_payne' WHEN l.obsid IS NOT NULL THEN 'lamost' END AS label_source,
  coalesce(hp.obsid, l.obsid) AS obsid,
  coalesce(hp.teff, l.teff) AS teff,
  1000.0 * sqrt(pow(coalesce(hp.teff_err, l.teff_err) / 1000.0, 2) + pow($label_floor, 2)) AS teff_err,
  coalesce(hp.feh, l.feh) AS feh,
  sqrt(pow(coalesce(hp.feh_err, l.feh_err), 2) + pow($label_floor, 2)) AS feh_err,
  coalesce(hp.logg, l.logg) AS logg,
  sqrt(pow(coalesce(hp.logg_err, l.logg_err), 2) + pow($label_floor, 2)) AS logg_err,
  coalesce(hp.teff_err, l.teff_err) AS teff_err_catalogue,
  coalesce(hp.feh_err, l.feh_err) AS feh_err_catalogue,
  coalesce(hp.logg_err, l.logg_err) AS logg_err_catalogue,
  coalesce(hp.snrg, l.snrg) AS snrg,
  coalesce(hp.snrr, l.snrr) AS snrr,
  coalesce(hp.snri, l.snri) AS snri,
  coalesce(hp.snrz, l.snrz) AS snrz
FROM gaia AS g
LEFT JOIN spurious AS s USING (source_id)
LEFT JOIN reddening AS r USING (source_id)
LEFT JOIN lamost_match AS lm USING (source_id)
LEFT JOIN lamost AS l ON l.obsid = lm.obsid
LEFT JOIN hot_payne_match AS hm USING (source_id)
LEFT JOIN hot_payne AS hp ON hp.obsid = hm.obsid
ORDER BY g.source_id
