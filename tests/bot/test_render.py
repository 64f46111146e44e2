"""bot/render.py and bot/render_answers.py without Discord: every string is within Discord's limits, exactly at each
edge and past it."""

from __future__ import annotations

import dataclasses

import discord
import pytest
from studybot_harness import embed_length

from bot.render import (
    CHOICE_CHARS,
    CHOICES,
    ELLIPSIS,
    EMBED_DESCRIPTION_CHARS,
    EMBED_FIELD_VALUE_CHARS,
    EMBED_TITLE_CHARS,
    EMBED_TOTAL_CHARS,
    MESSAGE_CHARS,
    NO_MENTIONS,
    choices,
    clip,
    confidence_label,
    fit_embed,
    locator,
    notice,
    quote_block,
    suggestion_list,
)
from bot.render_answers import answer_embed
from knowledge.models import Answer, Citation, Place, QAPair
from knowledge.retriever import MAX_PARTS

CITATION = Citation(
    "soft-power-essay",
    4,
    (2,),
    (50, 51),
    "In fact, the only goal of soft power is the results.",
    Place("soft-power-essay.txt", 4, (2,)),
)


def pair(
    number: int = 1, *, question: str | None = None, answer: str = "An answer.", quote: str = "A quote."
) -> QAPair:
    citation = Citation("essay", 1, (1,), (1, 1), quote, Place("essay.txt", 1, (1,)))
    return QAPair(
        id=f"pair-{number}",
        source="essay",
        question=question or f"What is question number {number}?",
        alternates=(),
        answer=answer,
        quote=quote,
        citation=citation,
        line=number,
    )


def answered(question: str, text: str, citation: Citation = CITATION, matched: QAPair | None = None) -> Answer:
    return Answer(question, True, text, 0.91, (citation,), matched)


def within_limits(embed: discord.Embed) -> None:
    data = embed.to_dict()
    assert len(embed) <= EMBED_TOTAL_CHARS
    assert embed_length(dict(data)) == len(embed)
    assert len(data.get("title", "")) <= EMBED_TITLE_CHARS
    assert len(data.get("description", "")) <= EMBED_DESCRIPTION_CHARS
    for field in data.get("fields", []):
        assert len(field["name"]) <= 256
        assert 0 < len(field["value"]) <= EMBED_FIELD_VALUE_CHARS


# ----------------------------------------------------------------- clip


@pytest.mark.parametrize("limit", [1, 100, 1024, 2000, 4096])
def test_clip_keeps_text_of_exactly_the_limit(limit: int) -> None:
    text = "x" * limit

    assert clip(text, limit) == text


@pytest.mark.parametrize("limit", [2, 100, 1024, 2000, 4096])
def test_clip_cuts_one_past_the_limit_and_marks_the_cut(limit: int) -> None:
    clipped = clip("x" * (limit + 1), limit)

    assert len(clipped) == limit
    assert clipped == "x" * (limit - 1) + ELLIPSIS


def test_clip_does_not_leave_a_space_before_the_ellipsis() -> None:
    assert clip("word " * 10, 10) == "word word" + ELLIPSIS


def test_notice_is_a_message_of_at_most_2000_characters() -> None:
    assert notice("a" * MESSAGE_CHARS) == "a" * MESSAGE_CHARS
    assert len(notice("a" * (MESSAGE_CHARS + 1))) == MESSAGE_CHARS


def test_no_mentions_lets_nothing_ping() -> None:
    assert NO_MENTIONS.to_dict() == {"parse": []}


# ----------------------------------------------------------------- small pieces


@pytest.mark.parametrize(
    ("confidence", "label"), [(1.0, "100% (high)"), (0.85, "85% (high)"), (0.7, "70% (medium)"), (0.55, "55% (low)")]
)
def test_confidence_label(confidence: float, label: str) -> None:
    assert confidence_label(confidence) == label


