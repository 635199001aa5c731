"""The reject log keeps memory flat however many records are bad."""

from __future__ import annotations

import json

from loaders.pipeline import Reject, RejectLog


def test_reject_log_spools_everything_and_keeps_only_the_first_in_memory(tmp_path):
    log = RejectLog(keep=10)
    log.extend(Reject(f"big.jsonl:{i}", "not JSON") for i in range(5000))
    assert len(log) == 5000
    assert len(list(log)) == 10 and log[0].where == "big.jsonl:0"
    out = tmp_path / "rejects.jsonl"
    log.write_to(out)
    lines = out.read_text().splitlines()
    assert len(lines) == 5000
    assert json.loads(lines[-1]) == {"where": "big.jsonl:4999", "reason": "not JSON"}
    log.append(Reject("big.jsonl:5000", "late"))  # still appendable after writing out
    log.write_to(out)
    assert len(out.read_text().splitlines()) == 5001


def test_empty_log_writes_an_empty_file(tmp_path):
    out = tmp_path / "none.jsonl"
    RejectLog().write_to(out)
    assert out.read_text() == ""
