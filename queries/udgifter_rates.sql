-- Rates of the offers under the agreement (offers.kind = 'rammeaftale'): one row per offer and year,
-- every year (the rule checks need the year before each agreement period, whatever the period filter).
-- Offers are chosen by operator (driftsherre: who sets the rate): with municipalities chosen, the
-- offers those municipalities run; for the whole region ($whole_region), every offer, the region's too.
-- Offers without a target group pass only when the area filter is 'alle'.
-- Params: $municipalities (list of codes), $whole_region (bool), $area ('alle', 'Børn og unge', 'Voksne').
SELECT o.offer_id,
       o.name,
       o.operator_code::INTEGER AS operator_code,
       coalesce(op.name, CAST(o.operator_code AS VARCHAR)) AS operator,
       o.legal_basis,
       y.year::INTEGER AS year,
       y.places::BIGINT AS places,
       y.rate_dkk_per_day::DOUBLE AS rate_dkk_per_day
FROM offers AS o
JOIN offer_years AS y ON y.offer_id = o.offer_id
LEFT JOIN operators AS op ON op.operator_code = o.operator_code
LEFT JOIN target_groups AS t ON t.target_group_id = o.target_group_id
WHERE o.kind = 'rammeaftale'
  AND ($whole_region OR list_contains($municipalities, o.operator_code))
  AND area_match($area, t.area)
ORDER BY o.offer_id, y.year
