"""knowledge/curation.py: adding a curated pair to a ``.qa.yaml`` (validated first, appended as text, written
atomically), grouping logged questions that ask the same thing, curated questions that miss their own pair, and
replaying questions."""

from __future__ import annotations

import os
import random
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from curation_samples import ESSAY, LONG_TERM, RIVAL, ZANZIBAR, ZANZIBAR_ANSWER

from knowledge.corpus import BUNDLED_DIR, Knowledge, load_knowledge
from knowledge.curation import (
    GROUP_CHARS,
    add_pair,
    answered_by,
    group_similar,
    lone_quotes,
    misses,
    replay,
    slug,
)
from knowledge.errors import KnowledgeError
from knowledge.qa import load_pairs
from knowledge.retriever import Retriever

MakeFolder = Callable[..., Path]

QA = f"{ESSAY}.qa.yaml"
GOAL_QUOTE = "In fact, the only goal of soft power is the achievement of the desired economic and political results."
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
"""What the loader accepts as an id (knowledge/qa.py)."""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A scratch copy of the bundled knowledge folder."""
    copy = tmp_path / "knowledge"
    copy.mkdir()
    for path in BUNDLED_DIR.glob("*"):
        if path.suffix in (".txt", ".yaml"):
            shutil.copyfile(path, copy / path.name)
    return copy


def files(folder: Path) -> dict[str, bytes]:
    """Every file in the folder (hidden ones too: a leftover temporary file would be one) with its bytes."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def teach_zanzibar(folder: Path, question: str = ZANZIBAR) -> None:
    add_pair(load_knowledge(folder), ESSAY, question, ZANZIBAR_ANSWER, LONG_TERM)


# ----------------------------------------------------------------- slug


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What is the only goal of soft power?", "what-is-the-only-goal-of-soft-power"),
        ("  Soft   POWER's role, in 2024!  ", "soft-power-s-role-in-2024"),
        ("one two three four five six seven eight nine ten", "one-two-three-four-five-six-seven-eight"),
        (
            "Why is the internationalisation of Japanese universities important?",
            "why-is-the-internationalisation-of-japanese-univ",  # cut at 48 characters
        ),
        ("日本のソフトパワーとは?", "pair"),
        ("???", "pair"),
    ],
)
def test_slug_is_a_readable_valid_id(question: str, expected: str) -> None:
    made = slug(question, set())
    assert made == expected
    assert len(made) <= 48
    assert ID_PATTERN.match(made)


def test_slug_is_unique_among_taken_ids() -> None:
    taken = {"what-is-soft-power", "what-is-soft-power-2"}
    assert slug("What is soft power?", taken) == "what-is-soft-power-3"
    assert slug("What is soft power?", {"what-is-soft-power"}) == "what-is-soft-power-2"
    assert slug("???", {"pair"}) == "pair-2"


def test_slug_cut_at_48_characters_never_ends_with_a_dash() -> None:
    made = slug("a" * 47 + " bcd", set())
    assert made == "a" * 47
    assert ID_PATTERN.match(slug("x" * 100, {"x" * 48}))


# ----------------------------------------------------------------- add_pair


def test_add_pair_appends_to_the_file_and_the_new_file_loads(folder: Path) -> None:
    before = (folder / QA).read_bytes()
    knowledge = load_knowledge(folder)

    pair = add_pair(knowledge, ESSAY, ZANZIBAR, ZANZIBAR_ANSWER, LONG_TERM, alternates=["zanzibar doctrine"])

    after = (folder / QA).read_bytes()
    assert after.startswith(before)  # the curators' comments and layout, byte for byte
    assert after[len(before) :].decode() == (
        "- id: what-is-the-zanzibar-doctrine\n"
        f"  question: {ZANZIBAR}\n"
        "  alternates:\n"
        "  - zanzibar doctrine\n"
        f"  answer: {ZANZIBAR_ANSWER}\n"
        f"  quote: {LONG_TERM}\n"
    )
    assert pair.key == f"{ESSAY}/what-is-the-zanzibar-doctrine"
    assert (pair.question, pair.answer, pair.quote, pair.alternates) == (
        ZANZIBAR,
        ZANZIBAR_ANSWER,
        LONG_TERM,
        ("zanzibar doctrine",),
    )
    assert (pair.citation.paragraph, pair.citation.sentences, pair.citation.lines) == (4, (4,), (53, 54))
    assert pair.line == before.decode().count("\n") + 1
    reloaded = load_knowledge(folder)
    assert reloaded.pairs == (*knowledge.pairs, pair)
    assert Retriever(reloaded).ask(ZANZIBAR).pair == pair


