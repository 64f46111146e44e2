"""Shared fixtures: the fake Discord (REST + gateway on 127.0.0.1) that the bot's tests run the real client against."""

pytest_plugins = ["fake_discord.fixtures"]
