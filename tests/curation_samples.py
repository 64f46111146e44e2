"""Knowledge edits shared by the curation tests of the core, the bot and ``studybot check``."""

ESSAY = "soft-power-essay"
LONG_TERM = (
    "It is these ways of conducting diplomatic life that have more in the long term than whipping and propaganda "
    "of political tastes."
)
"""The essay's last sentence, verbatim: a quote a taught pair can use."""
ZANZIBAR = "What is the zanzibar doctrine?"
ZANZIBAR_ANSWER = "Conducting diplomatic life in ways that work in the long term."
ZANZIBAR_PAIR = f"""
- id: zanzibar-doctrine
  question: {ZANZIBAR}
  alternates: []
  answer: {ZANZIBAR_ANSWER}
  quote: {LONG_TERM}
"""
"""A pair for a question the bundled knowledge does not cover."""
RIVAL = """
- id: rival-only-goal
  question: What is the only goal of soft power?
  alternates: []
  answer: To have a very good effect on citizens of other countries.
  quote: It also has a very good effect on citizens of other countries who feel this policy on themselves.
"""
"""A second pair for the question another pair already answers: the two compete for it."""
