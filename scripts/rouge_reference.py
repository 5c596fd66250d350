#!/usr/bin/env python3
"""Build the ROUGE parity fixture for abridge from Google's rouge-score.

Produced with (run from the repository root, venv outside the repo):

    python3 -m venv /work/venv-rouge
    /work/venv-rouge/bin/pip install -r scripts/requirements-rouge.txt
    /work/venv-rouge/bin/python scripts/rouge_reference.py \
        --data /work/shared/data \
        --out crates/abridge/tests/fixtures/rouge-parity.jsonl

Package versions used for the committed fixture (pip freeze in that venv):
    rouge_score==0.1.2  nltk==3.10.4  absl-py==2.5.1  numpy==2.4.6
    six==1.17.0  regex==2026.11.19   (Python 3.11.7)

Scorer: RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"],
use_stemmer=True) with the default tokenizer and split_summaries=False.
For every row:
    expected.single = scorer.score(references[0], prediction)
    expected.multi  = scorer.score_multi(references, prediction)
(rouge-score's argument order is score(target, prediction).)

Selection is deterministic (no randomness, no dependence on dict order):
for each systems file, rows are de-duplicated on (id, system), sorted by
(id, system) and every k-th row is taken, k chosen coprime with the number
of systems so that picks rotate through the systems. On top of that a few
rows are picked on purpose: summaries/references with non-ASCII characters
(curly quotes, accented names, pound sign, soft hyphen, mojibake), llm-writers
documents with 4 references or a reference containing a newline. Some picked
rows are then repeated with the prediction's sentences split by the regex
(?<=[.!?])\\s+ and joined with "\\n" (lsum_newlines = true); for a few of those
the references are split the same way too (stated in the row's "note").
Finally hand-made edge cases are appended with source = "synthetic".

Each row also carries a free-text "note" saying why it was picked.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

ROUGE_TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
EXPECTED_ROUGE_SCORE_VERSION = "0.1.2"

SENT_SPLIT_RE = re.compile(r"(?<=[.!?])\s+")

# (systems file, number of stride picks, number of extra non-ASCII picks)
PLAN = [
    ("cnndm-summeval-systems.jsonl", 9, 3),
    ("cnndm-realsumm-systems.jsonl", 7, 3),
    ("newsroom-systems.jsonl", 5, 3),
    ("cnndm-frank-systems.jsonl", 6, 3),
    ("llm-writers-systems.jsonl", 5, 1),
]

# Non-ASCII characters we want to see in the fixture (summary or reference).
INTERESTING_NON_ASCII = set("£’‘“”–—…éèáíóñöüûåÅćÃ\u00ad\u2010")

# How many selected real rows get an extra newline-split copy.
N_LSUM_COPIES = 8
# Of those, how many also get their references newline-split.
N_LSUM_REF_SPLIT = 3


def _gcd(a: int, b: int) -> int:
    return math.gcd(a, b)


def load_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def non_ascii_chars(text: str) -> set[str]:
    return {c for c in text if ord(c) > 127}


def split_sentences_nl(text: str) -> str:
    return "\n".join(SENT_SPLIT_RE.split(text.strip()))


def select_rows(systems_file: str, data: Path, n_stride: int, n_nonascii: int):
    """Return list of (row, doc, note) picked deterministically."""
    dataset = systems_file[: -len("-systems.jsonl")]
    docs = {d["id"]: d for d in load_jsonl(data / f"{dataset}.jsonl")}
    raw = load_jsonl(data / systems_file)
    seen: dict[tuple[str, str], dict] = {}
    for r in raw:
        key = (str(r["id"]), str(r["system"]))
        seen.setdefault(key, r)  # first occurrence in file order wins
    keys = sorted(seen)
    rows = [seen[k] for k in keys]
    n_systems = len({k[1] for k in keys})

    k = max(1, len(rows) // n_stride)
    while k > 1 and _gcd(k, n_systems) != 1:
        k -= 1
    offset = k // 2
    picked: list[int] = []
    for i in range(n_stride):
        idx = (offset + i * k) % len(rows)
        if idx not in picked:
            picked.append(idx)
    notes = {idx: f"stride k={k}" for idx in picked}

    # Deliberate non-ASCII picks: greedily take rows introducing a new
    # interesting character (in summary or first reference).
    covered: set[str] = set()
    for idx in picked:
        r = rows[idx]
        covered |= non_ascii_chars(r["summary"]) | non_ascii_chars(
            " ".join(docs[r["id"]]["references"]))
    extra = 0
    for idx, r in enumerate(rows):
        if extra >= n_nonascii:
            break
        if idx in notes:
            continue
        chars = (non_ascii_chars(r["summary"]) | non_ascii_chars(
            docs[r["id"]]["references"][0])) & INTERESTING_NON_ASCII
        new = chars - covered
        if new:
            picked.append(idx)
            notes[idx] = "non-ASCII: " + " ".join(
                sorted(f"U+{ord(c):04X}" for c in new))
            covered |= chars
            extra += 1

    if dataset == "llm-writers":
        # Documents with 4 references, and one with a newline in a reference.
        def first(pred, why):
            for idx, r in enumerate(rows):
                if idx not in notes and pred(docs[r["id"]]):
                    picked.append(idx)
                    notes[idx] = why
                    return
        first(lambda d: len(d["references"]) == 4, "4 references")
        first(lambda d: len(d["references"]) == 4, "4 references")
        first(lambda d: any("\n" in x for x in d["references"]),
              "a reference contains a newline")

    out = []
    for idx in picked:
        r = rows[idx]
        out.append((r, docs[r["id"]], notes[idx]))
    return out


def score_row(scorer, prediction: str, references: list[str]) -> dict:
    def conv(scores):
        return {
            t: {
                "precision": float(scores[t].precision),
                "recall": float(scores[t].recall),
                "fmeasure": float(scores[t].fmeasure),
            }
            for t in ROUGE_TYPES
        }

    return {
        "single": conv(scorer.score(references[0], prediction)),
        "multi": conv(scorer.score_multi(references, prediction)),
    }


SYNTHETIC = [
    {
        "id": "synthetic-empty-prediction",
        "prediction": "",
        "references": ["The mayor sacked the police chief on Wednesday.",
                       "Police chief fired by the mayor."],
        "note": "empty prediction: every score is 0",
    },
    {
        "id": "synthetic-punctuation-only",
        "prediction": "— … «» “” ’ £ ¡¿ ...!!",
        "references": ["The mayor sacked the police chief on Wednesday."],
        "note": "prediction has no [a-z0-9] character, so no tokens",
    },
    {
        "id": "synthetic-identical",
        "prediction": "Mayor Stephanie Rawlings-Blake sacked police commissioner "
                      "Anthony Batts. Kevin Davis takes over for now.",
        "references": ["Mayor Stephanie Rawlings-Blake sacked police commissioner "
                       "Anthony Batts. Kevin Davis takes over for now."],
        "note": "identical prediction and reference: every score is 1",
    },
    {
        "id": "synthetic-russian-reference",
        "prediction": "The Kremlin said on Monday that 2023 talks had ended.",
        "references": ["В понедельник Кремль заявил, что переговоры 2023 года "
                       "завершены.",
                       "Kremlin: the 2023 talks are over."],
        "note": "Cyrillic is dropped by the tokenizer; only '2023' survives in "
                "references[0]; references[1] wins score_multi",
    },
    {
        "id": "synthetic-accents-and-unicode-lowercase",
        "prediction": "José Müller won 5 \u212a races in İstanbul, "
                      "Ångström said.",
        "references": ["Jose Muller won five k races in Istanbul."],
        "note": "non-ASCII letters split words ('jos', 'm ller'); Python "
                "str.lower() maps KELVIN SIGN U+212A to ASCII 'k' and U+0130 "
                "to 'i' + U+0307, so those survive as ASCII tokens",
    },
    {
        "id": "synthetic-lsum-lcs-tiebreak",
        "prediction": "Dogs chase cats.",
        "references": ["Cats like dogs.\nDogs sleep."],
        "note": "rougeLsum depends on which LCS the backtrack picks when "
                "several exist (rouge-score prefers moving up in the ref, "
                "i.e. i -= 1, on ties) combined with the token-count clipping",
        "lsum_newlines": True,
    },
    {
        "id": "synthetic-repeated-tokens-and-stemming",
        "prediction": "The the the running runners ran; the runs.\n"
                      "Running is run.",
        "references": ["The runner runs and the runners are running.\n"
                       "The run."],
        "note": "n-gram count clipping, Porter stemming (tokens >3 chars "
                "only), blank-free multi-sentence rougeLsum",
        "lsum_newlines": True,
    },
    {
        "id": "synthetic-multi-fmeasure-tie",
        "prediction": "Police chief",
        "references": ["Police", "Police chief sacked today"],
        "note": "score_multi tie: for rouge1/rougeL/rougeLsum both references "
                "give F=2/3 with different P/R; np.argmax keeps the FIRST "
                "(references[0]: P=0.5, R=1; not P=1, R=0.5); rouge2 of "
                "references[0] is 0 (no bigram) so references[1] wins there",
    },
    {
        "id": "synthetic-multi-per-type-reference",
        "prediction": "the cat sat on the mat",
        "references": ["cat mat the sat on the", "the cat sat quietly"],
        "note": "score_multi picks the reference per rouge type: rouge1 and "
                "rougeL/Lsum from references[0], rouge2 from references[1]",
    },
    {
        "id": "synthetic-nltk-porter-extensions",
        "prediction": "They says he died on Saturday; skies, dying, lying, "
                    "news, innings. This general reportedly used days.",
        "references": ["They say he dies on saturdays; sky, die, lie, new, "
                       "inning. These generals report use day."],
        "note": "stemming is NLTK's PorterStemmer in its default "
                "NLTK_EXTENSIONS mode (not the original Porter algorithm, not "
                "Snowball/Porter2): e.g. they->they, says->say, this->thi, "
                "reportedly->reportedli, skies->sky, dying->die",
    },
]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, type=Path,
                    help="directory with the *.jsonl data files")
    ap.add_argument("--out", required=True, type=Path,
                    help="output JSONL fixture path")
    ap.add_argument("--allow-other-version", action="store_true",
                    help="do not fail if rouge-score is not 0.1.2")
    args = ap.parse_args(argv)

    try:
        from importlib.metadata import version
        from rouge_score import rouge_scorer
    except ImportError as e:  # pragma: no cover
        print(f"error: rouge-score is not importable ({e}); "
              "pip install -r scripts/requirements-rouge.txt", file=sys.stderr)
        return 1
    rs_version = version("rouge-score")
    if rs_version != EXPECTED_ROUGE_SCORE_VERSION and not args.allow_other_version:
        print(f"error: rouge-score {rs_version} installed, fixture is defined "
              f"for {EXPECTED_ROUGE_SCORE_VERSION}", file=sys.stderr)
        return 1

    scorer = rouge_scorer.RougeScorer(ROUGE_TYPES, use_stemmer=True)

    real: list[dict] = []
    for systems_file, n_stride, n_nonascii in PLAN:
        for r, doc, note in select_rows(systems_file, args.data, n_stride,
                                        n_nonascii):
            real.append({
                "source": systems_file,
                "id": r["id"],
                "system": r["system"],
                "prediction": r["summary"],
                "references": list(doc["references"]),
                "lsum_newlines": False,
                "note": note,
            })

    # Newline-split copies, spread over the real rows deterministically.
    candidates = [row for row in real
                  if len(SENT_SPLIT_RE.split(row["prediction"].strip())) >= 2]
    step = max(1, len(candidates) // N_LSUM_COPIES)
    lsum_rows = []
    for n, row in enumerate(candidates[::step][:N_LSUM_COPIES]):
        copy = dict(row)
        copy["prediction"] = split_sentences_nl(row["prediction"])
        copy["lsum_newlines"] = True
        if n < N_LSUM_REF_SPLIT:
            copy["references"] = [split_sentences_nl(x)
                                  for x in row["references"]]
            copy["note"] = ("copy of a selected row; prediction AND references "
                            "sentence-split with newlines")
        else:
            copy["note"] = ("copy of a selected row; prediction sentence-split "
                            "with newlines, references as stored")
        lsum_rows.append(copy)

    synthetic = []
    for s in SYNTHETIC:
        synthetic.append({
            "source": "synthetic",
            "id": s["id"],
            "system": "synthetic",
            "prediction": s["prediction"],
            "references": s["references"],
            "lsum_newlines": bool(s.get("lsum_newlines", False)),
            "note": s["note"],
        })

    rows = real + lsum_rows + synthetic
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            row["expected"] = score_row(scorer, row["prediction"],
                                        row["references"])
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")

    size = args.out.stat().st_size
    print(f"wrote {len(rows)} rows ({len(real)} real, {len(lsum_rows)} "
          f"newline-split copies, {len(synthetic)} synthetic), {size} bytes "
          f"-> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
