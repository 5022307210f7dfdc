-- The price and wage index (base year = 100) for fixed prices: every year it has.
SELECT year::INTEGER AS year, "index"::DOUBLE AS "index"
FROM price_index
ORDER BY year
