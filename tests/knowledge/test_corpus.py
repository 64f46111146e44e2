"""Loading a knowledge folder: texts with their proven Q&A pairs, and the bundled essay's curation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.corpus import BUNDLED_DIR, Knowledge, load_knowledge
from knowledge.errors import KnowledgeError
from knowledge.formats.reading import Reading
from knowledge.models import Paragraph, Sentence
from knowledge.normalize import normalize

MakeFolder = Callable[..., Path]
ESSAY_PATH = BUNDLED_DIR / "soft-power-essay.txt"
SHARED_ESSAY = Path(__file__).resolve().parents[2] / "../shared/material/soft-power-essay.txt"

TEXT_A = "Alpha rivers flood in spring. Their banks are green.\n"
TEXT_B = "Beta mountains rise in the north.\nThey are covered in snow.\n"
QA_A = """\
- id: floods
  question: When do the alpha rivers flood?
  alternates: [alpha river floods]
  answer: In spring.
  quote: Alpha rivers flood in spring.
"""
QA_B = """\
- id: floods
  question: Where do the beta mountains rise?
  alternates: []
  answer: In the north.
  quote: "Beta mountains rise in the north."
"""


def load_error(folder: Path) -> KnowledgeError:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(folder)
    return caught.value


def test_several_texts_each_with_its_own_pairs(make_folder: MakeFolder) -> None:
    folder = make_folder(**{"a.txt": TEXT_A, "a.qa.yaml": QA_A, "b.txt": TEXT_B, "b.qa.yaml": QA_B, "c.txt": "Gamma."})
    knowledge = load_knowledge(folder)
    assert knowledge.folder == str(folder)
    assert [d.source for d in knowledge.documents] == ["a", "b", "c"]
    assert [(p.key, p.citation.source, p.citation.lines) for p in knowledge.pairs] == [
        ("a/floods", "a", (1, 1)),
        ("b/floods", "b", (1, 1)),
    ]
    b = knowledge.document("b")
    assert b is not None
    assert b.path == str(folder / "b.txt")
    assert [(s.id, s.line_start, s.line_end) for s in b.sentences] == [("p1.s1", 1, 1), ("p1.s2", 2, 2)]
    assert knowledge.document("missing") is None


def test_each_qa_file_is_checked_against_its_own_text(make_folder: MakeFolder) -> None:
    folder = make_folder(**{"a.txt": TEXT_A, "b.txt": TEXT_B, "a.qa.yaml": QA_B})
    error = load_error(folder)
    assert str(error) == (
        f"{folder / 'a.qa.yaml'}:5: quote not found in a.txt (compared case-sensitively): "
        "'Beta mountains rise in the north.'; nothing in the text comes close"
    )


def test_text_without_qa_file_loads_with_no_pairs(make_folder: MakeFolder) -> None:
    knowledge = load_knowledge(make_folder(**{"a.txt": TEXT_A}))
    assert knowledge.pairs == ()
    assert len(knowledge.documents[0].sentences) == 2


def test_empty_qa_file_gives_no_pairs(make_folder: MakeFolder) -> None:
    assert load_knowledge(make_folder(**{"a.txt": TEXT_A, "a.qa.yaml": ""})).pairs == ()


def test_qa_file_without_its_text(make_folder: MakeFolder) -> None:
    folder = make_folder(**{"a.txt": TEXT_A, "orphan.qa.yaml": QA_A})
    assert str(load_error(folder)) == (
        f"{folder / 'orphan.qa.yaml'}:1: no course text orphan.txt, .md, .pdf or .docx beside it"
    )


def test_folder_missing(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    assert str(load_error(missing)) == f"{missing}:0: knowledge folder not found"


def test_a_file_is_not_a_folder(make_folder: MakeFolder) -> None:
    file_path = make_folder(**{"a.txt": TEXT_A}) / "a.txt"
    assert str(load_error(file_path)) == f"{file_path}:0: knowledge folder not found"


@pytest.mark.parametrize("files", [{}, {"a.qa.yaml": QA_A}, {"notes.rtf": "Alpha."}, {".hidden.txt": "Alpha."}])
def test_folder_without_texts(make_folder: MakeFolder, files: dict[str, str]) -> None:
    folder = make_folder(**files)
    assert str(load_error(folder)) == (
        f"{folder}:0: no course texts (NAME.txt, .md, .pdf or .docx) in the knowledge folder"
    )


def test_empty_text_file(make_folder: MakeFolder) -> None:
    folder = make_folder(**{"a.txt": "\n\n"})
    assert str(load_error(folder)) == f"{folder / 'a.txt'}:1: the text is empty"


def test_broken_qa_names_file_and_line(make_folder: MakeFolder) -> None:
    folder = make_folder(**{"a.txt": TEXT_A, "a.qa.yaml": QA_A.replace("answer:", "answr:")})
    assert str(load_error(folder)).startswith(f"{folder / 'a.qa.yaml'}:4: unknown field 'answr'")


@pytest.mark.parametrize(
    ("name", "content", "line", "byte"),
    [
        ("a.txt", b"Alpha rivers.\nThey flood \xff in spring.\n", 2, 25),
        ("a.txt", b"\xe9t\xe9 in Latin-1.\n", 1, 0),
        ("a.qa.yaml", b"# curated\n\n- id: x\n  question: caf\xe9?\n", 4, 34),
    ],
)
def test_non_utf8_file_names_the_line(make_folder: MakeFolder, name: str, content: bytes, line: int, byte: int) -> None:
    files: dict[str, str | bytes] = {"a.txt": TEXT_A, name: content}
    folder = make_folder(**files)
    assert str(load_error(folder)) == f"{folder / name}:{line}: not UTF-8 text (byte {byte})"


def test_byte_order_marks_are_accepted(make_folder: MakeFolder) -> None:
    bom = "\ufeff".encode()
    folder = make_folder(**{"a.txt": bom + TEXT_A.encode(), "a.qa.yaml": bom + QA_A.encode()})
    knowledge = load_knowledge(folder)
    first = knowledge.documents[0].sentences[0]
    assert first.text == "Alpha rivers flood in spring."
    assert (first.line_start, first.line_end) == (1, 1)
    assert [p.id for p in knowledge.pairs] == ["floods"]


def test_non_utf8_after_a_byte_order_mark_names_the_line(make_folder: MakeFolder) -> None:
    folder = make_folder(**{"a.txt": "\ufeff".encode() + b"ab\n\xff rest\n"})
    assert str(load_error(folder)) == f"{folder / 'a.txt'}:2: not UTF-8 text (byte 6)"


def test_default_folder_is_the_bundled_one(bundled: Knowledge) -> None:
    assert Path(bundled.folder) == BUNDLED_DIR
    assert [d.source for d in bundled.documents] == ["soft-power-essay"]


def test_bundled_essay_is_the_shared_course_material() -> None:
    if not SHARED_ESSAY.exists():
        pytest.skip(f"the shared course material is not checked out beside the repository ({SHARED_ESSAY})")
    assert ESSAY_PATH.read_bytes() == SHARED_ESSAY.read_bytes()


def span(paragraph: Paragraph, first: Sentence, last: Sentence) -> str:
    """The paragraph's text from the start of ``first`` to the end of ``last``."""
    start = paragraph.text.index(first.text)
    return paragraph.text[start : paragraph.text.index(last.text, start) + len(last.text)]