def test_add_pair_leaves_no_temporary_file(folder: Path) -> None:
    names = set(files(folder))
    teach_zanzibar(folder)
    assert set(files(folder)) == names


def test_add_pair_ids_stay_unique(folder: Path) -> None:
    teach_zanzibar(folder)
    teach_zanzibar(folder)
    teach_zanzibar(folder, "What is the Zanzibar doctrine??")

    ids = [pair.id for pair in load_knowledge(folder).pairs]
    base = "what-is-the-zanzibar-doctrine"
    assert ids[-3:] == [base, f"{base}-2", f"{base}-3"]
    assert len(set(ids)) == len(ids)


def test_add_pair_quotes_yaml_special_characters(folder: Path) -> None:
    question = "What's 'soft power': a #tag, - [list] or {map}? & *star"
    answer = 'It is "soft": no: really # not a comment'

    pair = add_pair(load_knowledge(folder), ESSAY, question, answer, f"  {GOAL_QUOTE}  ")

    [loaded] = [p for p in load_knowledge(folder).pairs if p.id == pair.id]
    assert (loaded.question, loaded.answer, loaded.quote) == (question, answer, GOAL_QUOTE)


def test_add_pair_accepts_a_quote_as_the_text_has_it_across_lines(folder: Path) -> None:
    """Copied from the file: a line break and curly quotes, as the text has them, match the folded text."""
    quote = "the aim of the study is to study the\nfeatures of the concept of “soft power”"
    pair = add_pair(load_knowledge(folder), ESSAY, "What is the aim of the study?", "To study soft power.", quote)
    assert pair.citation.lines == (12, 13)
    assert load_knowledge(folder).pairs[-1] == pair


def test_add_pair_refuses_an_unknown_source(folder: Path) -> None:
    before = files(folder)
    with pytest.raises(KnowledgeError) as caught:
        add_pair(load_knowledge(folder), "no-such-text", ZANZIBAR, ZANZIBAR_ANSWER, LONG_TERM)
    assert caught.value.reason == "no course text named 'no-such-text'"
    assert files(folder) == before


@pytest.mark.parametrize(
    ("question", "answer", "quote", "reason"),
    [
        (
            ZANZIBAR,
            ZANZIBAR_ANSWER,
            "The moon is made of green cheese.",
            f"quote not found in {ESSAY}.txt (compared case-sensitively): 'The moon is made of green cheese.'; "
            "nothing in the text comes close",
        ),
        (ZANZIBAR, ZANZIBAR_ANSWER, GOAL_QUOTE.lower(), None),  # quotes are compared case-sensitively
        ("   ", ZANZIBAR_ANSWER, LONG_TERM, "'question' is empty"),
        (ZANZIBAR, "", LONG_TERM, "'answer' is empty"),
        (ZANZIBAR, ZANZIBAR_ANSWER, "", "'quote' is empty"),
        (ZANZIBAR, "x" * 2001, LONG_TERM, "'answer' is longer than 2000 characters"),
    ],
)
def test_add_pair_refuses_an_invalid_pair_without_touching_the_file(
    folder: Path, question: str, answer: str, quote: str, reason: str | None
) -> None:
    before = files(folder)
    knowledge = load_knowledge(folder)

    with pytest.raises(KnowledgeError) as caught:
        add_pair(knowledge, ESSAY, question, answer, quote)

    assert caught.value.path == str(folder / QA)
    assert caught.value.line > before[QA].decode().count("\n")  # a line of the new pair, past the old file
    if reason is not None:
        assert caught.value.reason == reason
    assert files(folder) == before  # byte for byte, and no temporary file left
    assert load_knowledge(folder).pairs == knowledge.pairs


