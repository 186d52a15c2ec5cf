-- The training cuts of docs/method.md §2 as one boolean per cut, in the order they are
-- applied and counted. S/N bands are switched on by $snr_g … $snr_z.
-- Input (view): stars (star_table.sql). Output: source_id and pass_<cut> columns.
SELECT
  source_id,
  label_source IS NOT NULL AS pass_has_labels,
  teff IS NOT NULL AND feh IS NOT NULL AND logg IS NOT NULL AS pass_labels_finite,
  coalesce((NOT $snr_g OR snrg > $min_snr) AND (NOT $snr_r OR snrr > $min_snr)
    AND (NOT $snr_i OR snri > $min_snr) AND (NOT $snr_z OR snrz > $min_snr), false) AS pass_lamost_snr,
  coalesce(teff_err_catalogue < $max_teff_err, false) AS pass_teff_err,
  coalesce(feh_err_catalogue < $max_feh_err, false) AS pass_feh_err,
  coalesce(logg_err_catalogue < $max_logg_err, false) AS pass_logg_err,
  coalesce(parallax / parallax_error > $min_parallax_over_error, false) AS pass_parallax_snr,
  coalesce(fidelity_v2 > $min_fidelity, false) AS pass_fidelity,
  coalesce(phot_bp_rp_excess_factor < $max_excess, false) AS pass_bp_rp_excess
FROM stars
