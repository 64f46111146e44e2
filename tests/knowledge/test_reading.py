"""Reading questions as students write them: chat shorthand, fillers, context before the question, two in one."""

from __future__ import annotations

import pytest

from knowledge.chat import drop_small_talk
from knowledge.normalize import content_words
from knowledge.reading import CONTEXT_WEIGHT, read_question


def words_of(question: str) -> list[str]:
    return [word for word, _ in read_question(question).content]


def test_a_plain_question_is_all_question() -> None:
    reading = read_question("What is the only goal of soft power?")
    assert reading.content == [("goal", 1.0), ("soft", 1.0), ("power", 1.0)]
    assert reading.questions == []


@pytest.mark.parametrize(
    ("typed", "content"),
    [
        ("ok so whats the actual aim of this essay lol", ["aim"]),  # "actual" only stresses the aim
        ("ngl i dont get why soft power is called auxiliary 😭", ["soft", "power", "called", "auxiliary"]),
        ("wait so japan just copies other countries' playbook or nah", ["japan", "copies", "countries", "playbook"]),
        ("is japan attractive bc of its economy", ["japan", "attractive", "economy"]),
        ("I'm sure they're right", ["sure", "right"]),
        (
            "so soft power is seen as a side thing in world politics right?",
            ["soft", "power", "seen", "side", "world", "politics"],
        ),  # a tag asking for agreement
        ("what is the right answer", ["right", "answer"]),
        ("is innovation like the base of the economy tho", ["innovation", "base", "economy"]),
        ("bruh what even is globigerina", ["globigerina"]),  # emphasis, as "actually" is
        ("so japan just copies other countries stuff?? 💀", ["japan", "copies", "countries"]),  # as "things" is
        ("the canals look sus, is the author mid on lowell", ["canals", "look", "lowell"]),
    ],
)
def test_chat_fillers_go_and_shorthand_is_spelled_out(typed: str, content: list[str]) -> None:
    assert words_of(typed) == content


@pytest.mark.parametrize(
    ("typed", "content"),
    [
        ("hey how's it going", []),
        ("how r u", []),
        ("good morning! what is soft power?", ["soft", "power"]),
        ("hi everyone! what is soft power?", ["soft", "power"]),
        ("good morning everyone how was ur weekend", []),
        ("what happens in the morning", ["happens", "morning"]),
        ("Is Japanese culture for everyone?", ["japanese", "culture", "everyone"]),
        ("How are things going with the exchanges?", ["exchanges"]),
    ],
)
def test_small_talk_names_no_topic(typed: str, content: list[str]) -> None:
    assert words_of(typed) == content


@pytest.mark.parametrize(
    "small_talk",
    [
        "hey there",
        "Good afternoon, folks",
        "morning all",
        "how's it going",
        "how are things going",
        "how r u doing",
        "how was your weekend",
        "what's up",
        "good night",
        "see ya later",
    ],
)
def test_every_kind_of_small_talk_is_dropped(small_talk: str) -> None:
    """Each kind holds a word the quick check looks for; one that did not would never be dropped."""
    assert drop_small_talk(small_talk + "! why is english important").split() == [
        "!",
        "why",
        "is",
        "english",
        "important",
    ]


def test_context_before_the_question_weighs_less() -> None:
    reading = read_question("I'm making flashcards for my module. What does the essay say about English proficiency?")
    weights = dict(reading.content)
    assert weights["flashcards"] == weights["module"] == CONTEXT_WEIGHT
    assert weights["english"] == weights["proficiency"] == 1.0


def test_a_keyword_search_without_a_question_word_is_all_question() -> None:
    assert read_question("japan innovation economy. central asia").content == [
        ("japan", 1.0),
        ("innovation", 1.0),
        ("economy", 1.0),
        ("central", 1.0),
        ("asia", 1.0),
    ]


