"""The bundled essay as a teacher might have it, a two-page PDF, a Word document and Markdown notes: each answers
every curated question (and its alternates) citing the same sentences as the .txt, located where a person finds
them in that file."""

from __future__ import annotations

from pathlib import Path

import pytest
from format_samples import ESSAY, copy_essay_pairs, essay_docx, essay_markdown, essay_pdf, write_files

from knowledge.corpus import Knowledge, load_knowledge
from knowledge.models import Citation
from knowledge.retriever import Retriever

RENDERS = {"pdf": essay_pdf, "docx": essay_docx, "md": essay_markdown}


@pytest.fixture(scope="module", params=sorted(RENDERS))
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    folder = write_files(tmp_path_factory.mktemp(request.param), {f"{ESSAY}.{request.param}": RENDERS[request.param]()})
    copy_essay_pairs(folder)
    return load_knowledge(folder)


def outcome(retriever: Retriever, question: str) -> tuple[tuple[object, ...], float]:
    """What a reader gets, and the confidence (which a heading of the Word or Markdown text may nudge: a heading
    lends its words to the sentences under it)."""
    answer = retriever.ask(question)
    cited = [(c.source, c.paragraph, c.sentences) for c in answer.citations]
    return (answer.answered, answer.pair.id if answer.pair else None, cited), answer.confidence


def test_every_curated_phrasing_is_answered_as_from_the_txt(rendered: Knowledge, bundled: Knowledge) -> None:
    assert rendered.unreadable == ()
    assert [len(p.sentences) for p in rendered.documents[0].paragraphs] == [5, 5, 7, 4]
    assert [s.text for s in rendered.documents[0].sentences] == [s.text for s in bundled.documents[0].sentences]
    assert [p.key for p in rendered.pairs] == [p.key for p in bundled.pairs]
    from_txt, from_render = Retriever(bundled), Retriever(rendered)
    phrasings = [phrasing for pair in bundled.pairs for phrasing in pair.phrasings]
    assert len(phrasings) > 200
    for phrasing in phrasings:
        (got, confidence), (expected, from_text) = outcome(from_render, phrasing), outcome(from_txt, phrasing)
        assert got == expected, phrasing
        assert confidence == pytest.approx(from_text, abs=0.02), phrasing


WHERE = {
    "pdf": {
        "only-goal": ["soft-power-essay.pdf", "p. 18", "¶2", "sentence 2"],
        "page-break": ["soft-power-essay.pdf", "pp. 17–18", "¶3", "sentence 5"],
        "after-break": ["soft-power-essay.pdf", "p. 18", "¶1", "sentence 2"],
    },
    "docx": {
        "only-goal": ["soft-power-essay.docx", "Soft power in Japan’s foreign policy › Conclusion", "¶1", "sentence 2"],
        "page-break": ["soft-power-essay.docx", "Soft power in Japan’s foreign policy", "¶3", "sentence 5"],
        "after-break": ["soft-power-essay.docx", "Soft power in Japan’s foreign policy", "¶3", "sentence 6"],
    },
    "md": {
        "only-goal": [
            "soft-power-essay.md",
            "Soft power in Japan’s foreign policy › Conclusion",
            "¶1",
            "sentence 2",
            "lines 56–57",
        ],
        "page-break": [
            "soft-power-essay.md",
            "Soft power in Japan’s foreign policy",
            "¶3",
            "sentence 5",
            "lines 43–46",
        ],
        "after-break": [
            "soft-power-essay.md",
            "Soft power in Japan’s foreign policy",
            "¶3",
            "sentence 6",
            "lines 46–48",
        ],
    },
}
"""Checked by hand against the rendered files: the PDF's page 18 starts with the end of the sentence that page 17
breaks off ("Secondly, it / allows you…"), so on page 18 that sentence is the first of ¶1; the Markdown file has the
front matter and the headings above the essay's lines."""


def test_citations_name_page_or_section_as_a_person_finds_them(rendered: Knowledge) -> None:
    kind = Path(rendered.documents[0].path).suffix[1:]
    by_id = {p.id: p for p in rendered.pairs}
    assert by_id["soft-power-only-goal"].citation.where() == WHERE[kind]["only-goal"]
    sentences = {s.id: s for s in rendered.documents[0].sentences}
    for name, sentence_id in (("page-break", "p3.s5"), ("after-break", "p3.s6")):
        sentence = sentences[sentence_id]
        assert Citation.of((sentence,), sentence.text).where() == WHERE[kind][name]
