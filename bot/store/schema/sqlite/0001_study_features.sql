-- The question log curators work from, 👍/👎 feedback and quiz streaks. User columns hold HMACs, never Discord ids.
CREATE TABLE questions (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, question TEXT NOT NULL, source TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('unanswered', 'downvoted')), asker TEXT NOT NULL, pair_key TEXT,
    resolved_at TEXT, resolved_by TEXT);
CREATE INDEX questions_open ON questions (id) WHERE resolved_at IS NULL;
CREATE UNIQUE INDEX questions_downvoted_once ON questions (asker, question) WHERE kind = 'downvoted';
CREATE TABLE feedback (
    voter TEXT NOT NULL, question TEXT NOT NULL, citation TEXT NOT NULL, pair_key TEXT,
    vote INTEGER NOT NULL CHECK (vote IN (-1, 1)), at TEXT NOT NULL,
    PRIMARY KEY (voter, question, citation)) WITHOUT ROWID;
CREATE TABLE streaks (
    user TEXT PRIMARY KEY, current INTEGER NOT NULL, best INTEGER NOT NULL, answered INTEGER NOT NULL,
    right INTEGER NOT NULL) WITHOUT ROWID;
