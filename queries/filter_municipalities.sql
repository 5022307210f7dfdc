-- The municipalities the shared filter offers, by name.
SELECT municipality_code, name FROM municipalities ORDER BY name
