# studybot: the Discord bot, as a non-root process whose knowledge folder and SQLite file live on the /data volume.
# Build: docker build -t studybot .   Run: docker run --env-file .env -v studybot-data:/data studybot
# (compose.yaml runs it beside PostgreSQL). The image's entrypoint is the `studybot` command: `run` by default,
# `sync` to register the slash commands, `health` for the health check.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

COPY pyproject.toml README.md /src/
COPY knowledge /src/knowledge
COPY bot /src/bot
# A fresh named volume starts as a copy of what the image holds at its mount point: the bundled essay, editable.
RUN pip install /src \
    && useradd --system --uid 10001 --user-group --home-dir /data --no-create-home studybot \
    && mkdir -p /data/knowledge \
    && cp /src/knowledge/data/*.txt /src/knowledge/data/*.qa.yaml /data/knowledge/ \
    && chown -R studybot:studybot /data \
    && rm -rf /src

ENV STUDYBOT_KNOWLEDGE_DIR=/data/knowledge \
    STUDYBOT_DATABASE_PATH=/data/studybot.sqlite3

USER studybot
WORKDIR /data
VOLUME ["/data"]

# Fresh while the bot's heartbeat (written every 15 s) is under 60 s old; a clean stop removes it at once.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["studybot", "health"]

# SIGTERM (docker stop) closes the Discord connection and the database, then exits 0.
ENTRYPOINT ["studybot"]
CMD ["run"]