def test_locator_names_file_paragraph_sentences_and_lines() -> None:
    assert locator(CITATION) == "soft-power-essay.txt · ¶4 · sentence 2 · lines 50–51"
    several = Citation("essay", 2, (1, 2, 3), (7, 12), "q", Place("essay.txt", 2, (1, 2, 3)))
    assert locator(several) == "essay.txt · ¶2 · sentences 1, 2, 3 · lines 7–12"


def test_quote_block_escapes_markdown_and_folds_whitespace() -> None:
    assert quote_block("It **is**\n\n`code`  here", 1024) == r"> It \*\*is\*\* \`code\` here"


def test_quote_block_is_clipped_to_its_limit() -> None:
    block = quote_block("word " * 1000, EMBED_FIELD_VALUE_CHARS)

    assert len(block) == EMBED_FIELD_VALUE_CHARS
    assert block.startswith("> word")
    assert block.endswith(ELLIPSIS)


# ----------------------------------------------------------------- answer embeds


def test_answered_embed_has_answer_source_quote_and_confidence() -> None:
    embed = answer_embed(answered("What is the only goal of soft power?", "The results."))
    fields = {field.name: field.value for field in embed.fields}

    assert embed.title == "Q: What is the only goal of soft power?"
    assert embed.description == "The results."
    assert fields == {
        "Source": "soft-power-essay.txt · ¶4 · sentence 2 · lines 50–51",
        "Quote": "> In fact, the only goal of soft power is the results.",
    }
    assert embed.footer.text == "Confidence 91% (high)"
    assert embed.colour == discord.Colour.green()
    within_limits(embed)


def test_answered_embed_names_the_curated_question_it_answers_when_asked_differently() -> None:
    matched = pair(question="What is the *only* goal of soft power?")

    differently = answer_embed(answered("soft power purpose", "The results.", matched=matched))
    same = answer_embed(answered("WHAT IS THE *ONLY* GOAL OF SOFT POWER?", "The results.", matched=matched))

    assert [f.name for f in differently.fields] == ["Answering", "Source", "Quote"]
    assert differently.fields[0].value == r"What is the \*only\* goal of soft power?"
    assert [f.name for f in same.fields] == ["Source", "Quote"]


def test_question_and_answer_are_escaped_in_the_embed() -> None:
    question = "**bold** __under__ ~~gone~~ ||spoiler|| ```py\nprint(1)``` what is soft power"

    embed = answer_embed(answered(question, "The `results` *now*."))

    assert (
        embed.title
        == r"Q: \*\*bold\*\* \_\_under\_\_ \~\~gone\~\~ \|\|spoiler\|\| \`\`\`py print(1)\`\`\` what is soft power"
    )
    assert embed.description == r"The \`results\` \*now\*."


def test_huge_answer_and_quote_fit_discord_limits() -> None:
    quoted = "quoted words " * 385  # 5,005 characters
    citation = Citation("essay", 1, (1, 2), (1, 90), quoted, Place("essay.txt", 1, (1, 2)))
    matched = pair(question="a curated question " * 100)
    answer = answered("a question " * 200, "answer text " * 834, citation, matched)  # 10,008 characters
    assert len(answer.text or "") > 10_000
    assert len(citation.quote) > 5_000

    embed = answer_embed(answer)

    within_limits(embed)
    assert len(embed.title or "") == EMBED_TITLE_CHARS
    assert embed.description is not None
    assert embed.description.endswith(ELLIPSIS)
    quote = next(f.value or "" for f in embed.fields if f.name == "Quote")
    assert EMBED_FIELD_VALUE_CHARS - 1 <= len(quote) <= EMBED_FIELD_VALUE_CHARS  # the space before the cut goes
    assert quote.endswith("quoted" + ELLIPSIS)
    assert embed.footer.text == "Confidence 91% (high)"


