-- Each training star's outlier flag beside its synthetic truth and what it ought to be
-- flagged for (evaluation/synthetic-truth.ts explains the derived columns):
-- defective (an injected defect), visible_binary (a companion bright enough to move the
-- photometric parallax by more than $threshold σ_ϖ), conspicuous_binary (one whose light
-- stands out by more than $threshold σ even where log g takes up part of it within its
-- LAMOST error), luminosity_outlier (a mass far enough from its population's median,
-- in the populations $mass_free_populations, to move the photometric parallax as much).
-- Inputs (views): flags (source_id, outlier), truth, gaia, labels (the run's training
-- sample: source_id, logg_err).
SELECT
  f.outlier,
  t.*,
  (t.unresolved_binary OR t.wrong_lamost_logg OR t.spurious_parallax OR t.contaminated_nir) AS defective,
  t.unresolved_binary
    AND t.parallax * (1 / sqrt(1 - t.companion_g_fraction) - 1) / g.parallax_error > $threshold AS visible_binary,
  t.unresolved_binary
    AND -ln(1 - t.companion_g_fraction) / sqrt((2 * g.parallax_error / t.parallax) ^ 2 + (ln(10) * l.logg_err) ^ 2) > $threshold AS conspicuous_binary,
  list_contains($mass_free_populations::VARCHAR[], t.population)
    AND t.parallax * abs(sqrt(t.mass / t.population_mass) - 1) / g.parallax_error > $threshold AS luminosity_outlier
FROM flags AS f
JOIN (SELECT *, median(mass) OVER (PARTITION BY population) AS population_mass FROM truth) AS t USING (source_id)
JOIN gaia AS g USING (source_id)
JOIN labels AS l USING (source_id)
