-- The limits of failed sign-in attempts (attempts.go), counted here so
-- that the server instances sharing the database share one limit: a
-- token bucket per key (a login and client address, an address), the
-- attempts left at `at` (Unix nanoseconds, the servers' clock). A bucket
-- full again holds nothing and is deleted.
CREATE TABLE sign_in_attempts (
    plant  text             COLLATE "C" NOT NULL,
    key    text             COLLATE "C" NOT NULL,
    tokens double precision NOT NULL,
    at     bigint           NOT NULL,
    PRIMARY KEY (plant, key)
);
CREATE INDEX sign_in_attempts_at ON sign_in_attempts (plant, at);