def test_a_reply_to_several_questions_numbers_each_with_its_source_quote_and_confidence() -> None:
    matched = pair(question="What is the *only* goal of soft power?")
    first = answered("soft power *purpose*?", "The results.", matched=matched)
    second = Answer("whats the capital of France?", False, None, 0.02)
    whole = Answer("soft power purpose? and whats the capital of France", True, "The results.", 0.91, (CITATION,))

    embed = answer_embed(dataclasses.replace(whole, parts=(first, second)))

    assert embed.title == "Q: soft power purpose? and whats the capital of France"
    assert embed.description is None
    assert [(f.name, f.value) for f in embed.fields] == [
        ("1. soft power \\*purpose\\*?", "Answering: What is the \\*only\\* goal of soft power?\nThe results."),
        ("Source", "soft-power-essay.txt · ¶4 · sentence 2 · lines 50–51"),
        ("Quote", "> In fact, the only goal of soft power is the results."),
        ("2. whats the capital of France?", "Not covered by the text, so I won't guess."),
    ]
    assert embed.footer.text == "Confidence 1. 91% (high)"
    within_limits(embed)


def test_the_longest_reply_to_three_questions_fits_discord_limits() -> None:
    quoted = "quoted words " * 385
    where = Place("a" * 300 + ".txt", 1, (1, 2), section=("heading " * 100,))
    citation = Citation("essay", 1, (1, 2), (1, 90), quoted, where)
    matched = pair(question="a curated question " * 100)
    part = answered("a question " * 200, "answer text " * 834, citation, matched)
    whole = Answer("q" * 5000, True, part.text, 0.91, (citation,))

    embed = answer_embed(dataclasses.replace(whole, parts=(part,) * MAX_PARTS))

    within_limits(embed)
    assert len(embed.fields) == 3 * MAX_PARTS
    assert embed.fields[0].name is not None
    assert embed.fields[0].name.startswith("1. a question")
    assert embed.fields[0].name.endswith(ELLIPSIS)
    assert embed.footer.text == "Confidence " + " · ".join(f"{n}. 91% (high)" for n in range(1, MAX_PARTS + 1))


def test_fit_embed_shortens_the_description_to_exactly_the_total() -> None:
    embed = discord.Embed(title="t" * 256, description="d" * 4096)
    for number in range(2):
        embed.add_field(name=f"f{number}", value="v" * 1024)

    fit_embed(embed)

    assert len(embed) == EMBED_TOTAL_CHARS
    assert embed.description is not None
    assert embed.description.endswith(ELLIPSIS)


def test_fit_embed_leaves_an_embed_within_the_total_alone() -> None:
    embed = discord.Embed(title="t", description="d" * 4096)

    assert fit_embed(embed).description == "d" * 4096


def test_not_covered_embed_says_so_and_suggests_questions() -> None:
    suggestions = (pair(1), pair(2, question="What is **soft** power?"))

    embed = answer_embed(Answer("What is *the* capital of France?", False, None, 0.31, suggestions=suggestions))
    fields = {field.name: field.value for field in embed.fields}

    assert embed.title == "Not covered by the text"
    assert embed.colour == discord.Colour.light_grey()
    assert fields["You asked"] == r"What is \*the\* capital of France?"
    assert fields["Questions I can answer"] == "• What is question number 1?\n• What is \\*\\*soft\\*\\* power?"
    assert embed.footer.text is None
    within_limits(embed)


def test_not_covered_without_suggestions_has_no_suggestion_field() -> None:
    embed = answer_embed(Answer("x" * 5000, False, None, 0.0))

    assert [f.name for f in embed.fields] == ["You asked"]
    assert len(embed.fields[0].value or "") == EMBED_FIELD_VALUE_CHARS
    within_limits(embed)