def test_every_bundled_quote_is_verified(bundled: Knowledge) -> None:
    document = bundled.document("soft-power-essay")
    assert document is not None
    assert bundled.pairs
    for pair in bundled.pairs:
        citation = pair.citation
        assert citation.source == "soft-power-essay"
        paragraph = document.paragraphs[citation.paragraph - 1]
        cited = [paragraph.sentences[n - 1] for n in citation.sentences]
        assert normalize(citation.quote) == normalize(pair.quote), pair.id
        assert citation.sentences == tuple(range(cited[0].number, cited[-1].number + 1)), pair.id
        assert citation.lines == (cited[0].line_start, cited[-1].line_end), pair.id
        # The quote lies within the cited sentences, and needs every one of them.
        assert citation.quote in span(paragraph, cited[0], cited[-1]), pair.id
        if len(cited) > 1:
            assert citation.quote not in span(paragraph, cited[1], cited[-1]), pair.id
            assert citation.quote not in span(paragraph, cited[0], cited[-2]), pair.id


def test_every_sentence_of_the_essay_is_cited(bundled: Knowledge) -> None:
    cited = Counter(
        f"p{pair.citation.paragraph}.s{number}" for pair in bundled.pairs for number in pair.citation.sentences
    )
    uncited = [s.id for s in bundled.documents[0].sentences if s.id not in cited]
    assert uncited == []
    assert len(bundled.documents[0].sentences) == 21


