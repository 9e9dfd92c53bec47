#!/bin/sh
# One database and one owner per service, created on the first start of the PostgreSQL volume.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" <<SQL
CREATE USER task WITH PASSWORD '${TASK_DB_PASSWORD}';
CREATE DATABASE task OWNER task;
CREATE USER review WITH PASSWORD '${REVIEW_DB_PASSWORD}';
CREATE DATABASE review OWNER review;
CREATE USER notification WITH PASSWORD '${NOTIFICATION_DB_PASSWORD}';
CREATE DATABASE notification OWNER notification;
SQL
