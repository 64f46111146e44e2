-- Which course text a channel (and the threads under it) answers from, per server: set by /bind, removed by /unbind.
CREATE TABLE channel_bindings (
    guild_id bigint NOT NULL, channel_id bigint NOT NULL, source text NOT NULL, bound_at timestamptz NOT NULL,
    PRIMARY KEY (guild_id, channel_id));
-- The server a logged question was asked in (NULL: a direct message, or logged before servers were told apart), so
-- that /unanswered and a reload's replay show each server its own questions.
ALTER TABLE questions ADD COLUMN guild_id bigint;
CREATE INDEX questions_guild ON questions (guild_id, id);
