-- Usage figures (/stats, `studybot stats`): one row per question answered or abstained on, without its text; the
-- server (NULL in DMs) on every row the figures count, so a server sees only its own. Rows older than a year are
-- deleted as new ones arrive (bot.store.usage.RETENTION_DAYS). The questions' server came in step 3.
CREATE TABLE asks (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, guild_id INTEGER, source TEXT,
    answered INTEGER NOT NULL CHECK (answered IN (0, 1)), asker TEXT NOT NULL);
CREATE INDEX asks_at ON asks (at);
CREATE INDEX asks_guild_at ON asks (guild_id, at);
ALTER TABLE feedback ADD COLUMN guild_id INTEGER;
