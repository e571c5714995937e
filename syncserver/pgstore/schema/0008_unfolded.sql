-- The logged events a version could not fold (a type or schema learnt by a
-- newer version): a binary that knows them refolds their entities when it
-- starts (Store.Server, foldNewlyKnown), as the bbolt store does.
CREATE TABLE unfolded (
    plant text COLLATE "C" NOT NULL,
    event uuid NOT NULL,
    PRIMARY KEY (plant, event)
);
