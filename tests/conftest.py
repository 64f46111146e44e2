"""Shared fixtures: the fake Discord (REST + gateway on 127.0.0.1) that the bot's tests run the real client against,
and a throw-away PostgreSQL server (``postgres_url``) for the tests that need one."""

import pytest

pytest_plugins = ["fake_discord.fixtures", "postgres_server"]

# The bot tests' shared assertions (studybot_harness.assert_answered…) show a diff when they fail, as a test's own do.
pytest.register_assert_rewrite("studybot_harness")
