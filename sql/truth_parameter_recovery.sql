-- Fitted − true over the training stars without an injected defect: median and robust
-- standard deviation (1.4826 × MAD) of Teff (kK), [Fe/H], log g, E, and ϖ_fit/ϖ_true.
-- Inputs (views): fit (source_id, teff_kK, feh, logg, E, parallax), judged (truth_judged.sql).
WITH d AS (
  SELECT
    fit.teff_kK - t.teff / 1000 AS teff_kK,
    fit.feh - t.feh AS feh,
    fit.logg - t.logg AS logg,
    fit.E - t.E AS E,
    fit.parallax / t.parallax AS parallax_ratio
  FROM fit
  JOIN judged AS t USING (source_id)
  WHERE NOT t.defective
)
SELECT
  median(teff_kK) AS teff_kK_median, 1.4826 * mad(teff_kK) AS teff_kK_sd,
  median(feh) AS feh_median, 1.4826 * mad(feh) AS feh_sd,
  median(logg) AS logg_median, 1.4826 * mad(logg) AS logg_sd,
  median(E) AS E_median, 1.4826 * mad(E) AS E_sd,
  median(parallax_ratio) AS parallax_ratio_median, 1.4826 * mad(parallax_ratio) AS parallax_ratio_sd
FROM d
