"""knowledge/folders.py: adding to and taking from a server's folder, checked first, atomic, undoable."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from tenancy_samples import ESSAY, HISTORY, PLANTS, PLANTS_QA

from knowledge.folders import Refused, add_file, remove_text, write_atomically
from knowledge.formats.reading import Reading

READING = Reading()
SHARED = frozenset({ESSAY})


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_text_is_checked_written_and_undone(tmp_path: Path) -> None:
    folder = tmp_path / "1"

    added = add_file(folder, "history.txt", HISTORY.encode(), SHARED, READING)

    assert (added.source, added.sentences, added.previous, added.created_folder) == ("history", 2, None, True)
    assert files(folder) == {"history.txt": HISTORY.encode()}
    added.undo()
    assert not folder.exists()


def test_pairs_replace_the_old_file_and_undo_puts_it_back(tmp_path: Path) -> None:
    folder = tmp_path / "1"
    add_file(folder, "plants.txt", PLANTS.encode(), SHARED, READING)
    add_file(folder, "plants.qa.yaml", PLANTS_QA.encode(), SHARED, READING)
    shorter = PLANTS_QA.replace("leaf colour", "leaf color").encode()

    replaced = add_file(folder, "plants.qa.yaml", shorter, SHARED, READING)

    assert replaced.previous == PLANTS_QA.encode()
    assert (folder / "plants.qa.yaml").read_bytes() == shorter
    replaced.undo()
    assert (folder / "plants.qa.yaml").read_bytes() == PLANTS_QA.encode()
    assert sorted(files(folder)) == ["plants.qa.yaml", "plants.txt"]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("notes.exe", b"MZ", "notes.exe is not a course text this bot reads"),
        (".notes.txt", b"Hidden.", "'.notes.txt' is not a usable file name"),
        ("~$notes.docx", b"lock", "'~$notes.docx' is not a usable file name"),
        (f"{ESSAY}.txt", b"Mine.", f"a text every server sees is already called '{ESSAY}'"),
        ("empty.txt", b"\n \n", "empty.txt: the text is empty"),
        ("broken.docx", b"PK not a zip", "broken.docx: "),
        ("big.txt", b"x. " * 400_000, "big.txt is over the limit of 1 MB for one file"),
        ("notes.qa.yaml", PLANTS_QA.encode(), "this server has no text called 'notes' for notes.qa.yaml"),
        (f"{ESSAY}.qa.yaml", b"[]", f"'{ESSAY}' is a text every server sees"),
    ],
)
def test_refused_files_leave_no_trace(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    folder = tmp_path / "1"

    with pytest.raises(Refused) as refused:
        add_file(folder, name, data, SHARED, Reading(max_file_mb=1))

    assert str(refused.value).startswith(reason), str(refused.value)
    assert not folder.exists()


def test_a_second_text_of_one_name_and_pairs_that_misquote_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "1"
    add_file(folder, "plants.txt", PLANTS.encode(), SHARED, READING)
    before = files(folder)
    misquoted = PLANTS_QA.replace("which is why leaves look green", "which is why the sky is blue").encode()

    with pytest.raises(Refused, match=r"already has a text called 'plants' \(plants.txt\): /remove it first"):
        add_file(folder, "plants.md", b"# Plants\n\nGreen.\n", SHARED, READING)
    with pytest.raises(Refused, match=r"^plants.qa.yaml:5: quote not found in plants.txt"):
        add_file(folder, "plants.qa.yaml", misquoted, SHARED, READING)

    assert files(folder) == before


def test_removing_a_text_keeps_its_pairs_aside(tmp_path: Path) -> None:
    folder = tmp_path / "1"
    add_file(folder, "plants.txt", PLANTS.encode(), SHARED, READING)
    add_file(folder, "plants.qa.yaml", PLANTS_QA.encode(), SHARED, READING)

    kept = remove_text(folder, "plants", datetime(2026, 12, 2, 4, 5, 6, tzinfo=UTC))

    assert kept == folder / ".removed" / "plants-20261202T040506Z.qa.yaml"
    assert files(folder) == {".removed/plants-20261202T040506Z.qa.yaml": PLANTS_QA.encode()}
    with pytest.raises(Refused, match="this server has no text of its own called 'plants'"):
        remove_text(folder, "plants")


def test_write_atomically_leaves_only_the_file(tmp_path: Path) -> None:
    write_atomically(tmp_path / "a.qa.yaml", b"first")
    write_atomically(tmp_path / "a.qa.yaml", b"second")

    assert files(tmp_path) == {"a.qa.yaml": b"second"}
