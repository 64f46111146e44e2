"""The one place that reads configuration: environment variables and ``.env``, all prefixed ``STUDYBOT_``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from knowledge.formats.reading import DEFAULT_MAX_FILE_MB, Reading
from knowledge.retriever import DEFAULT_THRESHOLD

DISCORD_API_BASE_URL = "https://discord.com/api/v10"
DISCORD_GATEWAY_URL = "wss://gateway.discord.gg"

IdSet = Annotated[frozenset[int], NoDecode]


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
    database_path: Path = Path("studybot.sqlite3")
    user_hash_key: SecretStr | None = None
    cooldown_seconds: float = Field(5.0, ge=0.0, le=3600.0)
    log_level: str = "INFO"
    cache_dir: Path = Field(default_factory=default_cache_dir)
    max_file_mb: float = Field(DEFAULT_MAX_FILE_MB, gt=0.0)

    def reading(self) -> Reading:
        """How the knowledge folder's texts are read: the extraction cache and the size limit."""
        return Reading(cache_dir=self.cache_dir, max_file_mb=self.max_file_mb)

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
