"""Reading any course text: the size limit, the cache in front of the readers, and a missing library."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.corpus import load_knowledge
from knowledge.formats import reading
from knowledge.formats.cache import ExtractionCache
from knowledge.formats.extracted import Block, Extracted, Span, Unreadable
from knowledge.formats.reading import Format, Reading, read_text

MakeFolder = Callable[..., Path]
NOTES = "# Notes\n\nThe river floods in spring.\n"


@pytest.fixture
def extractions(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every Markdown file actually extracted (not served from the cache), in order."""
    done: list[bytes] = []
    real = reading.FORMATS[".md"]

    def counted(data: bytes) -> Extracted:
        done.append(data)
        return real.read(data)

    monkeypatch.setitem(reading.FORMATS, ".md", Format("Markdown", counted, real.library, real.modules, real.install))
    return done


def test_a_file_is_extracted_once_per_content(tmp_path: Path, extractions: list[bytes]) -> None:
    path = tmp_path / "notes.md"
    path.write_text(NOTES, encoding="utf-8")
    cached = Reading(cache_dir=tmp_path / "cache")

    first = read_text(path, cached)
    path.rename(tmp_path / "renamed.md")  # the same bytes under another name: still cached
    again = read_text(tmp_path / "renamed.md", cached)
    (tmp_path / "renamed.md").write_text(NOTES.replace("spring", "autumn"), encoding="utf-8")
    changed = read_text(tmp_path / "renamed.md", cached)

    assert first == again
    assert changed.blocks[0].spans[0].text == "The river floods in autumn."
    assert len(extractions) == 2
    assert len(list((tmp_path / "cache").glob("*.json"))) == 2


def test_without_a_cache_folder_every_read_extracts(tmp_path: Path, extractions: list[bytes]) -> None:
    path = tmp_path / "notes.md"
    path.write_text(NOTES, encoding="utf-8")
    read_text(path, Reading())
    read_text(path, Reading())
    assert len(extractions) == 2


def test_plain_text_is_not_cached(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("The river floods in spring.\n", encoding="utf-8")
    read_text(path, Reading(cache_dir=tmp_path / "cache"))
    assert not (tmp_path / "cache").exists()


def test_a_damaged_cache_entry_is_extracted_again(tmp_path: Path, extractions: list[bytes]) -> None:
    path = tmp_path / "notes.md"
    path.write_text(NOTES, encoding="utf-8")
    cached = Reading(cache_dir=tmp_path / "cache")
    read_text(path, cached)
    (entry,) = (tmp_path / "cache").glob("*.json")
    entry.write_text('{"blocks": [[null, [["truncated', encoding="utf-8")

    assert read_text(path, cached).blocks[0].spans[0].text == "The river floods in spring."
    assert len(extractions) == 2


def test_a_cache_that_cannot_be_written_is_done_without(tmp_path: Path, extractions: list[bytes]) -> None:
    path = tmp_path / "notes.md"
    path.write_text(NOTES, encoding="utf-8")
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    cached = Reading(cache_dir=tmp_path / "not-a-folder" / "cache")
    assert read_text(path, cached).blocks[0].headings == ("Notes",)
    assert read_text(path, cached).blocks[0].headings == ("Notes",)
    assert len(extractions) == 2


def test_the_cache_stores_what_the_reader_gave(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path)
    extracted = Extracted(
        (Block((Span("Ünïcode ﬁ “text”.", line=3, page=2),), headings=("A", "B")), Block((Span("x"),))), ("xi", "2")
    )
    cache.put("key", extracted)
    assert cache.get("key") == extracted
    assert cache.get("other") is None


def without_markdown_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if markdown-it-py were not installed: importing it raises ImportError, and the reader is imported anew."""
    monkeypatch.setitem(sys.modules, "markdown_it", None)
    monkeypatch.delitem(sys.modules, "knowledge.formats.markdown", raising=False)
    monkeypatch.delattr("knowledge.formats.markdown", raising=False)


def test_a_missing_library_names_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    without_markdown_it(monkeypatch)
    path = tmp_path / "notes.md"
    path.write_text(NOTES, encoding="utf-8")
    with pytest.raises(Unreadable) as caught:
        read_text(path, Reading())
    assert (
        caught.value.reason
        == "reading Markdown files needs markdown-it-py, which is not installed: pip install markdown-it-py"
    )


def test_a_missing_library_skips_only_its_own_files(make_folder: MakeFolder, monkeypatch: pytest.MonkeyPatch) -> None:
    without_markdown_it(monkeypatch)
    folder = make_folder(**{"notes.md": NOTES, "plain.txt": "The river floods in spring.\n"})
    knowledge = load_knowledge(folder)
    assert [d.source for d in knowledge.documents] == ["plain"]
    assert [str(e) for e in knowledge.unreadable] == [
        f"{folder / 'notes.md'}: reading Markdown files needs markdown-it-py, which is not installed: "
        "pip install markdown-it-py"
    ]
