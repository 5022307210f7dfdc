-- The offers under the agreement in one year, with operator, location and the occupancy flags.
-- Offers are placed by their location (offers.municipality_code), as on the rest of the Kapacitet
-- page. Offers without a target group (general offers) pass only when the area filter is 'alle'.
-- Flags: below_budget = occupancy below budgeted occupancy (risk of deficit);
--        over_occupied = occupancy above 100 %.
-- Params: $year, $municipalities (list of codes), $area ('alle', 'Børn og unge', 'Voksne').
SELECT o.offer_id, o.name, o.operator_code, op.name AS operator,
       o.municipality_code, m.name AS location,
       o.legal_basis, o.target_group_id, t.short_name,
       y.places, y.occupancy_pct, y.budgeted_occupancy_pct, y.rate_dkk_per_day,
       y.surplus_deficit_1000_dkk,
       y.occupancy_pct < y.budgeted_occupancy_pct AS below_budget,
       y.occupancy_pct > 100 AS over_occupied
FROM offers AS o
JOIN offer_years AS y ON y.offer_id = o.offer_id AND y.year = $year
LEFT JOIN operators AS op ON op.operator_code = o.operator_code
LEFT JOIN municipalities AS m ON m.municipality_code = o.municipality_code
LEFT JOIN target_groups AS t ON t.target_group_id = o.target_group_id
WHERE o.kind = 'rammeaftale'
  AND list_contains($municipalities, o.municipality_code)
  AND area_match($area, t.area)  -- NULL (excluded) for general offers unless $area = 'alle'
ORDER BY o.target_group_id NULLS LAST, o.name
