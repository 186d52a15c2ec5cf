-- Fitted − true by group (truth_groups.sql): the medians of Teff (K), log g, E and
-- ϖ_fit/ϖ_true, and E's robust standard deviation (1.4826 × MAD). A bias confined to
-- one group (the hot stars' E, say) hides in the overall figures of
-- truth_parameter_recovery.sql.
-- Inputs (views): fit (source_id, teff_kK, feh, logg, E, parallax), judged
-- (truth_judged.sql), truth_groups (truth_groups.sql).
SELECT
  g.grp AS "group",
  count(*) AS stars,
  median(1000 * fit.teff_kK - t.teff) AS teff_k,
  median(fit.logg - t.logg) AS logg,
  median(fit.E - t.E) AS e,
  1.4826 * mad(fit.E - t.E) AS e_sd,
  median(fit.parallax / t.parallax) AS parallax_ratio
FROM fit
JOIN judged AS t USING (source_id)
JOIN truth_groups AS g USING (source_id)
GROUP BY g.grp
ORDER BY g.grp
