"""The gold format and the strict/lax score, checked on small cases worked out by hand."""

import pytest

from workbench.alignment.beads import Bead, check_beads, format_bead, parse_bead, read_beads
from workbench.alignment.evaluation import score_alignments
from workbench.errors import InputError


def test_parse_and_format_round_trip() -> None:
    for line in ["[0]:[0]", "[6, 7]:[9, 10]", "[]:[22]", "[11]:[]"]:
        assert format_bead(parse_bead(line)) == line
    assert parse_bead("[1,2]:[3]") == Bead((1, 2), (3,))
    assert parse_bead("[1]:[2]:0.75").confidence == 0.75
    assert format_bead(Bead((1,), (2,), 0.5), with_score=True) == "[1]:[2]:0.5000"
    with pytest.raises(InputError, match="not an alignment line"):
        parse_bead("1 2")


def test_check_beads_requires_full_ordered_coverage() -> None:
    check_beads(read_beads(["[0]:[0]", "[1, 2]:[1]", "[]:[2]"]), 3, 3)
    with pytest.raises(InputError, match="out of order"):
        check_beads(read_beads(["[1]:[0]", "[0]:[1]"]), 2, 2)
    with pytest.raises(InputError, match="not all"):
        check_beads(read_beads(["[0]:[0]"]), 2, 1)


def test_perfect_alignment_scores_one() -> None:
    gold = read_beads(["[0]:[0]", "[1, 2]:[1]", "[]:[2]", "[3]:[3]"])
    score = score_alignments([gold], [gold])
    assert score.strict_f1 == 1.0 and score.lax_f1 == 1.0


def test_strict_and_lax_by_hand() -> None:
    gold = read_beads(["[0]:[0]", "[1, 2]:[1]", "[3]:[2]"])
    system = read_beads(["[0]:[0]", "[1]:[1]", "[2]:[]", "[3]:[2]"])
    score = score_alignments([gold], [system])
    # Precision over 4 system beads: [0]:[0] and [3]:[2] exact; [1]:[1] lax only; [2]:[] neither.
    assert score.strict_precision == pytest.approx(2 / 4)
    assert score.lax_precision == pytest.approx(3 / 4)
    # Recall over the 3 gold beads against system beads without empty sides: 2 exact, [1,2]:[1] lax.
    assert score.strict_recall == pytest.approx(2 / 3)
    assert score.lax_recall == pytest.approx(1.0)
    assert score.strict_f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))


def test_counts_are_pooled_over_documents() -> None:
    gold_a = read_beads(["[0]:[0]"])
    gold_b = read_beads(["[0]:[0]", "[1]:[1]", "[2]:[2]"])
    wrong_a = read_beads(["[0]:[]", "[]:[0]"])
    score = score_alignments([gold_a, gold_b], [wrong_a, gold_b])
    assert score.strict_precision == pytest.approx(3 / 5)  # pooled, not the mean of 0 and 1
    assert score.strict_recall == pytest.approx(3 / 4)
