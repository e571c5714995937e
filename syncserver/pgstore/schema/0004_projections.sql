-- The projections of each plant's log (projections.go): the folded
-- states, in the binary encoding of the bbolt store (boltstore's
-- statecodec.go), with the columns the views filter and sort on beside
-- them. Sort keys are the bbolt store's index keys, as bytea (compared
-- byte by byte): both adapters answer a query in the same order, with the
-- same page cursors.

-- How far each plant's log is folded. The projector locks the plant's row
-- (FOR UPDATE) while it folds, and moves `projected` in the transaction
-- that writes the states: two projectors (two server instances) never
-- fold an event twice nor skip one. A push that folds reference data at
-- once (Ingest) takes the same lock, after the plant's.
CREATE TABLE projections (
    plant     text   COLLATE "C" PRIMARY KEY,
    projected bigint NOT NULL DEFAULT 0 CHECK (projected >= 0)
);

-- Every entity's folded state.
CREATE TABLE states (
    plant text  COLLATE "C" NOT NULL,
    type  text  COLLATE "C" NOT NULL,
    id    text  COLLATE "C" NOT NULL,
    body  bytea NOT NULL,
    PRIMARY KEY (plant, type, id)
);

-- A complaint's compact row (boltstore.ComplaintRow, encoded) and what the
-- lists walk and filter on: filed_key (newest first), deadline_key (the
-- overdue walk: open complaints with a deadline), the folded text of the
-- word search.
CREATE TABLE complaint_rows (
    plant            text  COLLATE "C" NOT NULL,
    id               text  COLLATE "C" NOT NULL,
    filed_key        bytea NOT NULL,
    deadline_key     bytea,
    status           text  COLLATE "C" NOT NULL,
    supplier_station text  COLLATE "C" NOT NULL,
    filing_station   text  COLLATE "C" NOT NULL,
    assignee         text  COLLATE "C" NOT NULL,
    filed_by         text  COLLATE "C" NOT NULL,
    category         text  COLLATE "C" NOT NULL,
    severity         text  COLLATE "C" NOT NULL,
    folded_text      bytea NOT NULL,
    row              bytea NOT NULL,
    PRIMARY KEY (plant, id)
);
CREATE INDEX complaint_rows_filed ON complaint_rows (plant, filed_key);
CREATE INDEX complaint_rows_deadline ON complaint_rows (plant, deadline_key) WHERE deadline_key IS NOT NULL;
CREATE INDEX complaint_rows_status ON complaint_rows (plant, status, filed_key);

-- An action's keys: its complaint, its owner, and its due key while it is
-- pending (boltstore.ActionDueKey).
CREATE TABLE action_keys (
    plant     text  COLLATE "C" NOT NULL,
    id        text  COLLATE "C" NOT NULL,
    complaint text  COLLATE "C" NOT NULL,
    owner     text  COLLATE "C" NOT NULL,
    due_key   bytea,
    PRIMARY KEY (plant, id)
);
CREATE INDEX action_keys_complaint ON action_keys (plant, complaint, id) WHERE complaint <> '';
CREATE INDEX action_keys_due ON action_keys (plant, due_key) WHERE due_key IS NOT NULL;

-- Logged events whose bytes do not decode: the folds leave them out.
CREATE TABLE quarantine (
    plant  text        COLLATE "C" NOT NULL,
    pos    bigint      NOT NULL,
    event  uuid        NOT NULL,
    reason text        NOT NULL,
    found  timestamptz NOT NULL,
    PRIMARY KEY (plant, pos)
);

-- An entity's events, for a refold and a timeline.
CREATE INDEX events_entity ON events (plant, entity_type, entity_id);

-- The server's own replica id in each plant: the events its instances
-- record carry it (given at the first start, shared by every instance).
ALTER TABLE plants ADD COLUMN replica text COLLATE "C";
