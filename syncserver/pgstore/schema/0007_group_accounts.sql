-- The group the database's plants form (group.go): the accounts of the
-- group's quality staff, who read every plant's reports side by side and
-- write nothing, and their sign-ins. They belong to no plant: a plant's
-- tables never hold them, and a plant's session never reads them.

-- The group: one row. Its id is the group claim of the group's access
-- tokens, so that a token of another database's group is refused even
-- under the same keys; its row is locked by every write of the group's
-- records (a refresh token rotates once, whichever instance is asked).
CREATE TABLE plant_group (
    id         text        COLLATE "C" PRIMARY KEY CHECK (id <> ''),
    single     boolean     NOT NULL DEFAULT true UNIQUE CHECK (single),
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO plant_group (id) VALUES (gen_random_uuid()::text);

-- The group's accounts: the JSON of credential.GroupAccount (name,
-- password hash, disabled). grp, the group's id, comes first in every key
-- as the plant does in the plants' tables.
CREATE TABLE group_accounts (
    grp    text  COLLATE "C" NOT NULL,
    login  text  COLLATE "C" NOT NULL CHECK (login <> ''),
    record jsonb NOT NULL,
    PRIMARY KEY (grp, login)
);

-- The group's sign-ins and their refresh tokens, as refresh_families and
-- refresh_tokens are the plants'.
CREATE TABLE group_refresh_families (
    grp     text   COLLATE "C" NOT NULL,
    id      text   COLLATE "C" NOT NULL CHECK (id <> ''),
    login   text   COLLATE "C" NOT NULL,
    expires bigint NOT NULL, -- Unix nanoseconds (unixNanos)
    record  jsonb  NOT NULL,
    PRIMARY KEY (grp, id)
);
CREATE INDEX group_refresh_families_login ON group_refresh_families (grp, login);

CREATE TABLE group_refresh_tokens (
    grp     text   COLLATE "C" NOT NULL,
    hash    text   COLLATE "C" NOT NULL CHECK (hash <> ''),
    expires bigint NOT NULL, -- Unix nanoseconds (unixNanos)
    record  jsonb  NOT NULL,
    PRIMARY KEY (grp, hash)
);
