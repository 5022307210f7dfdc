-- The places under the agreement (offers.kind = 'rammeaftale') in the latest year up to $year_to with
-- places, for the whole region: the number the agreement texts give as "ca. 10.000 pladser".
-- Params: $year_to.
WITH y AS (
    SELECT max(oy.year) AS year
    FROM offer_years AS oy
    JOIN offers AS o ON o.offer_id = oy.offer_id
    WHERE o.kind = 'rammeaftale' AND oy.year <= $year_to
)
SELECT y.year::INTEGER AS year,
       sum(oy.places)::BIGINT AS places,
       count(*)::INTEGER AS offers
FROM offer_years AS oy
JOIN offers AS o ON o.offer_id = oy.offer_id
JOIN y ON oy.year = y.year
WHERE o.kind = 'rammeaftale'
GROUP BY y.year
