"""The transformers backend on a tiny BERT built from a config (no download, CPU, seconds)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("transformers")
pytest.importorskip("accelerate")

TEXTS = ["小区停水三天", "楼道停电了", "暖气不热", "拖欠工资", "社保断缴", "公积金提取"] * 10
LABELS = (["城乡建设"] * 3 + ["劳动和社会保障"] * 3) * 10


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    chars = sorted({ch for t in TEXTS for ch in t})
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = {tok: i for i, tok in enumerate(specials + chars)}
    # transformers 5: pass the vocabulary as a dict (vocab_file= silently gives an empty one)
    tokenizer = BertTokenizerFast(vocab=vocab)
    assert tokenizer.convert_tokens_to_ids("停") == vocab["停"]
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    path = tmp_path_factory.mktemp("tiny-bert")
    BertForSequenceClassification(config).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def test_fine_tunes_saves_and_loads(tiny_bert: Path, tmp_path: Path) -> None:
    from classifiers.registry import create, load_classifier

    clf = create(
        "transformers.v1",
        model_path=str(tiny_bert),
        epochs=8,
        batch_size=8,
        learning_rate=5e-3,
        max_length=32,
        device="cpu",
    )
    clf.fit(TEXTS, LABELS)
    assert clf.labels == ["劳动和社会保障", "城乡建设"]
    pred = clf.predict(["停水三天", "拖欠工资"])
    assert pred == ["城乡建设", "劳动和社会保障"]
    proba = clf.predict_proba(["停水三天"])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-5)
    clf.save(tmp_path / "m")
    again = load_classifier(tmp_path / "m")
    np.testing.assert_allclose(again.predict_proba(["停水三天"]), proba, atol=1e-5)


def test_needs_a_local_checkpoint() -> None:
    from classifiers.base import ClassifierError
    from classifiers.registry import create

    with pytest.raises(ClassifierError, match="local Hugging Face checkpoint"):
        create("transformers.v1", model_path="/nonexistent").fit(TEXTS, LABELS)
