"""Makes these test modules ``cogs.test_*``: tests/knowledge has test files of the same names (test_quiz.py,
test_curation.py), and pytest's default (prepend) import mode cannot hold two top-level modules of one name."""
