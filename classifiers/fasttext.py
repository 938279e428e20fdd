"""A fastText-style classifier in torch: averaged n-gram embeddings and a linear layer.

fastText's recipe (a bag of character n-grams and words, embedded and averaged, then one linear
layer) is a strong text classifier that trains in seconds on a CPU and, being a different model
family from the sparse linear default, makes a useful ensemble member. Character n-grams cover the
unsegmented, typo-laden citizen text; jieba words add longer units. Probabilities are calibrated by
temperature scaling on a held-out tenth of the training data.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from classifiers.base import (
    ClassifierError,
    LabelledClassifier,
    check_training_data,
    write_backend_file,
)
from classifiers.calibration import fit_temperature, softmax
from classifiers.text import char_ngrams, normalize, words

_WEIGHTS = "fasttext.pt"
_VOCAB = "vocab.json"


class FastTextClassifier(LabelledClassifier):
    """Averaged embeddings of character n-grams (and optionally words) with a linear softmax layer.

    Args:
        char_range: character n-gram lengths.
        use_words: add jieba words as tokens (slower to train; often a little more accurate).
        dim: embedding size.
        epochs: passes over the training data.
        lr: learning rate (Adam).
        min_count: drop tokens seen fewer times in training (keeps the model small).
        max_chars: characters of each text that are read (long posts say what they are about early).
        threads: torch CPU threads.
    """

    backend = "fasttext.v1"

    def __init__(
        self,
        *,
        char_range: tuple[int, int] = (1, 3),
        use_words: bool = True,
        dim: int = 64,
        epochs: int = 12,
        lr: float = 0.02,
        batch_size: int = 128,
        min_count: int = 2,
        max_chars: int = 1000,
        threads: int = 2,
        seed: int = 0,
        calibrate: bool = True,
    ) -> None:
        self.params: dict[str, Any] = {
            "char_range": list(char_range),
            "use_words": use_words,
            "dim": dim,
            "epochs": epochs,
            "lr": lr,
            "batch_size": batch_size,
            "min_count": min_count,
            "max_chars": max_chars,
            "threads": threads,
            "seed": seed,
            "calibrate": calibrate,
        }
        self._labels: list[str] = []
        self._vocab: dict[str, int] = {}
        self._model: Any = None
        self._temperature = 1.0
        self._metadata: dict[str, Any] = {}

    # -- tokens --------------------------------------------------------------------------------

    def _tokens(self, text: str) -> list[str]:
        text = normalize(text)[: self.params["max_chars"]]
        lo, hi = self.params["char_range"]
        toks = list(char_ngrams(text, lo, hi))
        if self.params["use_words"]:
            toks.extend(f"w:{w}" for w in words(text) if len(w) > 1)
        return toks

    def _ids(self, texts: Sequence[str]) -> list[np.ndarray]:
        out = []
        for t in texts:
            ids = [self._vocab[tok] for tok in self._tokens(t) if tok in self._vocab]
            out.append(np.asarray(ids or [0], dtype=np.int64))
        return out

    # -- contract ------------------------------------------------------------------------------

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        unlabeled: Sequence[str] | None = None,
        progress: bool = False,
    ) -> FastTextClassifier:
        import torch

        check_training_data(texts, labels)
        started = time.perf_counter()
        torch.set_num_threads(int(self.params["threads"]))
        self._labels = sorted(set(labels))
        index = {lab: i for i, lab in enumerate(self._labels)}
        y = np.array([index[lab] for lab in labels])
        token_lists = [self._tokens(t) for t in texts]
        counts = Counter(tok for toks in token_lists for tok in set(toks))
        kept = sorted(tok for tok, n in counts.items() if n >= self.params["min_count"]) or sorted(counts)
        # id 0 is padding/unknown
        self._vocab = {tok: i + 1 for i, tok in enumerate(kept)}
        ids = [np.asarray([self._vocab[t] for t in toks if t in self._vocab] or [0]) for toks in token_lists]

        rng = np.random.default_rng(self.params["seed"])
        if self.params["calibrate"] and len(y) >= 50 and len(set(y)) > 1:
            order = rng.permutation(len(y))
            cut = max(1, len(y) // 10)
            val, train = order[:cut], order[cut:]
            probe = self._train(ids, y, train, progress)
            self._temperature = fit_temperature(self._scores(probe, [ids[i] for i in val]), y[val])
        self._model = self._train(ids, y, np.arange(len(y)), progress)
        self._metadata = {
            "n_train": len(y),
            "vocab": len(self._vocab),
            "temperature": self._temperature,
            "fit_seconds": round(time.perf_counter() - started, 2),
            "params": self.params,
        }
        return self

    def _new_model(self) -> Any:
        import torch
        from torch import nn

        class _Net(nn.Module):
            def __init__(self, vocab: int, dim: int, classes: int) -> None:
                super().__init__()
                # Dense gradients with Adam: on a CPU this is far faster than SparseAdam, whose
                # per-step coalescing of ~100k distinct n-gram ids dominates training time.
                self.embedding = nn.EmbeddingBag(vocab, dim, mode="mean", padding_idx=0)
                self.out = nn.Linear(dim, classes)
                nn.init.uniform_(self.embedding.weight, -1.0 / dim, 1.0 / dim)

            def forward(self, flat: torch.Tensor, offsets: torch.Tensor) -> torch.Tensor:
                return self.out(self.embedding(flat, offsets))

        torch.manual_seed(self.params["seed"])
        return _Net(len(self._vocab) + 1, self.params["dim"], len(self._labels))

    @staticmethod
    def _batch(ids: Sequence[np.ndarray]) -> tuple[Any, Any]:
        import torch

        lengths = [len(a) for a in ids]
        offsets = torch.tensor(np.concatenate([[0], np.cumsum(lengths)[:-1]]), dtype=torch.long)
        flat = torch.from_numpy(np.concatenate(ids))
        return flat, offsets

    def _train(self, ids: list[np.ndarray], y: np.ndarray, rows: np.ndarray, progress: bool) -> Any:
        import torch
        from torch import nn
        from tqdm import tqdm

        model = self._new_model()
        optimizer = torch.optim.Adam(model.parameters(), lr=self.params["lr"])
        loss_fn = nn.CrossEntropyLoss()
        rng = np.random.default_rng(self.params["seed"])
        bs = int(self.params["batch_size"])
        epochs = int(self.params["epochs"])
        model.train()
        for _ in tqdm(range(epochs), desc="fasttext epochs", disable=not progress, leave=False):
            order = rng.permutation(rows)
            for start in range(0, len(order), bs):
                batch = order[start : start + bs]
                flat, offsets = self._batch([ids[i] for i in batch])
                target = torch.from_numpy(y[batch]).long()
                optimizer.zero_grad()
                loss = loss_fn(model(flat, offsets), target)
                loss.backward()
                optimizer.step()
        model.eval()
        return model

    def _scores(self, model: Any, ids: list[np.ndarray]) -> np.ndarray:
        import torch

        out = []
        with torch.no_grad():
            for start in range(0, len(ids), 256):
                flat, offsets = self._batch(ids[start : start + 256])
                out.append(model(flat, offsets).numpy())
        return np.concatenate(out) if out else np.zeros((0, len(self._labels)))

    def decision_scores(self, texts: Sequence[str]) -> np.ndarray:
        if self._model is None:
            raise ClassifierError("the classifier is not trained")
        return self._scores(self._model, self._ids(texts))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return softmax(self.decision_scores(texts), self._temperature)

    def save(self, directory: Path) -> None:
        import torch

        if self._model is None:
            raise ClassifierError("the classifier is not trained")
        write_backend_file(directory, self.backend, self._labels, self._metadata)
        state = {k: v.half() if k == "embedding.weight" else v for k, v in self._model.state_dict().items()}
        torch.save(state, directory / _WEIGHTS)
        payload = {
            "params": self.params,
            "labels": self._labels,
            "temperature": self._temperature,
            "metadata": self._metadata,
            "vocab": self._vocab,
        }
        (directory / _VOCAB).write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> FastTextClassifier:
        import torch

        payload = json.loads((directory / _VOCAB).read_text(encoding="utf-8"))
        p = payload["params"]
        obj = cls(
            char_range=tuple(p["char_range"]),
            use_words=p["use_words"],
            dim=p["dim"],
            epochs=p["epochs"],
            lr=p["lr"],
            batch_size=p["batch_size"],
            min_count=p["min_count"],
            max_chars=p["max_chars"],
            threads=p["threads"],
            seed=p["seed"],
            calibrate=p["calibrate"],
        )
        obj._labels = payload["labels"]
        obj._vocab = payload["vocab"]
        obj._temperature = payload["temperature"]
        obj._metadata = payload["metadata"]
        model = obj._new_model()
        state = torch.load(directory / _WEIGHTS, map_location="cpu", weights_only=True)
        model.load_state_dict({k: v.float() for k, v in state.items()})
        model.eval()
        obj._model = model
        return obj