def test_bundled_curation_is_large_enough(bundled: Knowledge) -> None:
    assert len(bundled.pairs) >= 40
    assert [p.id for p in bundled.pairs if not p.alternates] == []
    assert len({p.key for p in bundled.pairs}) == len(bundled.pairs)


def test_an_unreadable_text_is_skipped_and_the_rest_loads(make_folder: MakeFolder) -> None:
    folder = make_folder(**{"a.txt": TEXT_A, "a.qa.yaml": QA_A, "b.txt": b"Beta \xff mountains.\n", "c.txt": "\n"})
    knowledge = load_knowledge(folder)
    assert [d.source for d in knowledge.documents] == ["a"]
    assert [p.key for p in knowledge.pairs] == ["a/floods"]
    assert [str(e) for e in knowledge.unreadable] == [
        f"{folder / 'b.txt'}:1: not UTF-8 text (byte 5)",
        f"{folder / 'c.txt'}:1: the text is empty",
    ]
    with pytest.raises(KnowledgeError) as caught:
        knowledge.check_complete()
    assert str(caught.value).splitlines() == [str(e) for e in knowledge.unreadable]


def test_a_folder_whose_texts_are_all_unreadable_is_broken(make_folder: MakeFolder) -> None:
    folder = make_folder(**{"a.txt": "", "b.txt": b"\xff"})
    assert str(load_error(folder)).splitlines() == [
        f"{folder / 'a.txt'}:1: the text is empty",
        f"{folder / 'b.txt'}:1: not UTF-8 text (byte 0)",
    ]


def test_a_complete_folder_passes_the_check(bundled: Knowledge) -> None:
    assert bundled.unreadable == ()
    bundled.check_complete()


def test_two_texts_with_one_name_are_an_error_naming_both(make_folder: MakeFolder) -> None:
    folder = make_folder(**{"essay.txt": TEXT_A, "essay.md": "# Essay\n\nText.\n"})
    assert str(load_error(folder)) == (
        f"{folder / 'essay.txt'}: another text has the same name, essay.md: rename one of them"
    )


def test_lock_files_and_hidden_files_are_not_texts(make_folder: MakeFolder) -> None:
    folder = make_folder(**{"a.txt": TEXT_A, "~$essay.docx": b"\x00lock", ".notes.txt": "Hidden."})
    knowledge = load_knowledge(folder)
    assert [d.source for d in knowledge.documents] == ["a"]
    assert knowledge.unreadable == ()


def test_a_file_over_the_size_limit_is_skipped(make_folder: MakeFolder) -> None:
    folder = make_folder(**{"a.txt": TEXT_A, "big.txt": "x" * 1001, "edge.txt": "y" * 1000})
    knowledge = load_knowledge(folder, Reading(max_file_mb=0.001))
    assert [d.source for d in knowledge.documents] == ["a", "edge"]  # exactly at the limit is allowed
    assert [str(e) for e in knowledge.unreadable] == [
        f"{folder / 'big.txt'}: 0.0 MB is over the limit of 0.001 MB for one file (STUDYBOT_MAX_FILE_MB)"
    ]


def test_a_quote_not_found_shows_the_nearest_passage(make_folder: MakeFolder) -> None:
    near = QA_A.replace("quote: Alpha rivers flood in spring.", "quote: Alpha rivers flood in sprang.")
    folder = make_folder(**{"a.txt": TEXT_A, "a.qa.yaml": near})
    assert str(load_error(folder)) == (
        f"{folder / 'a.qa.yaml'}:5: quote not found in a.txt (compared case-sensitively): "
        "'Alpha rivers flood in sprang.'; nearest passage (97% alike) at ¶1, sentence 1, lines 1–1: "
        "'Alpha rivers flood in spring.'"
    )
