-- The secured units (real places) with the yearly occupancy of their linked offer (illustrative in
-- the demo), one row per unit and year of the period; units without a linked offer get one row
-- with year NULL. Not filtered by municipality or area: the units serve the whole region and beyond.
-- Region Midtjylland's own units first. Params: $year_from, $year_to.
SELECT s.unit_name, s.operator, s.kind, s.places, s.places_note, s.source, s.offer_id,
       y.year::INTEGER AS year, y.places AS offer_places, y.occupancy_pct, y.budgeted_occupancy_pct
FROM secured_units AS s
LEFT JOIN offer_years AS y
       ON y.offer_id = s.offer_id
      AND y.year BETWEEN $year_from AND $year_to
ORDER BY s.operator <> 'Region Midtjylland', s.unit_name, y.year
