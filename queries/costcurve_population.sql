-- Population (1 January) per municipality, year and age group: the denominators of the cost curve and
-- the demography part of the growth decomposition. Every year, every municipality of the configured region.
SELECT municipality_code::INTEGER AS municipality_code, year::INTEGER AS year, age_group,
       sum(persons)::BIGINT AS persons
FROM population
GROUP BY ALL
ORDER BY municipality_code, year, age_group
