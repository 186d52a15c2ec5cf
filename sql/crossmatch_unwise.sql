-- unWISE × Gaia: for each Gaia source, the nearest unWISE source within $radius_arcsec,
-- kept for photometry only below $keep_arcsec (docs/method.md §2).
-- Inputs: xm_gaia, xm_cat (unWISE, cat_id = unwise_objid) and positional_candidates.
-- Output: source_id, unwise_objid, sep_arcsec, n_candidates, kept.
SELECT
  source_id,
  cat_id AS unwise_objid,
  sep_arcsec,
  count(*) OVER (PARTITION BY source_id) AS n_candidates,
  sep_arcsec < $keep_arcsec AS kept
FROM positional_candidates($radius_arcsec)
QUALIFY row_number() OVER (PARTITION BY source_id ORDER BY sep_arcsec, cat_id) = 1
ORDER BY source_id
