-- The stars of one side of the split ($split: 'train' or 'validation') with their labels,
-- priors and the astrometric columns of the parallax zero point, joined to flux_inputs.
-- Inputs (views): training_sample, split, gaia, flux_inputs.
SELECT
  f.*,
  t.teff, t.teff_err, t.feh, t.feh_err, t.logg, t.logg_err,
  t.parallax, t.parallax_error, t.E_prior, t.E_prior_err,
  g.phot_g_mean_mag, g.nu_eff_used_in_astrometry, g.pseudocolour, g.ecl_lat, g.astrometric_params_solved
FROM training_sample AS t
JOIN split AS s ON s.source_id = t.source_id AND s.split = $split
JOIN gaia AS g ON g.source_id = t.source_id
JOIN flux_inputs AS f ON f.source_id = t.source_id
ORDER BY t.source_id
