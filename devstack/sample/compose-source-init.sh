#!/bin/sh
# docker-compose.yml: the source container runs this once, when its data directory is new
# (/docker-entrypoint-initdb.d): the sample database "shop" that bin/dms-local demo migrates too.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -c 'CREATE DATABASE shop'
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname shop -f /sample/shop.sql
