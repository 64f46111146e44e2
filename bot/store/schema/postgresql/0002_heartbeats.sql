-- When each running bot (one row per set of shards) last said it was alive: what `studybot health` reads.
CREATE TABLE heartbeats (instance text PRIMARY KEY, beat_at timestamptz NOT NULL);
