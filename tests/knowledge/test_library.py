"""knowledge/library.py: texts read once per content, one index per distinct folder of texts, shared by views."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tenancy_samples import ESSAY, HISTORY, knowledge_folder

from knowledge.errors import FileError, KnowledgeError
from knowledge.formats.reading import Reading
from knowledge.library import Library
from knowledge.retriever import DEFAULT_THRESHOLD


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return knowledge_folder(tmp_path / "knowledge")


@pytest.fixture
def library() -> Library:
    return Library(Reading(), DEFAULT_THRESHOLD)


def test_every_view_shares_the_shared_texts_index(root: Path, library: Library) -> None:
    alone = library.view(root)
    first = library.view(root, root / "1")
    second = library.view(root, root / "2")

    assert alone.shared is first.shared is second.shared
    assert first.own is not None
    assert second.own is not None
    assert first.own is not second.own
    assert [d.source for d in first.knowledge.documents] == [ESSAY, "plants"]
    assert [d.source for d in second.knowledge.documents] == [ESSAY, "history"]
    assert library.sizes == (3, 3)


def test_folders_with_the_same_files_share_their_index(root: Path, library: Library) -> None:
    shutil.copytree(root / "2", root / "3")

    second, third = library.view(root, root / "2"), library.view(root, root / "3")

    assert second.own is third.own
    assert second.own_folder == str(root / "2")
    assert third.own_folder == str(root / "3")
    third_home = third.home("history")
    assert third_home is not None
    assert third_home.folder == str(root / "3")
    assert library.sizes == (2, 2)


def test_a_changed_file_is_read_again_and_an_unchanged_one_is_not(root: Path, library: Library) -> None:
    before = library.view(root, root / "2")
    (root / "2" / "history.txt").write_text(HISTORY + "\nThe reforms were quick.\n", encoding="utf-8")

    after = library.view(root, root / "2")

    assert after.shared is before.shared
    assert after.own is not before.own
    assert after.own is not None
    assert after.own.knowledge.documents[0].sentences[-1].text == "The reforms were quick."


def test_keep_only_forgets_what_no_view_uses(root: Path, library: Library) -> None:
    kept = library.view(root, root / "1")
    library.view(root, root / "2")
    assert library.sizes == (3, 3)

    library.keep_only([kept])

    assert library.sizes == (2, 2)
    assert library.view(root, root / "1").own is kept.own


def test_an_own_text_may_not_take_a_shared_texts_name(root: Path, library: Library) -> None:
    (root / "2" / f"{ESSAY}.md").write_text("# Mine\n\nMy own essay.\n", encoding="utf-8")

    with pytest.raises(FileError) as refused:
        library.view(root, root / "2")

    assert str(refused.value) == (
        f"{root / '2' / ESSAY}.md: a shared text has the same name, {ESSAY}.txt: rename this one"
    )


def test_a_server_with_no_texts_anywhere(tmp_path: Path, library: Library) -> None:
    (tmp_path / "5").mkdir()

    with pytest.raises(KnowledgeError, match="no course texts"):
        library.view(tmp_path, tmp_path / "5")


def test_an_unreadable_text_is_reported_with_its_own_folder_never_another(root: Path, library: Library) -> None:
    for folder in ("3", "4"):
        (root / folder).mkdir()
        (root / folder / "broken.pdf").write_bytes(b"%PDF-1.7 not a pdf")
        (root / folder / "fine.txt").write_text("A fine sentence.\n", encoding="utf-8")

    third, fourth = library.view(root, root / "3"), library.view(root, root / "4")

    assert [e.path for e in third.knowledge.unreadable] == [str(root / "3" / "broken.pdf")]
    assert [e.path for e in fourth.knowledge.unreadable] == [str(root / "4" / "broken.pdf")]
    assert third.own is not fourth.own


def test_a_first_load_with_the_served_shared_view_reads_only_the_servers_folder(root: Path, library: Library) -> None:
    served = library.view(root)
    (root / f"{ESSAY}.txt").rename(root / "elsewhere.bak")  # the top is not read again: this goes unnoticed
    (root / "2" / f"{ESSAY}.md").write_text("# Mine\n\nMy own essay.\n", encoding="utf-8")

    with pytest.raises(FileError, match=f"a shared text has the same name, {ESSAY}.txt: rename this one"):
        library.view(root, root / "2", shared=served)
    (root / "2" / f"{ESSAY}.md").unlink()
    first = library.view(root, root / "2", shared=served)

    assert first.shared is served.shared
    assert [d.source for d in first.knowledge.documents] == [ESSAY, "history"]
