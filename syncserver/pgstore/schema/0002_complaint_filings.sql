-- The filing indexes the log keeps beside the events, as the bbolt store
-- does (boltstore/numbers.go): how each complaint was filed (its station
-- and number), and which complaint holds each number. A complaint keeps
-- its first filing; a number goes to the complaint logged last with it.
-- The push's state rules read them (complaint numbers are unique).
CREATE TABLE complaint_filings (
    plant     text COLLATE "C" NOT NULL,
    complaint text COLLATE "C" NOT NULL,
    station   text             NOT NULL,
    number    text COLLATE "C" NOT NULL,
    PRIMARY KEY (plant, complaint)
);

CREATE TABLE complaint_numbers (
    plant     text COLLATE "C" NOT NULL,
    number    text COLLATE "C" NOT NULL,
    complaint text COLLATE "C" NOT NULL,
    PRIMARY KEY (plant, number)
);
