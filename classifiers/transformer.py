"""Fine-tune any local Hugging Face checkpoint with `Trainer` (``transformers.v1``).

For deployments that have a Chinese pre-trained encoder on disk (and ideally a GPU): fine-tuned
BERT-class models are the most accurate option on this kind of data. Nothing is downloaded: the
checkpoint is a local directory (``HF_HUB_OFFLINE=1`` is respected). Probabilities are calibrated by
temperature scaling on a held-out tenth of the training data.
"""

from __future__ import annotations

import json
import tempfile
import time
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
from classifiers.text import normalize

_HF_DIR = "hf"
_META = "transformer.json"


class TransformerClassifier(LabelledClassifier):
    """Sequence classification by fine-tuning a local checkpoint.

    Args:
        model_path: directory with a Hugging Face model and tokenizer (``from_pretrained`` layout).
        max_length: tokens read per text (Chinese BERT: one token per character).
        epochs, batch_size, learning_rate: `Trainer` settings.
        calibrate: hold out 10 % of the training data to fit the temperature.
        device: ``"cpu"``, ``"cuda"`` or None (CUDA when available).
    """

    backend = "transformers.v1"

    def __init__(
        self,
        *,
        model_path: str | None = None,
        max_length: int = 256,
        epochs: float = 3.0,
        batch_size: int = 16,
        learning_rate: float = 5e-5,
        weight_decay: float = 0.01,
        warmup_ratio: float = 0.1,
        calibrate: bool = True,
        seed: int = 0,
        device: str | None = None,
    ) -> None:
        self.params: dict[str, Any] = {
            "model_path": model_path,
            "max_length": max_length,
            "epochs": epochs,
            "batch_size": batch_size,
            "learning_rate": learning_rate,
            "weight_decay": weight_decay,
            "warmup_ratio": warmup_ratio,
            "calibrate": calibrate,
            "seed": seed,
            "device": device,
        }
        self._labels: list[str] = []
        self._model: Any = None
        self._tokenizer: Any = None
        self._temperature = 1.0
        self._metadata: dict[str, Any] = {}

    def _device(self) -> str:
        import torch

        wanted = self.params.get("device")
        if wanted:
            return str(wanted)
        return "cuda" if torch.cuda.is_available() else "cpu"

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        unlabeled: Sequence[str] | None = None,
        progress: bool = False,
    ) -> TransformerClassifier:
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments

        check_training_data(texts, labels)
        path = self.params["model_path"]
        if not path or not Path(path).is_dir():
            raise ClassifierError(
                f"transformers.v1 needs model_path: a local Hugging Face checkpoint directory (got {path!r})"
            )
        started = time.perf_counter()
        self._labels = sorted(set(labels))
        y = np.array([self._labels.index(lab) for lab in labels])
        self._tokenizer = AutoTokenizer.from_pretrained(path)
        self._model = AutoModelForSequenceClassification.from_pretrained(
            path,
            num_labels=len(self._labels),
            id2label=dict(enumerate(self._labels)),
            label2id={lab: i for i, lab in enumerate(self._labels)},
            ignore_mismatched_sizes=True,
        )
        docs = [normalize(t) for t in texts]
        rng = np.random.default_rng(self.params["seed"])
        order = rng.permutation(len(docs))
        hold = order[: len(docs) // 10] if self.params["calibrate"] and len(docs) >= 50 else order[:0]
        train_rows = np.setdiff1d(order, hold)
        tokenizer, max_length = self._tokenizer, int(self.params["max_length"])

        class _Data(torch.utils.data.Dataset):
            def __init__(self, rows: np.ndarray) -> None:
                self.enc = tokenizer([docs[i] for i in rows], truncation=True, max_length=max_length)
                self.labels = y[rows]

            def __len__(self) -> int:
                return len(self.labels)

            def __getitem__(self, i: int) -> dict[str, Any]:
                item = {k: v[i] for k, v in self.enc.items()}
                item["labels"] = int(self.labels[i])
                return item

        from transformers import DataCollatorWithPadding

        with tempfile.TemporaryDirectory(prefix="intake-hf-") as out_dir:
            args = TrainingArguments(
                output_dir=out_dir,
                num_train_epochs=float(self.params["epochs"]),
                per_device_train_batch_size=int(self.params["batch_size"]),
                learning_rate=float(self.params["learning_rate"]),
                weight_decay=float(self.params["weight_decay"]),
                # transformers 5: a float below 1 is a share of the training steps
                warmup_steps=float(self.params["warmup_ratio"]),
                save_strategy="no",
                eval_strategy="no",
                logging_strategy="no",
                report_to=[],
                disable_tqdm=not progress,
                seed=int(self.params["seed"]),
                use_cpu=self._device() == "cpu",
                dataloader_num_workers=0,
            )
            trainer = Trainer(
                model=self._model,
                args=args,
                train_dataset=_Data(train_rows),
                data_collator=DataCollatorWithPadding(tokenizer),
            )
            trainer.train()
        self._model = trainer.model.eval()
        if len(hold):
            self._temperature = fit_temperature(self.decision_scores([docs[i] for i in hold]), y[hold])
        self._metadata = {
            "n_train": len(train_rows),
            "n_calibration": len(hold),
            "temperature": self._temperature,
            "fit_seconds": round(time.perf_counter() - started, 2),
            "device": self._device(),
            "params": self.params,
        }
        return self

    def decision_scores(self, texts: Sequence[str]) -> np.ndarray:
        import torch

        if self._model is None:
            raise ClassifierError("the classifier is not trained")
        device = self._device()
        self._model.to(device)
        out = []
        with torch.no_grad():
            for start in range(0, len(texts), 64):
                batch = [normalize(t) for t in texts[start : start + 64]]
                enc = self._tokenizer(
                    batch,
                    truncation=True,
                    max_length=int(self.params["max_length"]),
                    padding=True,
                    return_tensors="pt",
                ).to(device)
                out.append(self._model(**enc).logits.float().cpu().numpy())
        return np.concatenate(out) if out else np.zeros((0, len(self._labels)))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return softmax(self.decision_scores(texts), self._temperature)

    def save(self, directory: Path) -> None:
        if self._model is None:
            raise ClassifierError("the classifier is not trained")
        write_backend_file(directory, self.backend, self._labels, self._metadata)
        self._model.save_pretrained(directory / _HF_DIR)
        self._tokenizer.save_pretrained(directory / _HF_DIR)
        meta = {
            "params": self.params,
            "labels": self._labels,
            "temperature": self._temperature,
            "metadata": self._metadata,
        }
        (directory / _META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> TransformerClassifier:
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        meta = json.loads((directory / _META).read_text(encoding="utf-8"))
        obj = cls(**meta["params"])
        obj._labels = meta["labels"]
        obj._temperature = meta["temperature"]
        obj._metadata = meta["metadata"]
        obj._tokenizer = AutoTokenizer.from_pretrained(directory / _HF_DIR)
        obj._model = AutoModelForSequenceClassification.from_pretrained(directory / _HF_DIR).eval()
        return obj
