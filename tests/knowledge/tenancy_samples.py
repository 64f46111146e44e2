"""A shared text and two servers' own texts, written as a knowledge folder for the library, view and folder tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from knowledge.corpus import BUNDLED_DIR

ESSAY = "soft-power-essay"
PLANTS = """\
Photosynthesis is the process by which green plants turn light into chemical energy. Chlorophyll absorbs red and
blue light and reflects green light, which is why leaves look green.
"""
PLANTS_QA = """\
- id: leaves-green
  question: Why do leaves look green?
  alternates: [leaf colour]
  answer: Chlorophyll reflects green light.
  quote: Chlorophyll absorbs red and blue light and reflects green light, which is why leaves look green.
"""
HISTORY = """\
The Meiji Restoration began in 1868, when imperial rule was restored in Japan. The new government abolished the
feudal domains and created prefectures in their place.
"""


def knowledge_folder(root: Path) -> Path:
    """``root`` with the essay (and its pairs) at the top, server ``1`` holding plants, server ``2`` history."""
    root.mkdir(parents=True, exist_ok=True)
    for name in (f"{ESSAY}.txt", f"{ESSAY}.qa.yaml"):
        shutil.copyfile(BUNDLED_DIR / name, root / name)
    (root / "1").mkdir()
    (root / "1" / "plants.txt").write_text(PLANTS, encoding="utf-8")
    (root / "1" / "plants.qa.yaml").write_text(PLANTS_QA, encoding="utf-8")
    (root / "2").mkdir()
    (root / "2" / "history.txt").write_text(HISTORY, encoding="utf-8")
    return root