def test_add_pair_keeps_comments_and_crlf_line_ends(folder: Path) -> None:
    path = folder / QA
    crlf = b"# curated by hand on Windows\r\n" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(crlf)

    teach_zanzibar(folder)

    after = path.read_bytes()
    assert after.startswith(crlf)
    assert b"\n" not in after.replace(b"\r\n", b"")  # the new lines end like the old ones
    assert load_knowledge(folder).pairs[-1].question == ZANZIBAR


def test_add_pair_to_a_file_without_a_final_line_break(folder: Path) -> None:
    path = folder / QA
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n# last comment, no line break after it"
    path.write_text(text, encoding="utf-8", newline="")

    teach_zanzibar(folder)

    after = path.read_bytes().decode("utf-8")
    assert after.startswith(text + "\n- id: what-is-the-zanzibar-doctrine\n")
    assert load_knowledge(folder).pairs[-1].question == ZANZIBAR


def test_add_pair_creates_the_file_for_a_text_without_pairs(folder: Path) -> None:
    (folder / "notes.txt").write_text("Diplomacy is the management of relations between states.\n", encoding="utf-8")
    knowledge = load_knowledge(folder)

    pair = add_pair(knowledge, "notes", "What is diplomacy?", "Managing relations between states.", "Diplomacy is")

    assert (folder / "notes.qa.yaml").read_text(encoding="utf-8").startswith("- id: what-is-diplomacy\n")
    assert pair.key == "notes/what-is-diplomacy"
    assert pair.line == 1
    assert [p for p in load_knowledge(folder).pairs if p.source == "notes"] == [pair]


def test_add_pair_keeps_a_byte_order_mark(folder: Path) -> None:
    path = folder / QA
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    before = path.read_bytes()

    teach_zanzibar(folder)

    assert path.read_bytes().startswith(before)
    assert load_knowledge(folder).pairs[-1].question == ZANZIBAR


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = files(folder)

    def full_disk(source: str, destination: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError, match="No space left"):
        teach_zanzibar(folder)

    assert files(folder) == before


def test_add_pair_validates_the_whole_new_file(folder: Path) -> None:
    """A file broken by hand since it was loaded is not made worse: the pair is refused and the file untouched."""
    path = folder / QA
    knowledge = load_knowledge(folder)
    path.write_text(path.read_text(encoding="utf-8") + "- id: [broken\n", encoding="utf-8")
    before = files(folder)

    with pytest.raises(KnowledgeError, match="not valid YAML"):
        add_pair(knowledge, ESSAY, ZANZIBAR, ZANZIBAR_ANSWER, LONG_TERM)

    assert files(folder) == before


def test_add_pair_writes_what_load_pairs_reads(folder: Path) -> None:
    knowledge = load_knowledge(folder)
    document = knowledge.document(ESSAY)
    assert document is not None

    pair = add_pair(knowledge, ESSAY, ZANZIBAR, ZANZIBAR_ANSWER, LONG_TERM)

    reread = load_pairs(str(folder / QA), (folder / QA).read_text(encoding="utf-8"), document)
    assert reread[-1] == pair


# ----------------------------------------------------------------- group_similar


def test_group_similar_groups_rewordings_biggest_first() -> None:
    questions = [
        "What is the capital of France?",  # 0
        "who invented telephones",  # 1
        "Who invented the telephone?",  # 2
        "Explain the zanzibar doctrine",  # 3
        "whats the zanzibar doctrine",  # 4
        "What is the zanzibar doctrine?",  # 5
    ]
    assert group_similar(questions) == [[3, 4, 5], [1, 2], [0]]