@pytest.mark.parametrize(
    ("typed", "parts"),
    [
        (
            "tbh is japan bad at english or smth? and what's pushing them to learn it",
            [
                ("is japan bad at english or smth?", ""),
                ("what's pushing them to learn it?", "is japan bad at english or smth?"),
            ],
        ),
        (
            "whats cultural diplomacy and also why does japan use old culture lol",
            [("whats cultural diplomacy?", ""), ("why does japan use old culture?", "")],
        ),
        (
            "So, what is Soft Power? Plus who are the new actors",
            [("what is Soft Power?", ""), ("who are the new actors?", "")],
        ),
    ],
)
def test_two_questions_in_one_message_are_told_apart(typed: str, parts: list[tuple[str, str]]) -> None:
    """Each as written, without the words that join it to the message; with the one before it when it refers back."""
    assert read_question(typed).questions == parts


@pytest.mark.parametrize(
    "typed",
    [
        "What happens when the mule understands what you want and has gained your confidence?",
        "Why do exchanges help foreigners and do nothing for the Japanese?",
        "what does japan borrow from abroad and is never changed",
        "Which ships were disguised and were armed with hidden guns?",
    ],
)
def test_an_and_going_on_with_a_verb_but_no_subject_asks_nothing_new(typed: str) -> None:
    """ "and has gained...", "and do nothing...": more of the same question, not a second one ("has gained your
    confidence?" answered by itself cites the wrong sentence)."""
    assert read_question(typed).questions == []


def test_an_and_with_a_verb_and_its_subject_asks_a_second_question() -> None:
    assert [q for q, _ in read_question("What is the JET Programme and is Japan part of it?").questions] == [
        "What is the JET Programme?",
        "is Japan part of it?",
    ]


def test_a_question_read_with_the_one_it_refers_back_to_weighs_that_one_as_context() -> None:
    reading = read_question("and is it part of Japan's soft power?", "What is the JET Programme?")
    assert ("jet", CONTEXT_WEIGHT) in reading.content
    assert ("part", 1.0) in reading.content
    assert ("jet", "programme") in reading.names  # a name the material lacks is still asked about


def test_one_question_with_and_in_it_is_one_question() -> None:
    assert read_question("What do Japan and Central Asia complement?").questions == []


@pytest.mark.parametrize(
    "typed",
    [
        "What did Mr. Bartlett conclude about a hybrid?",
        "What did Mr. G. W. Hillyard look after?",
        "how tall is St. Paul's",
    ],
)
def test_a_title_or_an_initial_ends_no_question(typed: str) -> None:
    """The full stop of "Mr." or "G." is no question's end: the name stays in the question it belongs to."""
    reading = read_question(typed)
    assert reading.questions == []
    assert all(weight == 1.0 for _, weight in reading.content)


def test_a_title_inside_the_second_of_two_questions_stays_in_it() -> None:
    assert read_question("Where is Malvern, and what else did Dr. Dauglish invent?").questions == [
        ("Where is Malvern?", ""),
        ("what else did Dr Dauglish invent?", ""),
    ]


