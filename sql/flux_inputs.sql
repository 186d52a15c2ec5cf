-- What a star's data vector needs, for every Gaia source with an XP spectrum: the XP
-- coefficients, norm_dg, and the matched 2MASS and unWISE photometry (unWISE only where
-- the match was kept). Created as the view flux_inputs; callers filter it.
-- Inputs (views): gaia, xp, spurious, tmass, tmass_match, unwise, unwise_match.
SELECT
  x.source_id,
  x.bp_n_parameters, x.bp_coefficients, x.bp_coefficient_errors, x.bp_coefficient_correlations, x.bp_standard_deviation,
  x.rp_n_parameters, x.rp_coefficients, x.rp_coefficient_errors, x.rp_coefficient_correlations, x.rp_standard_deviation,
  s.norm_dg,
  t.pts_key, t.j_m, t.j_msigcom, t.h_m, t.h_msigcom, t.k_m, t.k_msigcom, t.ph_qual,
  w.unwise_objid, w.flux_w1, w.dflux_w1, w.fracflux_w1, w.qf_w1, w.flux_w2, w.dflux_w2, w.fracflux_w2, w.qf_w2
FROM xp AS x
SEMI JOIN gaia AS g ON g.source_id = x.source_id
LEFT JOIN spurious AS s ON s.source_id = x.source_id
LEFT JOIN tmass_match AS tm ON tm.source_id = x.source_id
LEFT JOIN tmass AS t ON t.pts_key = tm.pts_key
LEFT JOIN unwise_match AS um ON um.source_id = x.source_id AND um.kept
LEFT JOIN unwise AS w ON w.unwise_objid = um.unwise_objid
