-- 2MASS PSC × Gaia: for each Gaia source, the nearest 2MASS source within $radius_arcsec.
-- Inputs: xm_gaia, xm_cat (2MASS, cat_id = pts_key) and the positional_candidates macro.
-- Output: source_id, pts_key, sep_arcsec, n_candidates.
SELECT
  source_id,
  CAST(cat_id AS BIGINT) AS pts_key,
  sep_arcsec,
  count(*) OVER (PARTITION BY source_id) AS n_candidates
FROM positional_candidates($radius_arcsec)
QUALIFY row_number() OVER (PARTITION BY source_id ORDER BY sep_arcsec, cat_id) = 1
ORDER BY source_id
