-- Every (Gaia source, catalogue object) pair closer than radius_arcsec, with its
-- angular separation. Declination-zone join: zones one radius high, each catalogue
-- object copied into its zone and the two neighbours (and across RA = 0/360), an
-- equi-join on the zone, a box filter, then the exact haversine distance. The RA half
-- width of the box, r / cos(|dec| + r), reaches 180° near the poles; copies across the
-- wrap use the width at |dec| + 2r so that no pair is missed, and |ΔRA| ≤ 180° keeps
-- a pair from being found twice.
-- Inputs (temp views): xm_gaia(source_id, ra, dec), xm_cat(cat_id, ra, dec).
CREATE OR REPLACE TEMP MACRO positional_candidates(radius_arcsec) AS TABLE
WITH
  params AS (SELECT radius_arcsec / 3600.0 AS r),
  g AS (
    SELECT source_id, ra, dec, CAST(floor((dec + 90.0) / (SELECT r FROM params)) AS BIGINT) AS zone
    FROM xm_gaia
  ),
  c AS (
    SELECT cat_id, ra, dec, CAST(floor((dec + 90.0) / (SELECT r FROM params)) AS BIGINT) + dz AS zone,
      (SELECT r FROM params) / greatest(cos(radians(least(abs(dec) + 2 * (SELECT r FROM params), 90.0))), 1e-9) AS wrap_width
    FROM xm_cat, (VALUES (-1), (0), (1)) AS shift(dz)
  ),
  c_wrapped AS (
    SELECT cat_id, ra, dec, zone FROM c
    UNION ALL SELECT cat_id, ra - 360.0, dec, zone FROM c WHERE ra > 360.0 - wrap_width
    UNION ALL SELECT cat_id, ra + 360.0, dec, zone FROM c WHERE ra < wrap_width
  ),
  boxed AS (
    SELECT g.source_id, c.cat_id, g.ra AS ra1, g.dec AS dec1, c.ra AS ra2, c.dec AS dec2
    FROM g JOIN c_wrapped AS c ON g.zone = c.zone
    WHERE abs(c.dec - g.dec) <= (SELECT r FROM params)
      AND abs(c.ra - g.ra) <= least((SELECT r FROM params) / greatest(cos(radians(least(abs(g.dec) + (SELECT r FROM params), 90.0))), 1e-9), 180.0)
  )
SELECT
  source_id,
  cat_id,
  degrees(2 * asin(sqrt(
    pow(sin(radians(dec2 - dec1) / 2), 2)
    + cos(radians(dec1)) * cos(radians(dec2)) * pow(sin(radians(ra2 - ra1) / 2), 2)
  ))) * 3600.0 AS sep_arcsec
FROM boxed
WHERE degrees(2 * asin(sqrt(
    pow(sin(radians(dec2 - dec1) / 2), 2)
    + cos(radians(dec1)) * cos(radians(dec2)) * pow(sin(radians(ra2 - ra1) / 2), 2)
  ))) * 3600.0 <= radius_arcsec
