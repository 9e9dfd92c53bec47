#!/bin/sh
# One database and one owner per service, created on the first start of the PostgreSQL volume. The passwords reach
# SQL as psql variables quoted by psql (:'name'), so a quote or a backslash in one cannot break the statement.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" \
     -v task_pw="$TASK_DB_PASSWORD" -v review_pw="$REVIEW_DB_PASSWORD" -v notification_pw="$NOTIFICATION_DB_PASSWORD" \
     -v keycloak_pw="$KEYCLOAK_DB_PASSWORD" <<'SQL'
CREATE USER task WITH PASSWORD :'task_pw';
CREATE DATABASE task OWNER task;
CREATE USER review WITH PASSWORD :'review_pw';
CREATE DATABASE review OWNER review;
CREATE USER notification WITH PASSWORD :'notification_pw';
CREATE DATABASE notification OWNER notification;
CREATE USER keycloak WITH PASSWORD :'keycloak_pw';
CREATE DATABASE keycloak OWNER keycloak;
SQL
