-- Where each plant was last opened: the identity of the database holding
-- it (the cluster's system identifier and the database's oid). A copy of
-- the database (pg_dump restored into a fresh database, here or on
-- another cluster) carries the rows but not the identity, so the first
-- server to open the plant there sees a home that is not its own: it
-- renews the plant's epoch and server replica (server.go), as a bbolt
-- store opened from a backup copy does, because the copy may lack events
-- the workstations already hold. NULL: not opened since this migration.
ALTER TABLE plants ADD COLUMN home text;
