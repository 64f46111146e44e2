"""Dockerfile and compose.yaml, tested without a Docker daemon (none is available here): their settings are read
from the files, and the image's entrypoint and health check run as plain processes with the image's environment
(its /data volume moved into a scratch folder) against the fake Discord. Building the image, the non-root user at
run time and the PostgreSQL container are not exercised here; the README says so."""

from __future__ import annotations

import asyncio
import json
import re
import shlex
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from fake_discord import FakeDiscord
from studybot_harness import (
    ANSWERABLE,
    assert_answered,
    clean_environment,
    copy_knowledge,
    embed_of,
    eventually,
    studybot_command,
)

from bot.store import open_store

REPO = Path(__file__).resolve().parents[2]
DATA = "/data"


def dockerfile() -> dict[str, list[str]]:
    """Each instruction of the Dockerfile (continuation lines joined) by name: ``{"ENV": [args, ...], ...}``."""
    instructions: dict[str, list[str]] = {}
    logical = ""
    for line in (REPO / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if not logical and (not line.strip() or line.lstrip().startswith("#")):
            continue
        logical += line.rstrip("\\").strip() + " "
        if not line.endswith("\\"):
            name, _, args = logical.strip().partition(" ")
            instructions.setdefault(name.upper(), []).append(args.strip())
            logical = ""
    return instructions


def image_environment() -> dict[str, str]:
    return {
        key: value
        for args in dockerfile()["ENV"]
        for key, _, value in (pair.partition("=") for pair in shlex.split(args))
        if key.startswith("STUDYBOT_")
    }


def image_command() -> list[str]:
    (entrypoint,), (command,) = dockerfile()["ENTRYPOINT"], dockerfile()["CMD"]
    return [*json.loads(entrypoint), *json.loads(command)]


def image_healthcheck() -> list[str]:
    (healthcheck,) = dockerfile()["HEALTHCHECK"]
    return list(json.loads(healthcheck.partition(" CMD ")[2]))


def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8")))


def test_the_image_is_slim_runs_as_a_user_and_keeps_its_data_on_a_volume() -> None:
    instructions = dockerfile()

    (base,) = instructions["FROM"]
    assert base.endswith("-slim")
    (user,) = instructions["USER"]
    assert user not in ("root", "0")
    assert instructions["VOLUME"] == [f'["{DATA}"]']
    assert instructions["WORKDIR"] == [DATA]
    environment = image_environment()
    assert environment["STUDYBOT_KNOWLEDGE_DIR"] == f"{DATA}/knowledge"
    assert environment["STUDYBOT_DATABASE_PATH"] == f"{DATA}/studybot.sqlite3"
    assert image_command() == ["studybot", "run"]
    assert image_healthcheck() == ["studybot", "health"]
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8")
    assert ".env" not in [line.strip() for line in ignored.splitlines() if line.startswith("!")]  # never in the image


def test_compose_runs_the_bot_beside_postgresql_with_health_checks() -> None:
    services = compose()["services"]

    assert set(services) == {"bot", "db"}
    db, bot = services["db"], services["bot"]
    assert db["image"].startswith("postgres:")
    assert db["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    assert bot["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert bot["healthcheck"]["test"] == ["CMD", *image_healthcheck()]
    url = bot["environment"]["STUDYBOT_DATABASE_URL"]
    user, database = db["environment"]["POSTGRES_USER"], db["environment"]["POSTGRES_DB"]
    assert url.startswith(f"postgresql://{user}:${{POSTGRES_PASSWORD")
    assert url.endswith(f"@db:5432/{database}")
    assert bot["environment"]["STUDYBOT_KNOWLEDGE_DIR"] == image_environment()["STUDYBOT_KNOWLEDGE_DIR"]
    assert bot["volumes"] == [f"studybot-data:{DATA}"]
    assert set(compose()["volumes"]) == {"postgres-data", "studybot-data"}


def as_in_the_image(command: list[str], data: Path, fake: FakeDiscord) -> tuple[list[str], dict[str, str]]:
    """``command`` and the environment it would have in the container, with ``/data`` at ``data``, against ``fake``."""
    settings = {key.removeprefix("STUDYBOT_").lower(): value for key, value in image_environment().items()}
    settings = {key: value.replace(DATA, str(data), 1) for key, value in settings.items()}
    settings |= {"discord_token": fake.token, "api_base_url": fake.api_base, "gateway_url": fake.gateway_url}
    assert command[0] == "studybot"
    return studybot_command(*command[1:]), clean_environment(**settings)


def run_health_check(command: list[str], data: Path, environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=data, env=environment, capture_output=True, text=True, timeout=30, check=False)


@pytest.mark.asyncio
async def test_the_entrypoint_serves_and_the_health_check_follows_it(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    data = tmp_path / "data"
    copy_knowledge(data / "knowledge")  # what the Dockerfile copies into the volume
    run, environment = as_in_the_image(image_command(), data, fake_discord)
    check, _ = as_in_the_image(image_healthcheck(), data, fake_discord)
    with (tmp_path / "stderr").open("wb") as stderr:
        bot = await asyncio.create_subprocess_exec(*run, cwd=data, env=environment, stderr=stderr)
    try:
        await fake_discord.gateway.wait_for_op(2, timeout=15.0)
        interaction = fake_discord.make_slash_interaction("ask", {"question": ANSWERABLE})
        await fake_discord.send_interaction(interaction)
        assert_answered(embed_of((await fake_discord.wait_for_callback(interaction, timeout=5.0))["data"]))

        async def beating() -> float | None:
            async with await open_store(str(data / "studybot.sqlite3"), b"reader") as store:
                return await store.heartbeat_age("all shards")

        await eventually(beating, timeout=10.0)
        healthy = await asyncio.to_thread(run_health_check, check, data, environment)
        bot.send_signal(signal.SIGTERM)
        stopped = await asyncio.wait_for(bot.wait(), 5.0)
    finally:
        if bot.returncode is None:
            bot.kill()
            await bot.wait()
    unhealthy = await asyncio.to_thread(run_health_check, check, data, environment)

    assert healthy.returncode == 0
    assert re.fullmatch(r"healthy: all shards beat \d+ s ago\n", healthy.stdout)
    assert stopped == 0, (tmp_path / "stderr").read_text(encoding="utf-8")
    assert unhealthy.returncode == 1
    assert unhealthy.stdout.startswith("unhealthy: no heartbeat from all shards in ")
    assert (data / "studybot.sqlite3").is_file()  # the database is on the volume, beside the knowledge