@pytest.mark.parametrize(
    ("question", "name", "ones"),
    [
        ("so who is it all for in the end", True, False),  # a kind of people may answer "who"
        ("Who benefits from soft power?", True, False),
        ("Who coined the term soft power?", True, True),  # a deed someone is known for by name
        ("who first discovered ptyalin", True, True),
        ("Who was the statesman who said the congress could do nothing?", True, True),
        ("Why did the professor who came up with the relay not sell it?", False, False),  # asks why, not who
        ("which Central Asian countries does Japan work with", True, True),
        ("From which countries did Japan borrow its methods?", True, True),
        ("ok so what companies benefit lol", True, True),
        ("Name the countries Japan trades with.", True, True),
        ("What was the name of Cook's ship on his second voyage?", True, True),
        ("Which Mendelssohn composition was written for the jubilee?", True, True),  # works are named too
        ("Which book did Professor Dewey write about beliefs?", True, True),
        ("What are the names of the two species that live in the loch?", True, True),
        ("what language do the kids speak at home", True, True),
        ("What kind of play teaches children the most?", False, False),  # a kind answers it
        ("What is the name of the tube that carries food to the stomach?", False, False),  # a term, in lower case
        ("What does Japan gain from exchanges?", False, False),
        ("what should states do now that the rules keep changing", False, False),  # states: the subject
        ("does japan just copy what other countries did", False, False),  # a clause, not a question word
    ],
)
def test_questions_for_a_name_and_for_which_ones(question: str, name: bool, ones: bool) -> None:
    reading = read_question(question)
    assert (reading.wants.name, reading.wants.ones) == (name, ones)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What natural resources does Central Asia export to Japan?", ("natural", "resources")),
        ("Which natural resources, like uranium or gas, does Japan get?", ("natural", "resources")),  # examples
        ("What natural resources exactly does Central Asia supply to Japan?", ("natural", "resources")),  # stressed
        ("Which specific Japanese technologies are exported to Central Asia?", ("japanese", "technologies")),
        ("so from which rare minerals in the north did they profit", ("rare", "minerals")),
        ("What results is soft power meant to bring?", None),  # no modifier: the kinds of results answer it
        ("What complements the natural resources of Central Asia?", None),  # the resources are the object
        ("What kinds of exchanges does Japan organize?", None),  # answered by the kinds
        ("What happens to the dark areas near the poles?", None),  # a verb, not a kind
        ("Why does Japan import natural resources?", None),
    ],
)
def test_the_kind_a_question_asks_which_ones_of(question: str, kind: tuple[str, str] | None) -> None:
    assert read_question(question).wants.kind == kind


def test_names_are_read_from_the_question_not_from_the_context_before_it() -> None:
    reading = read_question("I'm going to Osaka with East Asia Travel. What does the Japan Foundation do?")
    assert reading.names == [("japan", "foundation")]
    assert "osaka" not in reading.capitalised


def test_title_case_has_no_names() -> None:
    assert read_question("What Is The Japan Foundation?").names == []


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("What does the Japan Foundation do?", [("japan", "foundation")]),
        ("What is the Japan Foundation's budget?", [("japan", "foundation")]),
        ("Tell me about Joseph Nye and the Central Asia region", [("joseph", "nye"), ("central", "asia")]),
        ("Is Japan attractive?", []),  # one capitalised word is not a name run
        ("what does the japan foundation do", []),
        ("What Does The Japan Foundation Do?", []),  # Title Case carries no signal
        ("WHAT DOES THE JAPAN FOUNDATION DO", []),
    ],
)
def test_names_are_runs_of_capitalised_content_words(question: str, names: list[tuple[str, ...]]) -> None:
    assert read_question(question).names == names


@pytest.mark.parametrize(
    "question",
    ["What does the Japan Foundation do?", "Japan’s “soft power” policy", "", "What is it?", "what's in step 3 of 4"],
)
def test_content_words_of_a_plain_question_are_its_content_words(question: str) -> None:
    assert [word for word, _ in read_question(question).content] == content_words(question)


def test_capitalised_words_after_the_first_are_noted_unless_title_case() -> None:
    assert read_question("What is China's strategy in Asia?").capitalised == {"china", "asia"}
    assert read_question("What Is China's Strategy In Asia?").capitalised == frozenset()
    assert read_question("Japan is attractive").capitalised == frozenset()  # the first word is always capitalised


@pytest.mark.parametrize(
    ("question", "wants"),
    [
        ("How many students study in Japan?", True),
        ("How much does it cost?", True),
        ("What percentage of Japanese speak English?", True),
        ("In which year did it start?", True),
        ("what percentage of people speak English", True),
        ("When did Japan start its cultural diplomacy?", True),
        ("How high are the cliffs?", True),
        ("how thick is the layer", True),
        ("At what temperature does it melt?", True),
        ("What is the population of Tokyo?", True),
        ("what oven temperature is best", True),
        ("What is the exact size of the nave?", True),
        ("What are the proper measurements of the bit?", True),  # "one inch and seven-eighths round"
        ("what dimensions should the court have", True),
        ("What measures the size of an object better than the eye?", False),  # asks for the measurer
        ("What is soft power?", False),
        ("Why does Japan organise exchanges?", False),
        ("How does Japan attract students?", False),
    ],
)
def test_questions_asking_for_a_quantity_are_recognised(question: str, wants: bool) -> None:
    assert read_question(question).wants.quantity is wants