def test_group_similar_every_question_in_exactly_one_group() -> None:
    questions = [f"question number {n} about {'soft power' if n % 3 else 'anime'}" for n in range(40)]
    groups = group_similar(questions)
    assert sorted(i for group in groups for i in group) == list(range(40))
    assert all(group == sorted(group) for group in groups)
    sizes = [len(group) for group in groups]
    assert sizes == sorted(sizes, reverse=True)


def test_group_similar_ties_keep_the_order_of_the_log() -> None:
    questions = ["pizza in Naples", "telephone inventor", "who invented the telephone", "best pizza in Naples"]
    assert group_similar(questions) == [[0, 3], [1, 2]]
    assert group_similar(["alpha beta", "gamma delta", "epsilon zeta"]) == [[0], [1], [2]]


def test_group_similar_ignores_case_and_spacing() -> None:
    assert group_similar(["WHAT   is SOFT power", "what is soft power"]) == [[0, 1]]


def test_group_similar_cutoff() -> None:
    questions = ["what is soft power in japan", "what is hard power in china"]
    assert group_similar(questions, cutoff=100.0) == [[0], [1]]
    assert group_similar(questions, cutoff=0.0) == [[0, 1]]


def test_group_similar_edge_cases() -> None:
    assert group_similar([]) == []
    assert group_similar(["", "", "?"]) == [[0], [1], [2]]
    assert group_similar(["same"] * 3) == [[0, 1, 2]]


def test_group_similar_compares_what_the_curator_sees() -> None:
    """The first GROUP_CHARS characters decide (what /unanswered shows of a question): the rest is not compared."""
    head = "why does the essay say that japan keeps a low level of english proficiency " * 3
    assert len(head) >= GROUP_CHARS
    tails = ["and what could change it " * 20, "zebra quokka " * 40]
    assert group_similar([head[:GROUP_CHARS] + tail for tail in tails]) == [[0, 1]]


def test_group_similar_is_fast_on_a_log_of_long_questions() -> None:
    """300 distinct questions of 1,000 characters (the most a question may have) took seconds to group."""
    rng = random.Random(300)
    letters = "abcdefghijklmnopqrstuvwxyz"
    questions = [
        " ".join("".join(rng.choices(letters, k=rng.randint(3, 9))) for _ in range(200))[:1000] for _ in range(300)
    ]
    started = time.perf_counter()
    groups = group_similar(questions)
    assert time.perf_counter() - started < 2.0
    assert len(groups) == 300


# ----------------------------------------------------------------- curated questions that miss their pair, replay


def test_every_bundled_phrasing_brings_back_its_own_pair(retriever: Retriever) -> None:
    assert [(m.phrasing, m.outcome()) for m in misses(retriever)] == []


def test_two_pairs_for_one_question_collide(folder: Path) -> None:
    with (folder / QA).open("a", encoding="utf-8") as qa:
        qa.write(RIVAL)
    retriever = Retriever(load_knowledge(folder))

    found = {(m.phrasing, m.pair.id): m for m in misses(retriever)}

    clash = found[("What is the only goal of soft power?", "rival-only-goal")]  # the pair loaded first keeps it
    assert clash.answered_by is not None
    assert clash.answered_by.key == f"{ESSAY}/soft-power-only-goal"
    assert clash.outcome() == f"{ESSAY}/soft-power-only-goal"
    assert all("rival-only-goal" in f"{pair} {m.outcome()}" for (_, pair), m in found.items())  # only the rival


def test_a_phrasing_with_no_words_to_match_is_a_miss(make_folder: MakeFolder) -> None:
    folder = make_folder(
        **{
            "rivers.txt": "The river floods in spring when the snow melts.\n\nGlaciers feed the northern lakes.\n",
            "rivers.qa.yaml": (
                "- id: floods\n"
                "  question: Why does the river flood?\n"
                "  alternates: [when does the river flood, what is that]\n"
                "  answer: Because the snow melts.\n"
                "  quote: The river floods in spring when the snow melts.\n"
            ),
        }
    )
    retriever = Retriever(load_knowledge(folder), threshold=0.3)

    found = {m.phrasing: m for m in misses(retriever)}

    assert sorted(found) == ["what is that"]  # the other alternate brings back its pair
    assert found["what is that"].answered_by is None
    assert found["what is that"].outcome().startswith("not covered (")  # no words to match at all


