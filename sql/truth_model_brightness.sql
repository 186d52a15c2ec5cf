-- The model's brightness error (evaluation/model-brightness.ts) by group
-- (truth_groups.sql): the median and the count of the photometric-ϖ / true-ϖ ratios.
-- Inputs (views): brightness (source_id, ratio), truth_groups (truth_groups.sql).
SELECT g.grp AS "group", count(*) AS stars, median(b.ratio) AS median_ratio
FROM brightness AS b
JOIN truth_groups AS g USING (source_id)
GROUP BY g.grp
ORDER BY g.grp
