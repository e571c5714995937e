-- The sign-in side and the evidence of each plant (access.go,
-- evidence.go). Every row carries its plant, first in every key: a
-- plant's accounts, devices, codes, tokens, settings and files are read
-- and written only under its id. Records are the JSON of the
-- syncserver/credential types (the bytes the bbolt adapter stores), with
-- the columns the queries select on beside them.

CREATE TABLE accounts (
    plant  text  COLLATE "C" NOT NULL,
    login  text  COLLATE "C" NOT NULL CHECK (login <> ''),
    record jsonb NOT NULL,
    PRIMARY KEY (plant, login)
);

-- Devices are never deleted: a revoked one keeps its replica bound.
CREATE TABLE devices (
    plant  text  COLLATE "C" NOT NULL,
    id     text  COLLATE "C" NOT NULL CHECK (id <> ''),
    record jsonb NOT NULL,
    PRIMARY KEY (plant, id)
);

-- One-time enrolment codes by the SHA-256 (hex) of the code: spending one
-- deletes its row, so two servers cannot both spend it (the second
-- DELETE finds no row once the first commits).
CREATE TABLE enrolments (
    plant   text        COLLATE "C" NOT NULL,
    hash    text        COLLATE "C" NOT NULL CHECK (hash <> ''),
    expires bigint      NOT NULL, -- Unix nanoseconds (unixNanos), as exact as the bbolt adapter's sweep
    record  jsonb       NOT NULL,
    PRIMARY KEY (plant, hash)
);

-- Refresh families (sign-ins) and their tokens, by id and by the SHA-256
-- (hex) of the token.
CREATE TABLE refresh_families (
    plant   text        COLLATE "C" NOT NULL,
    id      text        COLLATE "C" NOT NULL CHECK (id <> ''),
    login   text        COLLATE "C" NOT NULL,
    expires bigint      NOT NULL, -- Unix nanoseconds (unixNanos), as exact as the bbolt adapter's sweep
    record  jsonb       NOT NULL,
    PRIMARY KEY (plant, id)
);
CREATE INDEX refresh_families_login ON refresh_families (plant, login);

CREATE TABLE refresh_tokens (
    plant   text        COLLATE "C" NOT NULL,
    hash    text        COLLATE "C" NOT NULL CHECK (hash <> ''),
    expires bigint      NOT NULL, -- Unix nanoseconds (unixNanos), as exact as the bbolt adapter's sweep
    record  jsonb       NOT NULL,
    PRIMARY KEY (plant, hash)
);

-- The server's named values but the epoch, which is plants.epoch.
CREATE TABLE settings (
    plant text  COLLATE "C" NOT NULL,
    name  text  COLLATE "C" NOT NULL CHECK (name <> ''),
    value bytea NOT NULL,
    PRIMARY KEY (plant, name)
);

-- Evidence files by SHA-256 (hex), at most domain.MaxAttachmentBytes
-- (10 MiB): bytea, TOASTed and compressed by PostgreSQL, read and written
-- whole as the HTTP layer does.
CREATE TABLE evidence (
    plant text  COLLATE "C" NOT NULL,
    sha   text  COLLATE "C" NOT NULL CHECK (sha ~ '^[0-9a-f]{64}$'),
    data  bytea NOT NULL CHECK (octet_length(data) <= 10485760),
    PRIMARY KEY (plant, sha)
);

-- The uploads no complaint referenced yet, per uploader (blobquota.go).
CREATE TABLE evidence_uploads (
    plant       text        COLLATE "C" NOT NULL,
    uploader    text        COLLATE "C" NOT NULL CHECK (uploader <> ''),
    sha         text        COLLATE "C" NOT NULL,
    size        bigint      NOT NULL CHECK (size >= 0),
    uploaded_at bigint      NOT NULL, -- Unix nanoseconds, as the bbolt adapter keeps it
    PRIMARY KEY (plant, uploader, sha)
);

-- Which complaints attach each evidence file, read by BlobReferenced
-- (evidence.go), and how far into the plant's log that index reaches: a
-- write transaction that asks brings it up to the log's end, reading only
-- the complaint events logged since, so no push pays for it.
CREATE TABLE evidence_references (
    plant     text COLLATE "C" NOT NULL,
    sha       text COLLATE "C" NOT NULL,
    complaint text COLLATE "C" NOT NULL,
    PRIMARY KEY (plant, sha, complaint)
);

CREATE TABLE evidence_indexed (
    plant text   COLLATE "C" PRIMARY KEY,
    pos   bigint NOT NULL CHECK (pos >= 0)
);