@pytest.mark.parametrize(
    ("question", "measure"),
    [
        ("In what year did Darwin publish his hypothesis?", "year"),
        ("which century was the tower built in", "year"),
        ("what decade did it start", "year"),
        ("When did Japan start its cultural diplomacy?", "time"),  # a date, a time of year or an age: not "one"
        ("when was the play first produced", "time"),
        ("How many years did the voyage take?", "number"),  # a number of years, not a year
        ("how many teeth does a dog have", "number"),
        ("What percentage of the gland's weight is iodine?", "number"),  # not the word "percentage" alone
        ("How long is the oesophagus?", None),  # "nine inches", or "a month" for how long something took
        ("At what temperature does wood begin to char?", "temperature"),
        ("how cold does the freezing mixture get", "temperature"),
        ("How much did it cost to build the line?", "money"),
        ("How much was Cook paid as mate of the Friendship?", "money"),
        ("What weekly wage did a typist earn?", "money"),
        ("how much time did he spend at sea", None),  # time spent, not money
        ("How much weight can a six-mule team pull?", "weight"),
        ("how much does the great bell weigh", "weight"),
        ("What weight of coal does the engine burn?", "weight"),
        ("How heavy is aluminum compared with water?", None),  # "two and a half times as heavy": no unit
        ("What is the relation between price and marginal utility?", None),  # price is the topic, not asked
        ("sixth typist wage", None),  # a search, not a question for a sum
        ("What is soft power?", None),
    ],
)
def test_the_measure_a_question_asks_for_is_recognised(question: str, measure: str | None) -> None:
    assert read_question(question).wants.measure == measure


@pytest.mark.parametrize(
    ("question", "content"),
    [
        ("what does the last sentence of the first paragraph state", ["last", "sentence", "first", "paragraph"]),
        ("what the author states about culture", ["culture"]),
        ("does the essay state that japan is good at english", ["japan", "good", "english"]),
        ("what can your own state learn", ["state", "learn"]),
        ("how does Japan's state promote culture", ["japan", "state", "promote", "culture"]),
        ("What is the state of research on soft power?", ["state", "research", "soft", "power"]),
        ("what does the essay say about the state", ["state"]),
    ],
)
def test_state_is_talk_about_the_text_as_a_verb_and_a_topic_as_a_noun(question: str, content: list[str]) -> None:
    assert [word for word, _ in read_question(question).content] == content


@pytest.mark.parametrize(
    ("question", "content"),
    [
        ("whats the actual goal of soft power", ["goal", "soft", "power"]),
        ("what was the real point lol", ["point"]),
        ("what is the actual aim of this essay", ["aim"]),
        ("is the cement actual bone or nah", ["cement", "actual", "bone"]),  # tells cement from bone
        ("is roman mortar stronger than the actual stones", ["roman", "mortar", "stronger", "actual", "stones"]),
        ("what real reasons does he give", ["real", "reasons"]),
    ],
)
def test_actual_or_real_only_stressing_what_is_asked_is_no_topic(question: str, content: list[str]) -> None:
    """ "What's the actual goal" asks for the goal: "actual" matched a curated "what does soft power actually mean"."""
    assert [word for word, _ in read_question(question).content] == content


@pytest.mark.parametrize(
    ("question", "person"),
    [
        ("What was the name of the learned Benedictine who said Latin became universal?", "benedictine"),
        ("whats the name of the psychologist who called play pernicious", "psychologist"),
        ("Who was the Spanish historian who lived in Greece?", "historian"),
        ("What is the name of the tube that leads to the stomach?", None),  # a thing, named in lower case
        ("What was the name of Cook's ship?", None),
        ("Who was Dr. Gray?", None),  # a name already
        ("Who was captain of the Discovery?", None),
    ],
)
def test_the_kind_of_person_whose_name_is_asked_is_recognised(question: str, person: str | None) -> None:
    wants = read_question(question).wants
    assert wants.person == person
    assert wants.name or person is None
