-- The price and wage index (base year = 100) for fixed prices: every year it has, with its source.
SELECT year::INTEGER AS year, "index"::DOUBLE AS "index", source
FROM price_index
ORDER BY year
