-- 80/20 train/validation split of the training sample, reproducible from $seed and
-- independent of row order: a star's side is fixed by md5("<source_id>:<seed>") read as
-- a little-endian integer (DuckDB md5_number; Python: int.from_bytes(md5, 'little')).
-- Input (view): training_sample. Output: source_id, split ('train' | 'validation').
SELECT
  source_id,
  CASE WHEN md5_number(CAST(source_id AS VARCHAR) || ':' || CAST($seed AS VARCHAR)) % 1000000 < $train_fraction * 1000000
    THEN 'train' ELSE 'validation' END AS split
FROM training_sample
ORDER BY source_id
