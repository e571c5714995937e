-- The plants' event logs (append.go says how appends and reads keep the
-- cursor guarantee). Every row carries its plant: one database holds
-- several plants, and no query reads without naming one. Ids are compared
-- byte by byte (COLLATE "C") whatever the database's locale: the indexes
-- on them stay cheap, and their order is the same everywhere.

-- One row per plant. log_len is the last position of its log: every
-- append locks this row (SELECT ... FOR UPDATE) until it commits, so the
-- appends of a plant take positions one after the other, in commit order.
CREATE TABLE plants (
    id         text        COLLATE "C" PRIMARY KEY CHECK (id <> ''),
    epoch      text        NOT NULL,
    log_len    bigint      NOT NULL DEFAULT 0 CHECK (log_len >= 0),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The log: positions 1, 2, 3... per plant without holes, body the event's
-- encoding (domain.EncodeEvent) served to pullers as it is. No foreign key
-- to plants: the appender holds the plant's row locked, and a per-row
-- check would double the cost of a push.
CREATE TABLE events (
    plant       text   COLLATE "C" NOT NULL,
    pos         bigint NOT NULL CHECK (pos > 0),
    id          uuid   NOT NULL,
    replica     text   COLLATE "C" NOT NULL,
    seq         bigint NOT NULL,
    entity_type text   NOT NULL,
    entity_id   text   NOT NULL,
    body        bytea  NOT NULL,
    PRIMARY KEY (plant, pos),
    UNIQUE (plant, id)
);

-- Each replica's high-water mark: the highest sequence number below which
-- none is missing (the push's gap check reads it).
CREATE TABLE replica_marks (
    plant   text   COLLATE "C" NOT NULL,
    replica text   COLLATE "C" NOT NULL,
    seq     bigint NOT NULL CHECK (seq >= 0),
    PRIMARY KEY (plant, replica)
);

-- The server's refusals of pushed events, kept out of the log with the
-- event's bytes, so that a retried push gets the same answer.
CREATE TABLE rejections (
    plant        text        COLLATE "C" NOT NULL,
    event        uuid        NOT NULL,
    type         text        NOT NULL,
    entity_type  text        NOT NULL,
    entity_id    text        NOT NULL,
    code         text        NOT NULL,
    reason       text        NOT NULL,
    rejected_at  timestamptz NOT NULL,
    dismissed_at timestamptz,
    body         bytea       NOT NULL,
    PRIMARY KEY (plant, event)
);
