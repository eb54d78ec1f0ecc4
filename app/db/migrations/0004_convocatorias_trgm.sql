-- The public list's search (convocatorias.busqueda LIKE '%word%') uses a trigram index where
-- the server has pg_trgm (PostgreSQL); PGlite has no such extension, so there the block
-- only notes it and the search scans the table (fine at the sizes PGlite serves).
-- Measured in bench/README.md (Convocatorias list).
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE INDEX IF NOT EXISTS convocatorias_busqueda_trgm_idx ON convocatorias USING gin (busqueda gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pg_trgm not available (%): the convocatorias search scans the table', SQLERRM;
END
$$;
