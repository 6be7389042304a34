-- A connection profile's TLS files (PEM text; the client key encrypted like the password) and the
-- time of its last edit (PATCH /v1/connection-profiles/{id}, UPDATE_CONNECTION_PROFILE).
alter table connection_profile
    add column ssl_root_cert     text,
    add column ssl_cert          text,
    add column encrypted_ssl_key text,
    add column update_time       timestamptz;
