-- The groups the truth reports break the defect-free training stars into: each star's
-- population, and the two sparsely populated ends where the model errs most (hot stars
-- above 11,000 K, the upper giant branch below log g 1.8), which overlap their population.
-- Inputs (views): judged (truth_judged.sql).
SELECT source_id, population AS grp FROM judged WHERE NOT defective
UNION ALL
SELECT source_id, 'hot, Teff > 11000 K' FROM judged WHERE NOT defective AND population = 'hot' AND teff > 11000
UNION ALL
SELECT source_id, 'giant, log g < 1.8' FROM judged WHERE NOT defective AND population = 'giant' AND logg < 1.8
