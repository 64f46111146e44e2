"""Import discord.py with its one import-time warning silenced.

discord.py 2.7.1 imports ``audioop`` (voice support), which emits a ``DeprecationWarning`` on Python
3.11/3.12; with pytest's ``filterwarnings = error`` that aborts collection.  Importing discord.py here first
(it is then cached in ``sys.modules``) keeps every module that imports the fake working.  The project-wide
fix is a ``"ignore:'audioop' is deprecated:DeprecationWarning"`` entry in pyproject's ``filterwarnings``.
"""

import warnings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="'audioop' is deprecated", category=DeprecationWarning)
    import discord
    from discord.gateway import DiscordWebSocket
    from discord.http import Route

__all__ = ["DiscordWebSocket", "Route", "discord"]
