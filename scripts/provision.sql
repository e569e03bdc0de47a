-- The registry's roles, database and extension (idempotent): run by scripts/db.sh and scripts/cluster.sh as the superuser,
-- on the database "postgres".
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vitalevents_owner') THEN
        CREATE ROLE vitalevents_owner;
    END IF;
    ALTER ROLE vitalevents_owner WITH LOGIN CREATEDB NOSUPERUSER NOCREATEROLE PASSWORD 'vitalevents_owner';
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vitalevents') THEN
        CREATE ROLE vitalevents;
    END IF;
    ALTER ROLE vitalevents WITH LOGIN NOCREATEDB NOSUPERUSER NOCREATEROLE PASSWORD 'vitalevents';
END
$$;
SELECT 'CREATE DATABASE vitalevents OWNER vitalevents_owner'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'vitalevents')
\gexec
ALTER DATABASE vitalevents OWNER TO vitalevents_owner;
\connect vitalevents
-- A cluster provisioned when the application role owned everything: hand it to the owner.
REASSIGN OWNED BY vitalevents TO vitalevents_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT CONNECT ON DATABASE vitalevents TO vitalevents;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
