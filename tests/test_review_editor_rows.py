"""The review editor's rows travel as splices after the first load: applied in order, they must give the rows."""

from __future__ import annotations

import json
import random

from workbench.app.components.review_editor import rows_payload


def apply(payload: dict, held: tuple[int, list[str]] | None) -> tuple[int, list[str]]:
    """What review_editor.js does with a payload, given the token and rows it holds."""
    if held is not None and payload["token"] == held[0]:
        return held
    if "base" not in payload:
        return payload["token"], [json.dumps(row) for row in json.loads(payload["rows_json"])]
    assert held is not None and payload["base"] == held[0]
    start, removed = payload["splice"]
    middle = [json.dumps(row) for row in json.loads(payload["rows_json"])]
    return payload["token"], [*held[1][:start], *middle, *held[1][start + removed :]]


def test_splices_rebuild_the_rows_after_every_kind_of_change() -> None:
    generator = random.Random(7)
    rows = [json.dumps({"k": "1-1", "t": f"row {k}"}) for k in range(200)]
    sent: dict = {}
    held = apply(rows_payload(list(rows), sent), None)
    assert held[1] == rows
    for step in range(300):
        change = generator.choice(["edit", "merge", "split", "none", "many"])
        k = generator.randrange(len(rows) - 1)
        if change == "edit":
            rows[k] = json.dumps({"k": "1-1", "t": f"edited {step}"})
        elif change == "merge":
            rows[k : k + 2] = [json.dumps({"k": "2-2", "t": f"merged {step}"})]
        elif change == "split":
            rows[k : k + 1] = [json.dumps({"k": "1-0", "t": f"a {step}"}), json.dumps({"k": "0-1", "t": f"b {step}"})]
        elif change == "many":
            for j in generator.sample(range(len(rows)), 20):
                rows[j] = json.dumps({"k": "1-1", "t": f"recoloured {step} {j}"})
        payload = rows_payload(list(rows), sent)
        if change == "none":
            assert "rows_json" not in payload  # nothing changed: nothing is sent again
        if change in ("edit", "merge", "split"):
            assert len(json.loads(payload["rows_json"])) <= 2  # one place changed: a splice of that place only
        held = apply(payload, held)
        assert held[1] == rows


def test_an_editor_out_of_step_gets_everything_after_a_resync() -> None:
    sent: dict = {}
    rows = [json.dumps({"t": str(k)}) for k in range(10)]
    rows_payload(rows, sent)
    rows = [*rows[:3], json.dumps({"t": "new"}), *rows[4:]]
    payload = rows_payload(rows, sent)
    assert payload["base"] == 1 and payload["splice"] == [3, 1]
    sent.clear()  # what the page does when the editor asks for a resync
    full = rows_payload(rows, sent)
    assert "base" not in full and len(json.loads(full["rows_json"])) == 10
