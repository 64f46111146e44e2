"""The one place that reads configuration: environment variables and ``.env``, all prefixed ``STUDYBOT_``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.store import POSTGRES_SCHEMES
from knowledge.formats.reading import DEFAULT_MAX_FILE_MB, Reading
from knowledge.retriever import DEFAULT_THRESHOLD
from knowledge.semantic import Encoder, shared_encoder

DISCORD_API_BASE_URL = "https://discord.com/api/v10"
DISCORD_GATEWAY_URL = "wss://gateway.discord.gg"

IdSet = Annotated[frozenset[int], NoDecode]
GuildFolders = Annotated[dict[int, str], NoDecode]
ShardIds = Annotated[tuple[int, ...] | None, NoDecode]


def default_cache_dir() -> Path:
    """Where extracted texts are cached unless ``STUDYBOT_CACHE_DIR`` says otherwise: the user's cache folder."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "studybot" / "extracted"


class Settings(BaseSettings):
    """Everything studybot can be told; see ``.env.example`` for each field with a comment."""

    model_config = SettingsConfigDict(
        env_prefix="STUDYBOT_", env_file=".env", env_ignore_empty=True, extra="ignore", frozen=True
    )

    discord_token: SecretStr | None = None
    knowledge_dir: Path | None = None
    study_channels: IdSet = frozenset()
    admin_roles: IdSet = frozenset()
    api_base_url: str = DISCORD_API_BASE_URL
    gateway_url: str = DISCORD_GATEWAY_URL
    answer_threshold: float = Field(DEFAULT_THRESHOLD, ge=0.0, le=1.0)
    semantic: bool = False
    database_url: SecretStr | None = None
    database_path: Path = Path("studybot.sqlite3")
    user_hash_key: SecretStr | None = None
    cooldown_seconds: float = Field(5.0, ge=0.0, le=3600.0)
    log_level: str = "INFO"
    shard_count: int | None = Field(None, ge=1)
    shard_ids: ShardIds = None
    cache_dir: Path = Field(default_factory=default_cache_dir)
    max_file_mb: float = Field(DEFAULT_MAX_FILE_MB, gt=0.0)
    guild_folders: GuildFolders = Field(default_factory=dict)

    def reading(self) -> Reading:
        """How the knowledge folder's texts are read: the extraction cache and the size limit."""
        return Reading(cache_dir=self.cache_dir, max_file_mb=self.max_file_mb)

    def encoder(self) -> Encoder | None:
        """The sentence-embedding model when ``STUDYBOT_SEMANTIC`` is on (loaded once; raises
        :class:`~knowledge.semantic.SemanticUnavailable` without the ``semantic`` extra), else None."""
        return shared_encoder() if self.semantic else None

    @field_validator("study_channels", "admin_roles", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """Accept ``123,456`` (how people write lists in env files) as well as a real list."""
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            for part in parts:
                if not part.isdigit():
                    raise ValueError(f"{part!r} is not a Discord id (a number such as 123456789012345678)")
            return frozenset(int(part) for part in parts)
        return value

    @field_validator("guild_folders", mode="before")
    @classmethod
    def _split_folders(cls, value: object) -> object:
        """Accept ``1234:biology-101,5678:history``: a server id and the name of its sub-folder of the knowledge
        folder (a plain name: no path, not hidden)."""
        if not isinstance(value, str):
            return value
        folders: dict[int, str] = {}
        for part in (part.strip() for part in value.split(",") if part.strip()):
            guild, colon, name = (piece.strip() for piece in part.partition(":"))
            if not colon or not guild.isdigit():
                raise ValueError(f"{part!r} is not a server id and a folder name, as in 1234:biology-101")
            if not name or name.startswith(".") or "/" in name or "\\" in name:
                raise ValueError(f"{name!r} is not a plain folder name (no path, not hidden)")
            folders[int(guild)] = name
        return folders

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _split_shards(cls, value: object) -> object:
        """Accept ``0-3``, ``0,2`` or ``0-1,4`` (ranges include both ends) as well as a real list."""
        if not isinstance(value, str):
            return value
        shards: set[int] = set()
        for part in (part.strip() for part in value.split(",") if part.strip()):
            first, dash, last = part.partition("-")
            if not first.strip().isdigit() or (dash and not last.strip().isdigit()):
                raise ValueError(f"{part!r} is not a shard number or a range such as 0-3")
            if dash and int(last) < int(first):
                raise ValueError(f"{part!r} is an empty range: write the lower shard first, as in 0-3")
            shards.update(range(int(first), int(last if dash else first) + 1))
        return tuple(sorted(shards)) or None

    @field_validator("shard_ids")
    @classmethod
    def _shards_within_count(cls, value: tuple[int, ...] | None, info: ValidationInfo) -> tuple[int, ...] | None:
        """Shard ids only mean something out of a known count: each must be below ``STUDYBOT_SHARD_COUNT``."""
        if value is None:
            return None
        count = info.data.get("shard_count")
        if count is None:
            raise ValueError("needs STUDYBOT_SHARD_COUNT, the total number of shards across every process")
        beyond = [shard for shard in value if not 0 <= shard < count]
        if beyond:
            raise ValueError(f"shard {beyond[0]} does not exist with STUDYBOT_SHARD_COUNT={count} (0 to {count - 1})")
        return tuple(sorted(set(value)))

    @property
    def shards_served(self) -> str:
        """Which shards this process runs, in words: its heartbeat's name and what the log says it serves."""
        if self.shard_count is None:
            return "all shards"
        ids = self.shard_ids or tuple(range(self.shard_count))
        return f"shard{'s' if len(ids) > 1 else ''} {','.join(map(str, ids))} of {self.shard_count}"

    @field_validator("api_base_url", "gateway_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("knowledge_dir")
    @classmethod
    def _existing_folder(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(f"{value} is not a folder")
        return value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: SecretStr | None) -> SecretStr | None:
        """A SQLite path or a PostgreSQL URL; another scheme is a mistake, not a file to create under that name."""
        location = value.get_secret_value() if value is not None else ""
        if "://" in location and not location.startswith(POSTGRES_SCHEMES):
            raise ValueError("must be a SQLite file path or a postgresql://user:password@host/database URL")
        return value

    @property
    def database(self) -> str:
        """Where the store lives: ``STUDYBOT_DATABASE_URL`` if set, else the SQLite file ``STUDYBOT_DATABASE_PATH``."""
        return self.database_url.get_secret_value() if self.database_url else str(self.database_path)

    @property
    def database_setting(self) -> str:
        """The setting :attr:`database` came from, to name in messages."""
        return "STUDYBOT_DATABASE_URL" if self.database_url else "STUDYBOT_DATABASE_PATH"

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level


def describe_error(error: Exception) -> str:
    """One line for a person: which setting is wrong and why, never the value of a secret."""
    from pydantic import ValidationError

    if isinstance(error, ValidationError):
        problems = []
        for item in error.errors(include_url=False, include_input=False):
            name = "STUDYBOT_" + "_".join(str(part) for part in item["loc"] if isinstance(part, str)).upper()
            problems.append(f"{name}: {item['msg']}")
        return "; ".join(problems)
    return str(error)