LAKES = (
    "The lake freezes in winter. This makes it a road for the villages.\n"
    "It is fed by glaciers, and it floods in spring.\n\n"
    "It can be crossed on foot in January. Thus the post arrives weekly.\n"
)


def lake_pair(key: str, quote: str) -> str:
    return f"- id: {key}\n  question: {key}?\n  alternates: []\n  answer: An answer.\n  quote: {quote}\n"


def test_a_quote_opening_on_a_word_pointing_back_is_a_lone_quote(make_folder: MakeFolder) -> None:
    folder = make_folder(
        **{
            "lake.txt": LAKES,
            "lake.qa.yaml": "".join(
                [
                    lake_pair("this", "This makes it a road for the villages."),  # "this" is the sentence before
                    lake_pair("it", "It is fed by glaciers"),  # two sentences on: the one before it is wanted
                    lake_pair("thus", "Thus the post arrives weekly."),  # carries on from the sentence before
                    lake_pair("whole", "The lake freezes in winter. This makes it a road"),  # starts where it points
                    lake_pair("opening", "It can be crossed on foot"),  # opens its paragraph: nothing to point at
                    lake_pair("inside", "it floods in spring."),  # mid-sentence "it" stands for the sentence's own
                ]
            ),
        }
    )

    found = {lone.pair.id: (lone.before.paragraph, lone.before.number) for lone in lone_quotes(load_knowledge(folder))}

    assert found == {"this": (1, 1), "it": (1, 2), "thus": (2, 1)}


def test_no_bundled_quote_points_back_at_a_sentence_it_leaves_out(bundled: Knowledge) -> None:
    assert [lone.pair.key for lone in lone_quotes(bundled)] == []


def test_answered_by_tells_which_questions_a_taught_pair_now_answers(folder: Path) -> None:
    teach_zanzibar(folder)
    retriever = Retriever(load_knowledge(folder))
    [taught] = [p for p in retriever.knowledge.pairs if p.question == ZANZIBAR]
    both = f"What is the only goal of soft power? Also {ZANZIBAR}"
    questions = [
        ZANZIBAR,
        "whats the zanzibar doctrine",
        "What is the only goal of soft power?",
        "Who won the cup?",
        both,
    ]

    assert answered_by(retriever, questions, taught.key) == [True, True, False, False, True]  # one of two questions
    assert answered_by(retriever, questions, "soft-power-essay/soft-power-only-goal") == [
        False,
        False,
        True,
        False,
        True,
    ]
    assert answered_by(retriever, [], taught.key) == []


def test_replay_counts_questions_answered_differently(folder: Path, bundled: Knowledge) -> None:
    old = Retriever(bundled)
    teach_zanzibar(folder)
    new = Retriever(load_knowledge(folder))
    questions = [
        ZANZIBAR,  # not covered before, answered now
        "whats the zanzibar doctrine",  # likewise
        "Who invented the telephone?",  # not covered either way
        "What is the only goal of soft power?",  # answered the same way
    ]

    assert replay(questions, old, new) == 2
    assert replay(questions, old, old) == 0
    assert replay([], old, new) == 0
    assert replay(questions, new, old) == 2


def test_replay_counts_another_citation_as_a_different_answer(folder: Path, bundled: Knowledge) -> None:
    path = folder / QA
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"quote: {GOAL_QUOTE}\n", f"quote: {LONG_TERM}\n"), encoding="utf-8")
    old, new = Retriever(bundled), Retriever(load_knowledge(folder))
    assert (
        new.ask("What is the only goal of soft power?").citations
        != old.ask("What is the only goal of soft power?").citations
    )

    assert replay(["What is the only goal of soft power?", "Who invented the telephone?"], old, new) == 1
