-- Gaia DR3 xp_continuous_mean_spectrum as the archive exports it to CSV: every column
-- read as text, arrays as "(…)" or "[…]" strings, parsed and checked in models/xp.
-- $path: the CSV file.
SELECT *
FROM read_csv($path, header = true, all_varchar = true, auto_detect = true)
