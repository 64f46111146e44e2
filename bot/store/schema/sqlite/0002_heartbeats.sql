-- When each running bot (one row per set of shards) last said it was alive: what `studybot health` reads.
CREATE TABLE heartbeats (instance TEXT PRIMARY KEY, beat_at TEXT NOT NULL) WITHOUT ROWID;
