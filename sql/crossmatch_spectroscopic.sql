-- LAMOST DR8 (or the Hot Payne) × Gaia. An observation carrying a gaia_source_id that
-- exists in Gaia is matched by id; any other by position: the nearest Gaia source
-- within $radius_arcsec. A star observed several times keeps its observation with the
-- highest summed S/N (ties: lowest obsid).
-- Inputs: xm_gaia, xm_spec(obsid, ra, dec, gaia_source_id, snr), xm_cat (= xm_spec
-- without a usable gaia_source_id, cat_id = obsid) and positional_candidates.
-- Output: source_id, obsid, sep_arcsec, method ('source_id' | 'position'), n_candidates.
WITH
  by_id AS (
    SELECT g.source_id, s.obsid, s.snr,
      degrees(2 * asin(sqrt(pow(sin(radians(s.dec - g.dec) / 2), 2)
        + cos(radians(g.dec)) * cos(radians(s.dec)) * pow(sin(radians(s.ra - g.ra) / 2), 2)))) * 3600.0 AS sep_arcsec,
      'source_id' AS method, 1 AS n_candidates
    FROM xm_spec AS s JOIN xm_gaia AS g ON s.gaia_source_id = g.source_id
  ),
  by_position AS (
    SELECT p.source_id, CAST(p.cat_id AS BIGINT) AS obsid, s.snr, p.sep_arcsec, 'position' AS method,
      count(*) OVER (PARTITION BY p.cat_id) AS n_candidates
    FROM positional_candidates($radius_arcsec) AS p JOIN xm_spec AS s ON s.obsid = CAST(p.cat_id AS BIGINT)
    QUALIFY row_number() OVER (PARTITION BY p.cat_id ORDER BY p.sep_arcsec, p.source_id) = 1
  ),
  matched AS (SELECT * FROM by_id UNION ALL SELECT * FROM by_position)
SELECT source_id, obsid, sep_arcsec, method, n_candidates
FROM matched
QUALIFY row_number() OVER (PARTITION BY source_id ORDER BY snr DESC NULLS LAST, obsid) = 1
ORDER BY source_id
