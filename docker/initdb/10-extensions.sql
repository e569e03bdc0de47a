-- Runs once, when the db volume is first initialised (postgres image: /docker-entrypoint-initdb.d).
-- Same as scripts/db.sh does for the local cluster: the search feature uses trigram indexes.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
