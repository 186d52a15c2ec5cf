-- Gaia DR3 xp_continuous_mean_spectrum from Parquet: arrays as lists of doubles.
-- $path: the Parquet file (or glob).
SELECT *
FROM read_parquet($path)