def test_not_covered_embed_with_a_nearest_passage_shows_where_and_the_quote() -> None:
    embed = answer_embed(Answer("Why *this*?", False, None, 0.52, suggestions=(pair(1),), closest=CITATION))
    fields = {field.name: field.value for field in embed.fields}

    assert embed.title == "Not covered by the text"
    assert "won't guess" in (embed.description or "")
    assert "nearest" in (embed.description or "")
    assert list(fields) == ["You asked", "Nearest passage", "Questions I can answer"]
    assert fields["Nearest passage"] == (
        "soft-power-essay.txt · ¶4 · sentence 2 · lines 50–51\n> In fact, the only goal of soft power is the results."
    )
    assert embed.footer.text is None
    within_limits(embed)


def test_a_huge_nearest_passage_keeps_its_locator_and_fits() -> None:
    sections = tuple(f"Heading number {n} " * 10 for n in range(20))  # a locator of several thousand characters
    place = Place("notes.md", 3, (1,), section=sections)
    huge = Citation("notes", 3, (1,), (1, 400), "word " * 3000, place)
    suggestions = tuple(pair(n, question="long question " * 20) for n in range(40))

    embed = answer_embed(Answer("q" * 5000, False, None, 0.5, suggestions=suggestions, closest=huge))

    nearest = next(field.value or "" for field in embed.fields if field.name == "Nearest passage")
    where, quote = nearest.split("\n", 1)
    assert len(nearest) == EMBED_FIELD_VALUE_CHARS  # the locator clipped to a quarter, the quote to the rest
    assert where.startswith("notes.md · Heading number 0")
    assert where.endswith(ELLIPSIS)
    assert quote.startswith("> word word")
    assert quote.endswith(ELLIPSIS)
    within_limits(embed)


def test_suggestion_list_stays_within_1024_by_dropping_whole_lines() -> None:
    pairs = [pair(n, question=f"{n:02d} " + "q" * 147) for n in range(30)]  # 150 characters each

    listed = suggestion_list(pairs, EMBED_FIELD_VALUE_CHARS)

    assert len(listed) <= EMBED_FIELD_VALUE_CHARS
    lines = listed.split("\n")
    assert len(lines) == 6  # 6 lines of 152 characters and 5 line breaks: 917; a seventh would be 1070
    assert all(line == "• " + pairs[i].question for i, line in enumerate(lines))


def test_suggestion_list_clips_a_very_long_question_to_one_line() -> None:
    listed = suggestion_list([pair(question="q" * 5000)], EMBED_FIELD_VALUE_CHARS)

    assert len(listed) == 2 + 200
    assert listed.endswith(ELLIPSIS)


def test_suggestion_list_with_nothing_that_fits_is_an_ellipsis() -> None:
    assert suggestion_list([pair(question="q" * 300)], 100) == ELLIPSIS


def test_many_suggestions_in_a_not_covered_embed_fit() -> None:
    suggestions = tuple(pair(n, question="long question " * 20) for n in range(40))

    within_limits(answer_embed(Answer("?", False, None, 0.1, suggestions=suggestions)))


# ----------------------------------------------------------------- autocomplete choices


def test_choices_are_at_most_25_when_given_30_pairs() -> None:
    made = choices([pair(n) for n in range(30)])

    assert len(made) == CHOICES
    assert [c.name for c in made] == [f"What is question number {n}?" for n in range(25)]


def test_choice_of_a_150_character_question_is_clipped_to_100() -> None:
    (made,) = choices([pair(question="q" * 150)])

    assert len(made.name) == CHOICE_CHARS
    assert made.value == made.name
    assert made.name.endswith(ELLIPSIS)


def test_choice_of_exactly_100_characters_is_kept_whole() -> None:
    (made,) = choices([pair(question="q" * 100)])

    assert made.name == "q" * 100


def test_choices_fold_whitespace_and_drop_duplicates() -> None:
    made = choices([pair(1, question="What  is\nit?"), pair(2, question="What is it?"), pair(3, question="Other?")])

    assert [(c.name, c.value) for c in made] == [("What is it?", "What is it?"), ("Other?", "Other?")]


def test_choices_of_nothing_are_empty() -> None:
    assert choices([]) == []
