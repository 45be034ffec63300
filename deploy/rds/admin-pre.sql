-- The pre environment's database admin on the shared Aurora cluster, created ONCE by the RDS master
-- (psql as the master user, connected to the shared database). PostgreSQL 16 lets a CREATEROLE role
-- alter, drop or grant only the roles it holds ADMIN OPTION on, which it gets for the roles it
-- creates (doc/src/sgml/ref/create_role.sgml, "CREATEROLE"): this admin administers exactly the
-- tenant roles the pre stack creates, and nothing of the other environment.
-- Then: \password tenant_apps_pre_admin, and store {"username": "tenant_apps_pre_admin", "password": ...}
-- in the Secrets Manager secret tenant-apps/pre/rds-admin (docs/operator.md, "Database admins").
CREATE ROLE tenant_apps_pre_admin WITH LOGIN CREATEROLE CREATEDB NOSUPERUSER NOINHERIT NOREPLICATION NOBYPASSRLS;
-- Schemas of the tenant apps in the shared database, and CONNECT/CREATE handed on to their roles.
GRANT CONNECT, CREATE ON DATABASE numinia TO tenant_apps_pre_admin WITH GRANT OPTION;
