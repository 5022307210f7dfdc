-- Population (1 January) per year and age group, summed over the chosen municipalities: the
-- denominators of spending per inhabitant. Years: the period and the year before it.
-- Params: $year_from, $year_to, $municipalities (list of codes).
SELECT year::INTEGER AS year, age_group, sum(persons)::BIGINT AS persons
FROM population
WHERE year BETWEEN $year_from - 1 AND $year_to
  AND list_contains($municipalities, municipality_code)
GROUP BY ALL
ORDER BY year, age_group
