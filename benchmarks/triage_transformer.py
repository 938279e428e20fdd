"""The transformers backend end to end on whatever device is present (CUDA when available).

No Chinese pre-trained checkpoint is available offline, so this builds a small BERT from a config
(character vocabulary of the demo messages), fine-tunes it on the demo messages with `Trainer`,
saves, reloads and checks that the reloaded model gives the same probabilities. It proves the
GPU path of the backend; accuracy figures would need a real checkpoint (``--model-path``).

    .venv/bin/python benchmarks/triage_transformer.py
    .venv/bin/python benchmarks/triage_transformer.py --model-path /models/chinese-bert --data FILE
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from classifiers.registry import create, load_classifier
from training.data import load_file

#: Read directly (not through training.bootstrap) so that this runs where only torch,
#: transformers and scikit-learn are installed, e.g. a bare GPU machine.
DEMO = Path(__file__).resolve().parents[1] / "training" / "demo" / "messages.jsonl"


def tiny_bert(texts: list[str], directory: Path, layers: int = 2, hidden: int = 64) -> Path:
    """A randomly initialised BERT with a character vocabulary, saved in `from_pretrained` layout."""
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    chars = sorted({ch for t in texts for ch in t})
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = {tok: i for i, tok in enumerate(specials + chars)}
    tokenizer = BertTokenizerFast(vocab=vocab)  # transformers 5: vocab=, not vocab_file=
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=hidden,
        num_hidden_layers=layers,
        num_attention_heads=4,
        intermediate_size=hidden * 4,
        max_position_embeddings=512,
    )
    BertForSequenceClassification(config).save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def main() -> None:
    import torch

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--model-path", type=Path, default=None, help="a local checkpoint (default: tiny BERT)"
    )
    parser.add_argument("--data", type=Path, default=None, help="labelled category file (default: demo)")
    parser.add_argument("--epochs", type=float, default=20.0)
    args = parser.parse_args()

    data = load_file(args.data or DEMO, "category")
    device = "cuda" if torch.cuda.is_available() else "cpu"
    name = torch.cuda.get_device_name(0) if device == "cuda" else "cpu"
    print(f"torch {torch.__version__}; device {device} ({name}); {len(data)} examples")
    with tempfile.TemporaryDirectory() as tmp:
        path = args.model_path or tiny_bert(data.texts, Path(tmp) / "tiny-bert")
        clf = create(
            "transformers.v1",
            model_path=str(path),
            epochs=args.epochs,
            batch_size=16,
            learning_rate=1e-3,
            max_length=128,
            device=device,
        )
        started = time.perf_counter()
        clf.fit(data.texts, data.labels)
        fit_s = time.perf_counter() - started
        train_acc = float(np.mean(np.array(clf.predict(data.texts)) == np.array(data.labels)))
        started = time.perf_counter()
        proba = clf.predict_proba(data.texts)
        pred_ms = (time.perf_counter() - started) * 1000 / len(data)
        clf.save(Path(tmp) / "saved")
        again = load_classifier(Path(tmp) / "saved")
        same = np.allclose(again.predict_proba(data.texts[:8]), proba[:8], atol=1e-4)
        print(
            f"fit {fit_s:.1f}s on {clf.metadata['device']}; training-set accuracy {train_acc:.3f}; "
            f"{pred_ms:.2f} ms/text batched; temperature {clf.metadata['temperature']:.2f}; reload identical: {same}"
        )


if __name__ == "__main__":
    main()
