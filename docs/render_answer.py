"""Draw the README's picture of an answer: the embed and buttons studybot sends, as Discord would show them.

    python docs/render_answer.py "What is the only goal of soft power?"   # writes docs/answer.png

The payload is the bot's own (``answer_embed(...).to_dict()`` and ``answer_view(...).to_components()``, exactly
what discord.py sends); it is laid out in HTML in Discord's dark style and photographed with headless Chromium
(Debian's ``chromium`` package). A documentation tool, not part of the bot or its tests.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bot.render_answers import answer_embed
from bot.views import answer_view
from knowledge.retriever import build_retriever

HERE = Path(__file__).resolve().parent
CSS = """
body { margin: 0; background: #313338; font-family: 'DejaVu Sans', sans-serif; color: #dbdee1; }
.msg { display: flex; padding: 16px 20px; } .avatar { width: 40px; height: 40px; border-radius: 50%;
background: #5865f2; color: white; display: flex; align-items: center; justify-content: center; font-weight: bold;
margin-right: 16px; flex: none; } .name { color: #f2f3f5; font-weight: 600; } .tag { background: #5865f2;
color: white; font-size: 10px; border-radius: 3px; padding: 1px 4px; margin-left: 4px; }
.embed { margin-top: 6px; max-width: 520px; background: #2b2d31; border-left: 4px solid var(--colour);
border-radius: 4px; padding: 10px 16px 14px 12px; } .title { color: #f2f3f5; font-weight: 600; margin: 4px 0 8px; }
.desc { font-size: 14px; line-height: 1.4; } .fname { color: #f2f3f5; font-size: 13px; font-weight: 600;
margin-top: 10px; } .fval { font-size: 14px; line-height: 1.4; } .quote { border-left: 4px solid #4e5058;
padding-left: 10px; } .footer { font-size: 12px; color: #b5bac1; margin-top: 10px; }
.row { display: flex; gap: 8px; margin-top: 8px; flex-wrap: wrap; } .btn { background: #4e5058; color: white;
font-size: 14px; border-radius: 3px; padding: 6px 14px; } .primary { background: #5865f2; }
"""
BUTTON_STYLE = {1: "btn primary", 2: "btn"}


def _markdown(text: str) -> str:
    """The little Markdown an answer uses: escapes, bold, and a leading block quote."""
    text = html.escape(re.sub(r"\\(.)", r"\1", text))
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    if text.startswith("&gt; "):
        return f'<div class="quote">{text[5:]}</div>'
    return text


def page(embed: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    fields = "".join(
        f'<div class="fname">{html.escape(f["name"])}</div><div class="fval">{_markdown(f["value"])}</div>'
        for f in embed.get("fields", [])
    )
    buttons = "".join(
        '<div class="row">'
        + "".join(
            f'<span class="{BUTTON_STYLE.get(b.get("style", 2), "btn")}">'
            f"{html.escape((b.get('emoji') or {}).get('name', ''))} {html.escape(b.get('label', ''))}</span>"
            for b in row["components"]
        )
        + "</div>"
        for row in rows
    )
    colour = f":root {{ --colour: #{embed.get('color', 0):06x}; }}"
    return f"""<html><head><meta charset="utf-8"><style>{colour} {CSS}</style></head><body>
<div class="msg"><div class="avatar">S</div><div><span class="name">studybot</span><span class="tag">APP</span>
<div class="embed"><div class="title">{html.escape(embed.get("title", ""))}</div>
<div class="desc">{_markdown(embed.get("description", ""))}</div>{fields}
<div class="footer">{html.escape(embed.get("footer", {}).get("text", ""))}</div></div>{buttons}</div></div>
</body></html>"""


def main() -> None:
    question = " ".join(sys.argv[1:]) or "What is the only goal of soft power?"
    answer = build_retriever().ask(question)
    document = page(answer_embed(answer).to_dict(), answer_view(answer, 1).to_components())  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "answer.html"
        source.write_text(document, encoding="utf-8")
        subprocess.run(
            [
                "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                f"--user-data-dir={folder}/profile", f"--screenshot={HERE / 'answer.png'}",
                "--window-size=640,320", source.as_uri(),
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
    print(HERE / "answer.png")


if __name__ == "__main__":
    main()
