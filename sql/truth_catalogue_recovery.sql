-- The catalogue against a synthetic sky's truth, over the stars without an injected
-- defect (unresolved binary, spurious parallax, contaminated NIR; a wrong LAMOST log g is
-- no defect here, since inference never reads labels): by set ('training' for the run's
-- training split, 'others' for every other star) and G bin, and over G < 16, the median
-- and robust standard deviation (1.4826 × MAD) of fit − true and of the pull
-- (fit − true)/σ for Teff (K), [Fe/H], log g, E and ϖ (mas), the stars counted and those
-- flagged (quality_flags ≥ 8, the paper's recommended cut) or not converged (bit 7; such
-- rows hold the best values found, not an optimum, and are left out of the statistics).
-- Inputs (views): catalogue, truth, training (source_id).
WITH d AS (
  SELECT
    CASE WHEN tr.source_id IS NULL THEN 'others' ELSE 'training' END AS star_set,
    CASE
      WHEN c.phot_g_mean_mag < 13 THEN 'G < 13'
      WHEN c.phot_g_mean_mag < 14 THEN '13–14'
      WHEN c.phot_g_mean_mag < 15 THEN '14–15'
      WHEN c.phot_g_mean_mag < 16 THEN '15–16'
      WHEN c.phot_g_mean_mag < 17 THEN '16–17'
      ELSE 'G ≥ 17'
    END AS g_bin,
    least(greatest(floor(c.phot_g_mean_mag) - 12, 0), 5) AS g_order,
    c.phot_g_mean_mag < 16 AS bright,
    c.quality_flags,
    c.quality_flags & 128 <> 0 AS failed,
    c.teff - t.teff AS teff_d, (c.teff - t.teff) / c.teff_error AS teff_p,
    c.feh - t.feh AS feh_d, (c.feh - t.feh) / c.feh_error AS feh_p,
    c.logg - t.logg AS logg_d, (c.logg - t.logg) / c.logg_error AS logg_p,
    c."E" - t."E" AS e_d, (c."E" - t."E") / c."E_error" AS e_p,
    c.parallax - t.parallax AS plx_d, (c.parallax - t.parallax) / c.parallax_error AS plx_p
  FROM catalogue AS c
  JOIN truth AS t USING (source_id)
  LEFT JOIN training AS tr USING (source_id)
  WHERE NOT (t.unresolved_binary OR t.spurious_parallax OR t.contaminated_nir)
),
binned AS (
  SELECT * EXCLUDE (bright) FROM d
  UNION ALL BY NAME
  SELECT * EXCLUDE (bright, g_bin, g_order), 'G < 16' AS g_bin, 9 AS g_order FROM d WHERE bright
)
SELECT
  star_set, g_bin, count(*) AS stars,
  count(*) FILTER (WHERE quality_flags >= 8) AS flagged,
  count(*) FILTER (WHERE failed) AS not_converged,
  median(teff_d) FILTER (NOT failed) AS teff_bias, 1.4826 * mad(teff_d) FILTER (NOT failed) AS teff_sd,
  1.4826 * mad(teff_p) FILTER (NOT failed) AS teff_pull_sd,
  median(feh_d) FILTER (NOT failed) AS feh_bias, 1.4826 * mad(feh_d) FILTER (NOT failed) AS feh_sd,
  1.4826 * mad(feh_p) FILTER (NOT failed) AS feh_pull_sd,
  median(logg_d) FILTER (NOT failed) AS logg_bias, 1.4826 * mad(logg_d) FILTER (NOT failed) AS logg_sd,
  1.4826 * mad(logg_p) FILTER (NOT failed) AS logg_pull_sd,
  median(e_d) FILTER (NOT failed) AS E_bias, 1.4826 * mad(e_d) FILTER (NOT failed) AS E_sd,
  1.4826 * mad(e_p) FILTER (NOT failed) AS E_pull_sd,
  median(plx_d) FILTER (NOT failed) AS parallax_bias, 1.4826 * mad(plx_d) FILTER (NOT failed) AS parallax_sd,
  1.4826 * mad(plx_p) FILTER (NOT failed) AS parallax_pull_sd
FROM binned
GROUP BY star_set, g_bin
ORDER BY star_set, min(g_order)
