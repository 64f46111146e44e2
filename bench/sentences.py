"""Print a course text's sentences with the ids the question sets use, for whoever writes a set blind.

    python bench/sentences.py bench/texts/egypt.txt

Each line is ``pN.sM: sentence`` (paragraph N, sentence M, both counted from 1 as the loader splits the text); a blank
line ends each paragraph. Only the loader runs: a writer sees the text as studybot splits it, and nothing of how it
answers.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from knowledge.corpus import load_knowledge


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    source = Path(sys.argv[1])
    with tempfile.TemporaryDirectory() as folder:
        shutil.copyfile(source, Path(folder) / source.name)
        for document in load_knowledge(folder).documents:
            for paragraph in document.paragraphs:
                for sentence in paragraph.sentences:
                    print(f"p{paragraph.number}.s{sentence.number}: {sentence.text}")
                print()


if __name__ == "__main__":
    main()
