-- The stars of one inference shard (source_id BETWEEN $lo AND $hi): every row of
-- flux_inputs (each Gaia source with an XP spectrum) with the Gaia columns the catalogue
-- repeats, the parallax and the columns of its zero point (Lindegren et al. 2021), and
-- the reddening prior E ± σ (as star_table.sql's E_prior, E_prior_err). No spectroscopic
-- label: labels are never an input to inference (docs/method.md §7).
-- Inputs (views): flux_inputs, gaia, reddening.
-- Output: one row per source_id, in source_id order.
SELECT
  f.*,
  g.ra, g.dec, g.phot_g_mean_mag, g.parallax, g.parallax_error,
  g.nu_eff_used_in_astrometry, g.pseudocolour, g.ecl_lat, g.astrometric_params_solved,
  r.E AS E_prior, r.E_err AS E_prior_err
FROM flux_inputs AS f
JOIN gaia AS g ON g.source_id = f.source_id
LEFT JOIN reddening AS r ON r.source_id = f.source_id
WHERE f.source_id BETWEEN $lo AND $hi
ORDER BY f.source_id
