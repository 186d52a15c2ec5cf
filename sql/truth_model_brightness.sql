-- The model's brightness error (evaluation/model-brightness.ts) by population, and in the
-- two sparsely populated ends where it is largest on the default sky: the median and the
-- count of the photometric-ϖ / true-ϖ ratios.
-- Inputs (views): brightness (source_id, ratio), judged (truth_judged.sql).
WITH b AS (
  SELECT j.population, j.teff, j.logg, b.ratio
  FROM brightness AS b
  JOIN judged AS j USING (source_id)
  WHERE NOT j.defective
),
groups AS (
  SELECT population AS grp, ratio FROM b
  UNION ALL SELECT 'hot, Teff > 11000 K', ratio FROM b WHERE population = 'hot' AND teff > 11000
  UNION ALL SELECT 'giant, log g < 1.8', ratio FROM b WHERE population = 'giant' AND logg < 1.8
)
SELECT grp AS "group", count(*) AS stars, median(ratio) AS median_ratio
FROM groups
GROUP BY grp
ORDER BY grp
