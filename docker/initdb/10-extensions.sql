-- Runs once, when the database volume is first initialised (as vitalevents_owner, the image's superuser here).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- The application's role: `vitalevents db apply` (run by the migrate service as the owner) grants it what it may do:
-- append events and access-log rows, never update or delete them.
CREATE ROLE vitalevents LOGIN PASSWORD 'vitalevents';
GRANT CONNECT ON DATABASE vitalevents TO vitalevents;
