"""The aligner on real text with the real default embedder: every link type, fixed links, edge cases."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from workbench.alignment import AlignParams, align_documents, align_embeddings, align_sentences
from workbench.alignment.beads import Bead, check_beads, read_beads
from workbench.documents import load_document
from workbench.errors import AlignmentError

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def en() -> list[str]:
    return load_document("kosovo-dialogue").sentence_texts()


@pytest.fixture(scope="module")
def de() -> list[str]:
    return load_document("kosovo-dialogue.de").sentence_texts()


def links(beads: list[Bead]) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    return {(b.src, b.tgt) for b in beads}


def test_seed_and_its_human_translation_align_exactly_as_gold(e5) -> None:
    src, tgt = load_document("kosovo-dialogue"), load_document("kosovo-dialogue.de")
    alignment = align_documents(src, tgt, e5)
    gold = read_beads((DATA / "kosovo-dialogue.en-de.align").read_text().splitlines())
    check_beads(alignment.beads, len(src.sentences), len(tgt.sentences))
    assert links(alignment.beads) == links(gold)  # 1-1, 1-2 and 2-1 links among them
    assert all(0.0 <= b.confidence <= 1.0 for b in alignment.beads)
    assert alignment.signature["embedder"] == e5.name and alignment.signature["tgt_lang"] == "de"
    # Both versions keep the same nine paragraphs: the whole paragraph cost is learnt (none without paragraphs).
    assert alignment.signature["learnt"]["paragraph"] == AlignParams().paragraph_end
    presplit = align_sentences(src.sentence_texts(), tgt.sentence_texts(), e5, refine=False)
    assert presplit.signature["learnt"]["paragraph"] == 0.0


def test_unlinked_sentences_on_either_side(e5, en: list[str], de: list[str]) -> None:
    """A dropped sentence is left out. A whole sentence slipped in is either left out or, since translators rarely
    add one and a sentence without a partner is usually half of a 1-2 link (the skip is dear), joined to a
    neighbour's link that its confidence puts among the weakest, where a reviewer looks first."""
    # Drop the German of English sentence 3 and slip an unrelated sentence in after German sentence 9.
    tgt = de[:3] + de[4:10] + ["Die Bergsteiger erreichten den Gipfel des Matterhorns bei Sonnenaufgang."] + de[10:12]
    beads = align_sentences(en[:11], tgt, e5).beads
    check_beads(beads, 11, len(tgt))
    assert ((3,), ()) in links(beads)
    assert ((4,), (3,)) in links(beads)
    [holder] = [b for b in beads if 9 in b.tgt]
    if holder.src:
        weakest = sorted(b.confidence for b in beads if b.src and b.tgt)[:3]
        assert holder.confidence < 0.6 and holder.confidence in weakest


def test_two_two_link_when_clauses_move_across_a_sentence_boundary() -> None:
    """Source sentences AB and CD translated as AC and BD: neither 1-1 pairing is a translation, the 2-2 is.
    Clause vectors are synthetic so that the case is exact; the aligner is the real one."""
    rng = np.random.default_rng(3)
    clause = rng.normal(size=(9, 64))
    src = [clause[0], clause[1], clause[2] + clause[3], clause[4] + clause[5], clause[6], clause[7], clause[8]]
    tgt = [clause[0], clause[1], clause[2] + clause[4], clause[3] + clause[5], clause[6], clause[7], clause[8]]
    noisy = [np.array([v + 0.2 * rng.normal(size=64) for v in side]) for side in (src, tgt)]
    lengths = [50, 50, 100, 100, 50, 50, 50]
    beads = align_embeddings(noisy[0], noisy[1], lengths, lengths)
    assert links(beads) == {((0,), (0,)), ((1,), (1,)), ((2, 3), (2, 3)), ((4,), (4,)), ((5,), (5,)), ((6,), (6,))}


def test_one_sentence_against_many(e5, en: list[str], de: list[str]) -> None:
    beads = align_sentences([" ".join(en[2:4])], de[2:4], e5).beads
    assert links(beads) == {((0,), (0, 1))}


def test_one_sentence_against_five(e5, en: list[str], de: list[str]) -> None:
    """A free translation cuts one long sentence into five (the novels' gold has 14 links of 2,489 with five or more
    sentences on a side): the aligner links them as one 1-5 link rather than a 1-4 link and a sentence left out."""
    src = [en[0], " ".join(en[1:6]), *en[7:10]]
    tgt = de[0:6] + de[8:11]  # en 1-5 and 7-9 are 1-1 with de 1-5 and 8-10 (tests/data/kosovo-dialogue.en-de.align)
    expected = {((0,), (0,)), ((1,), (1, 2, 3, 4, 5)), ((2,), (6,)), ((3,), (7,)), ((4,), (8,))}
    assert links(align_sentences(src, tgt, e5).beads) == expected


def test_identical_texts_align_one_to_one(e5, en: list[str]) -> None:
    beads = align_sentences(en, en, e5).beads
    assert links(beads) == {((k,), (k,)) for k in range(len(en))}
    assert min(b.confidence for b in beads) > 0.5


def test_fixed_links_are_kept_and_the_rest_aligned_around_them(e5, en: list[str], de: list[str]) -> None:
    wrong_on_purpose = Bead((9,), (11,), 1.0)  # English 9 is German 10 in truth; the reviewer overrides it
    pinned = Bead((), (0,), 1.0)  # the reviewer says German 0 has no source
    beads = align_sentences(en, de, e5, fixed=[wrong_on_purpose, pinned]).beads
    check_beads(beads, len(en), len(de))
    assert wrong_on_purpose in beads and pinned in beads
    assert {((6,), (6, 7)), ((20,), (20, 21)), ((14, 15), (15,))} <= links(beads)


def test_crossing_fixed_links_are_refused(e5, en: list[str], de: list[str]) -> None:
    with pytest.raises(AlignmentError, match="cross"):
        align_sentences(en, de, e5, fixed=[Bead((2,), (5,)), Bead((4,), (3,))])
    with pytest.raises(AlignmentError, match="not consecutive"):
        align_sentences(en, de, e5, fixed=[Bead((2, 4), (5,))])


def test_empty_side_gives_only_unlinked_sentences() -> None:
    vectors = np.eye(3, dtype=np.float32)
    beads = align_embeddings(vectors, np.zeros((0, 3), dtype=np.float32), [10, 10, 10], [])
    assert links(beads) == {((0,), ()), ((1,), ()), ((2,), ())}
    assert align_embeddings(np.zeros((0, 3)), np.zeros((0, 3)), [], []) == []


def test_max_link_size_is_respected(e5, en: list[str], de: list[str]) -> None:
    beads = align_sentences(en, de, e5, params=AlignParams(max_bead=2, max_side=1)).beads
    assert all(len(b.src) <= 1 and len(b.tgt) <= 1 for b in beads)
    check_beads(beads, len(en), len(de))


def test_deterministic(e5, en: list[str], de: list[str]) -> None:
    assert align_sentences(en, de, e5).beads == align_sentences(en, de, e5).beads


def test_twenty_thousand_by_twenty_thousand_in_bounded_memory() -> None:
    """Synthetic vectors (target = noisy source, with insertions) at full size: the banded search must find the
    path without ever building the n x m matrix (20k x 20k float32 alone would be 1.6 GB)."""
    import tracemalloc

    rng = np.random.default_rng(7)
    n, d = 20_000, 16
    src = rng.normal(size=(n, d)).astype(np.float32)
    tgt = src + 0.3 * rng.normal(size=(n, d)).astype(np.float32)
    inserted = sorted(rng.choice(n, size=50, replace=False))
    tgt = np.insert(tgt, inserted, rng.normal(size=(50, d)).astype(np.float32), axis=0)
    lengths = rng.integers(20, 200, size=n)
    tgt_lengths = np.insert(lengths, inserted, 100)
    tracemalloc.start()
    beads = align_embeddings(src, tgt, lengths, tgt_lengths)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    check_beads(beads, n, len(tgt))
    one_to_one = sum(1 for b in beads if len(b.src) == 1 and len(b.tgt) == 1)
    assert one_to_one >= n - 100
    assert peak < 600e6


def test_refinement_re_decides_only_doubtful_links_and_keeps_fixed_ones(e5, en: list[str], de: list[str]) -> None:
    # Glue German sentences 1 and 2 into one, and cut a short phrase off sentence 5: a link or a skip of a short
    # line is what the first pass is unsure of.
    cut = de[5].index(" haben")
    tgt = [de[0], de[1] + " " + de[2], *de[3:5], de[5][:cut], de[5][cut + 1 :], *de[6:12]]
    fixed = [Bead((10,), (10,), 1.0)]
    plain = align_sentences(en[:12], tgt, e5, fixed=fixed, refine=False)
    refined = align_sentences(en[:12], tgt, e5, fixed=fixed)
    for alignment in (plain, refined):
        check_beads(alignment.beads, 12, len(tgt))
        assert fixed[0] in alignment.beads
    assert ((1, 2), (1,)) in links(refined.beads)
    assert refined.signature["refined"] and not plain.signature["refined"]
    # Only spans inside windows around doubtful links are embedded, never every concatenation.
    assert 0 < refined.signature["span_texts_embedded"] < 3 * (12 + len(tgt))


def test_both_passes_score_a_link_with_the_same_formula() -> None:
    """The second pass, given no real span embeddings, must score every link as the first pass does, whatever the
    settings: a change to the scoring cannot reach one pass only."""
    from workbench.alignment import aligner
    from workbench.alignment.model import ends_open, ends_quoted, ends_unfinished, number_marks
    from workbench.alignment.refinement import _WindowSolver

    rng = np.random.default_rng(7)
    src = rng.normal(size=(9, 16)).astype(np.float32)
    tgt = src[[0, 1, 2, 3, 4, 5, 6, 7, 8, 8]] + 0.3 * rng.normal(size=(10, 16)).astype(np.float32)
    src /= np.linalg.norm(src, axis=1, keepdims=True)
    tgt /= np.linalg.norm(tgt, axis=1, keepdims=True)
    # Lines of random lengths ending finished ('.'), open (','), unfinished (no mark) or quoted, as both passes read
    # them.
    # Some hold a number or two (a year, a height), the same or not on the other side.
    numbers = ["", "", "1953 ", "8848 m ", "1953 und 1954 "]
    src_texts = [
        rng.choice(numbers) + "x" * (n - 1) + rng.choice([".", ",", "x", "'"]) for n in rng.integers(20, 120, size=9)
    ]
    tgt_texts = [
        rng.choice(numbers) + "x" * (n - 1) + rng.choice([".", ",", "x", "\u201d"])
        for n in rng.integers(20, 120, size=10)
    ]
    src_len = np.array([len(x) for x in src_texts], dtype=float)
    tgt_len = np.array([len(x) for x in tgt_texts], dtype=float)
    params = AlignParams(contrast=0.7, size_exponent=0.5, merge_penalty=0.15)
    # Paragraph ends where a document gives them (every third or fourth sentence, one side's not the other's).
    paras = (np.arange(9) % 3 == 2).astype(float), (np.arange(10) % 4 == 3).astype(float)
    s = aligner._make_side(
        src,
        src_len,
        ends_open(src_texts),
        ends_unfinished(src_texts),
        ends_quoted(src_texts),
        paras[0],
        number_marks(src_texts),
    )
    t = aligner._make_side(
        tgt,
        tgt_len,
        ends_open(tgt_texts),
        ends_unfinished(tgt_texts),
        ends_quoted(tgt_texts),
        paras[1],
        number_marks(tgt_texts),
    )
    assert 0 < s.quoted.sum() < 9 and 0 < t.quoted.sum() < 10
    assert 0 < np.count_nonzero(s.numbers) < 9 and 0 < np.count_nonzero(t.numbers) < 10
    lo, hi = aligner._search_band(s, t, params)
    stats = aligner._statistics(s, t, lo, hi, params)
    stats = replace(stats, open_end_cost=0.3, quote_cost=0.7, paragraph_cost=0.5, number_cost=0.9)
    gains = aligner._link_gains(s, t, lo, hi, stats, params, np.zeros(9, bool), np.zeros(10, bool))
    singles_s = {(i, i + 1): s.vectors[i] for i in range(9)}
    singles_t = {(j, j + 1): t.vectors[j] for j in range(10)}
    solver = _WindowSolver(singles_s, singles_t, s.vectors, t.vectors, src_texts, tgt_texts, stats, params, paras)
    # Skips too: the first pass stores a 1-0 link's score like any link's, and sums 0-1 scores along a row.
    path_gains, skip_tgt_before = aligner._path_gains(s, t, lo, hi, stats, params)
    assert path_gains[aligner.bead_types(params).index((1, 0)), 1:, 0] == pytest.approx(solver.skip_src, abs=1e-5)
    assert np.diff(skip_tgt_before) == pytest.approx(solver.skip_tgt)
    assert len(set(np.round(solver.skip_tgt, 6))) > 2  # finished, unfinished and short lines cost differently
    compared = 0
    for k, (a, b) in enumerate(aligner.bead_types(params)):
        if a == 0 or b == 0:
            continue
        for r in range(a, 10):
            for c in range(b, 11):
                first = float(gains[k, r, c - lo[r]])
                assert first == pytest.approx(solver.gain(r - a, r, c - b, c), abs=1e-4)
                compared += 1
    assert compared > 300


def test_unlinked_sentences_that_meet_come_source_first() -> None:
    from workbench.alignment.beads import source_skips_first

    beads = [Bead((0,), (0,)), Bead((), (1,)), Bead((1,), ()), Bead((), (2,)), Bead((2,), ()), Bead((3,), (3,))]
    ordered = source_skips_first(beads)
    assert ordered == [beads[0], beads[2], beads[4], beads[1], beads[3], beads[5]]
    check_beads(ordered, 4, 4)


def _enumerations(rng: np.random.Generator, split_every: int) -> tuple[np.ndarray, np.ndarray, list[int], set]:
    """30 source sentences; every ``split_every``-th is translated as three lines, the first two ending open
    (';'), the third harder to recognise. The rest are 1-1. Returns vectors, target flags and the right links."""
    src, tgt, tgt_open, right = [], [], [], set()
    for k in range(30):
        if split_every and k % split_every == 2:
            clauses = rng.normal(size=(3, 64))
            src.append(clauses.sum(0))
            first = len(tgt)
            for clause, noise, flag in zip(clauses, (0.3, 0.3, 1.6), (1, 1, 0), strict=True):
                tgt.append(clause + noise * rng.normal(size=64))
                tgt_open.append(flag)
            right.add(((k,), (first, first + 1, first + 2)))
        else:
            v = rng.normal(size=64)
            src.append(v)
            tgt.append(v + 0.3 * rng.normal(size=64))
            tgt_open.append(int(rng.random() < 0.3))  # lines ending with a comma that are units of their own
            right.add(((k,), (len(tgt) - 1,)))
    return np.array(src), np.array(tgt), tgt_open, right


def test_links_rarely_end_after_a_sentence_that_ends_open() -> None:
    """Clauses a splitter cut at ';' belong with the rest of their sentence: the aligner learns from the document
    that its open lines sit inside links, and stops ending links there (26 of 30 links right without it)."""
    from workbench.alignment.aligner import align_embeddings_with_statistics

    src, tgt, tgt_open, right = _enumerations(np.random.default_rng(5), split_every=5)
    lengths = ([100.0] * len(src), [100.0] * len(tgt))
    plain = align_embeddings(src, tgt, *lengths)
    beads, stats = align_embeddings_with_statistics(src, tgt, *lengths, tgt_open=tgt_open)
    assert len(links(plain) & right) < len(right)
    assert links(beads) == right and stats is not None and stats.open_end_cost == AlignParams().open_end


def test_open_lines_that_are_units_of_their_own_cost_nothing() -> None:
    """Where lines ending with a comma are links of their own (Bible verses), nothing is learnt or charged."""
    from workbench.alignment.aligner import align_embeddings_with_statistics

    src, tgt, tgt_open, right = _enumerations(np.random.default_rng(6), split_every=0)
    lengths = ([100.0] * len(src), [100.0] * len(tgt))
    beads, stats = align_embeddings_with_statistics(src, tgt, *lengths, tgt_open=tgt_open)
    assert sum(tgt_open) > 5 and stats is not None and stats.open_end_cost == 0.0
    assert links(beads) == right == links(align_embeddings(src, tgt, *lengths))


def _dialogue(rng: np.random.Generator, quoted_alike: bool) -> tuple[np.ndarray, np.ndarray, list, list, set]:
    """40 source sentences, some of them ending a quotation. Every fourth is translated as two lines: the first
    recognisable, the second (which closes the quotation) as close to the next sentence as to its own. The others
    are 1-1. Lines end quoted on both sides alike (``quoted_alike``), or each line at random. Returns vectors, both
    sides' quoted flags and the right links."""
    meaning = rng.normal(size=(40, 2, 64))
    src, tgt, src_quoted, tgt_quoted, right = [], [], [], [], set()
    for k in range(40):
        if k % 4 == 2:
            src.append(meaning[k].sum(0))
            src_quoted.append(1 if quoted_alike else int(rng.random() < 0.4))
            first = len(tgt)
            tgt.append(meaning[k, 0] + 0.3 * rng.normal(size=64))
            tgt.append(meaning[k, 1] + meaning[k + 1].sum(0) + 0.3 * rng.normal(size=64))
            tgt_quoted += [0, 1] if quoted_alike else [int(rng.random() < 0.4), int(rng.random() < 0.4)]
            right.add(((k,), (first, first + 1)))
        else:
            src.append(meaning[k].sum(0))
            tgt.append(meaning[k].sum(0) + 0.3 * rng.normal(size=64))
            flag = int(rng.random() < 0.4)
            src_quoted.append(flag)
            tgt_quoted.append(flag if quoted_alike else int(rng.random() < 0.4))
            right.add(((k,), (len(tgt) - 1,)))
    return np.array(src), np.array(tgt), src_quoted, tgt_quoted, right


def test_links_end_where_both_versions_close_a_quotation() -> None:
    """Dialogue: a line that closes a quotation on one side belongs with the line that closes it on the other. The
    aligner learns from the document that its two versions close quotations together, and stops ending a link
    inside a quotation on one side only."""
    from workbench.alignment.aligner import align_embeddings_with_statistics

    src, tgt, src_quoted, tgt_quoted, right = _dialogue(np.random.default_rng(3), quoted_alike=True)
    lengths = ([100.0] * len(src), [100.0] * len(tgt))
    plain = align_embeddings(src, tgt, *lengths)
    beads, stats = align_embeddings_with_statistics(src, tgt, *lengths, src_quoted=src_quoted, tgt_quoted=tgt_quoted)
    assert len(links(plain) & right) < len(right) - 5
    # Learnt from a draft made without the cost, whose wrong links end inside quotations: most of it, not all.
    assert links(beads) == right and stats is not None and 0.5 < stats.quote_cost / AlignParams().quote_end < 1


def test_quotation_marks_that_fall_independently_cost_nothing() -> None:
    """Where the two versions' lines end quoted independently of each other, nothing is learnt or charged."""
    from workbench.alignment.aligner import align_embeddings_with_statistics

    src, tgt, src_quoted, tgt_quoted, _ = _dialogue(np.random.default_rng(4), quoted_alike=False)
    lengths = ([100.0] * len(src), [100.0] * len(tgt))
    beads, stats = align_embeddings_with_statistics(src, tgt, *lengths, src_quoted=src_quoted, tgt_quoted=tgt_quoted)
    assert stats is not None and stats.quote_cost == 0.0
    assert links(beads) == links(align_embeddings(src, tgt, *lengths))


def test_links_end_where_both_versions_end_a_paragraph() -> None:
    """Paragraph ends are learnt as quotation ends are: where both versions keep the same paragraphs, a line that
    ends a paragraph on one side belongs with the line that ends it on the other; where paragraph ends fall
    independently (the versions paragraph differently), nothing is charged and the links are the plain ones."""
    from workbench.alignment.aligner import align_embeddings_with_statistics

    src, tgt, src_ends, tgt_ends, right = _dialogue(np.random.default_rng(3), quoted_alike=True)
    lengths = ([100.0] * len(src), [100.0] * len(tgt))
    beads, stats = align_embeddings_with_statistics(src, tgt, *lengths, src_para_end=src_ends, tgt_para_end=tgt_ends)
    assert len(links(align_embeddings(src, tgt, *lengths)) & right) < len(right) - 5
    assert links(beads) == right and stats is not None and stats.quote_cost == 0.0
    assert 0.5 < stats.paragraph_cost / AlignParams().paragraph_end < 1
    src, tgt, src_ends, tgt_ends, _ = _dialogue(np.random.default_rng(4), quoted_alike=False)
    beads, stats = align_embeddings_with_statistics(src, tgt, *lengths, src_para_end=src_ends, tgt_para_end=tgt_ends)
    assert stats is not None and stats.paragraph_cost == 0.0
    assert links(beads) == links(align_embeddings(src, tgt, *lengths))


def _chronicle(rng: np.random.Generator, numbers_kept: bool) -> tuple[np.ndarray, np.ndarray, list, list, set]:
    """80 source sentences of a chronicle, each holding a year. One pair of sentences in ten is translated with a
    clause moved across the boundary, the year with it (AB C as A BC, the year in B): the right link is 2-2, while
    the vectors favour two 1-1 links a little. The others are 1-1 and keep their year. Where ``numbers_kept`` is
    False, the translation's years are others. Returns vectors, both sides' texts (numbers only) and right links."""
    meaning = rng.normal(size=(80, 2, 64))
    years = [str(1900 + k) for k in range(80)]
    src, tgt, src_texts, tgt_texts, right = [], [], [], [], set()
    k = 0
    while k < 80:
        if k % 10 == 4:
            # Source: "A B (year k)", "C"; target: "A", "B (year k) C".
            src += [meaning[k].sum(0), meaning[k + 1, 0]]
            src_texts += [f"{years[k]}.", "no number."]
            tgt += [meaning[k, 0] + 0.2 * rng.normal(size=64), meaning[k, 1] + meaning[k + 1, 0]]
            tgt_texts += ["no number.", f"{years[k] if numbers_kept else 1800 + k}."]
            right.add(((k, k + 1), (k, k + 1)))
            k += 2
            continue
        src.append(meaning[k].sum(0))
        tgt.append(meaning[k].sum(0) + 0.3 * rng.normal(size=64))
        src_texts.append(f"{years[k]}.")
        tgt_texts.append(f"{years[k] if numbers_kept else 1800 + (k * 7) % 80}.")
        right.add(((k,), (k,)))
        k += 1
    return np.array(src), np.array(tgt), src_texts, tgt_texts, right


def test_links_keep_a_sentences_numbers_together_where_the_translation_keeps_them() -> None:
    """A chronicle whose translation keeps its years: a link whose numbers all sit on one side is cut in the wrong
    place. The aligner learns from the document that its two versions keep each other's numbers and finds the 2-2
    links the vectors alone miss; where the translation's numbers are others, nothing is learnt or charged."""
    from workbench.alignment.aligner import align_embeddings_with_statistics
    from workbench.alignment.model import number_marks

    src, tgt, src_texts, tgt_texts, right = _chronicle(np.random.default_rng(5), numbers_kept=True)
    lengths = ([100.0] * len(src), [100.0] * len(tgt))
    numbers = {"src_numbers": number_marks(src_texts), "tgt_numbers": number_marks(tgt_texts)}
    plain = align_embeddings(src, tgt, *lengths)
    beads, stats = align_embeddings_with_statistics(src, tgt, *lengths, **numbers)
    assert len(links(plain) & right) < len(right) - 5
    assert links(beads) == right and stats is not None and stats.number_cost > 0.5 * AlignParams().number_mismatch
    assert links(align_embeddings(src, tgt, *lengths, AlignParams(number_mismatch=0.0), **numbers)) == links(plain)

    src, tgt, src_texts, tgt_texts, _ = _chronicle(np.random.default_rng(5), numbers_kept=False)
    numbers = {"src_numbers": number_marks(src_texts), "tgt_numbers": number_marks(tgt_texts)}
    beads, stats = align_embeddings_with_statistics(src, tgt, *lengths, **numbers)
    assert stats is not None and stats.number_cost == 0.0
    assert links(beads) == links(align_embeddings(src, tgt, *lengths))


def test_which_numbers_a_sentence_holds() -> None:
    """Numbers as sets of bits: thousands separators and digit scripts do not matter, the value does; a link's sides
    disagree by the share of their numbers one side lacks."""
    from workbench.alignment.model import number_marks, numbers_apart

    marks = number_marks(
        ["Am 9. Mai 1953 : 8839,8 m", "le 9 mai 1953 : 8839.8 m", "no number", "\u0661\u0669\u0665\u0663", "1954"]
    )
    assert marks.dtype == np.uint64 and marks[0] == marks[1] and marks[2] == 0
    assert np.bitwise_count(marks[0]) == 4 and marks[3] & marks[0] and not marks[4] & marks[0]
    # Thousands separators join; a date's parts stay numbers of their own, so two ways of writing it mostly agree.
    assert len(set(number_marks(["8848", "8'848", "8.848", "8,848", "8\u202f848"]).tolist())) == 1
    german, french = number_marks(["am 12.7.1956", "le 12 juillet 1956"])
    assert numbers_apart(german, french) == pytest.approx(1 / 3)
    assert numbers_apart(marks[0], marks[1]) == 0.0 and numbers_apart(marks[2], marks[2]) == 0.0
    assert numbers_apart(marks[0], marks[2]) == 1.0 and numbers_apart(marks[3], marks[3] | marks[4]) == 0.5
    assert number_marks(["0" + "7" * 6000])[0] != 0  # a data dump's digit run is a number too, not an error


def test_which_sentences_end_a_paragraph() -> None:
    """From each sentence's paragraph number; a side in one paragraph (pre-split lines) has no ends to learn from."""
    from workbench.alignment.model import paragraph_ends

    assert paragraph_ends([0, 0, 1, 1, 1, 2], 6).tolist() == [0, 1, 0, 0, 1, 1]
    assert paragraph_ends([3, 3, 3], 3) is None and paragraph_ends(None, 3) is None and paragraph_ends([], 0) is None
    with pytest.raises(ValueError, match="3 sentences but 2 paragraph numbers"):
        paragraph_ends([0, 1], 3)


def test_which_lines_end_quoted() -> None:
    from workbench.alignment.model import ends_quoted

    lines = ["'Hurry!'", "快去，快去！\u201d", "Il dit : « Viens. »", "He left.", "\u201cWait,", "'Yes' ", "", "don't"]
    assert ends_quoted(lines).tolist() == [1, 1, 1, 0, 0, 1, 0, 0]


def test_which_sentences_end_open() -> None:
    from workbench.alignment.model import ends_open

    sentences = ["a) la réfraction ;", "Die Bergsteiger waren:", "Yeah,", "他说，", "End.", "", "Quoted »", "列举、"]
    assert ends_open(sentences).tolist() == [1, 1, 1, 1, 0, 0, 0, 1]


def test_which_lines_end_unfinished() -> None:
    from workbench.alignment.model import ends_unfinished

    lines = ["He left.", "“走吧。”", "Is it? ", "Everest ( 8848 m ) et Col Sud ", "- _- ", "", "Yeah,", "Wait…", "क्या।"]
    assert ends_unfinished(lines).tolist() == [0, 0, 0, 1, 1, 1, 1, 0, 0]


def test_leaving_out_a_line_costs_less_when_it_is_unfinished_or_short() -> None:
    from workbench.alignment.model import DocumentStatistics, skip_costs

    params = AlignParams()
    stats = DocumentStatistics(*[np.zeros(4)] * 4, scale=1.0, length_ratio=1.0, length_smoothing=1.0)
    lengths = np.array([100.0, 100.0, 25.0, 0.0])
    costs = skip_costs(np.zeros(4), np.array([0, 1, 0, 0]), lengths, 100.0, stats, params)
    # A finished sentence of typical length pays the whole skip, an unfinished line the lighter one, a line a
    # quarter of the typical length half of it (it is below short_line = 0.5 of typical), an empty line nothing.
    assert costs.tolist() == pytest.approx([params.skip, params.skip_unfinished, params.skip / 2, 0.0])
    assert params.skip < params.skip_unfinished < 0


def _inserted(rng: np.random.Generator, caption: bool) -> tuple[np.ndarray, np.ndarray, list[float], list[float]]:
    """20 translated sentences, one of which the translation split in two; plus a target line with no source,
    either a caption (short, no final mark) or nothing of the kind (a finished sentence of typical length)."""
    src = rng.normal(size=(20, 64))
    tgt = [v + 0.3 * rng.normal(size=64) for v in src]
    halves = rng.normal(size=(2, 64))
    src[7] = halves.sum(0)
    tgt[7:8] = [halves[0] + 0.3 * rng.normal(size=64), halves[1] + 0.3 * rng.normal(size=64)]
    tgt.insert(14, rng.normal(size=64))  # the inserted line: target 14
    tgt_lengths = [100.0] * len(tgt)
    tgt_lengths[7] = tgt_lengths[8] = 50.0
    if caption:
        tgt_lengths[14] = 30.0
    return src, np.array(tgt), [100.0] * 20, tgt_lengths


def test_a_caption_without_a_source_is_left_out() -> None:
    """A caption the source lacks is left out although a finished sentence would not be (one skip cost for every line
    joins it to a neighbour's link), and the dear skip does not disturb the sentence split in two."""
    src, tgt, src_len, tgt_len = _inserted(np.random.default_rng(11), caption=True)
    unended = [0.0] * len(tgt)
    unended[14] = 1.0
    beads = align_embeddings(src, tgt, src_len, tgt_len, tgt_unended=unended)
    check_beads(beads, len(src), len(tgt))
    assert ((7,), (7, 8)) in links(beads) and ((), (14,)) in links(beads)


def test_large_links_are_re_decided_with_real_span_embeddings(e5, monkeypatch) -> None:
    """Short subtitle lines: the first pass's span approximation merges pairs of 1-1 lines into confident 2-2
    links; the second pass embeds those spans for real because the links are large, and splits them as the gold
    does."""
    from workbench.alignment import refinement

    src = (DATA / "parice-s1-excerpt.en").read_text(encoding="utf-8").splitlines()
    tgt = (DATA / "parice-s1-excerpt.is").read_text(encoding="utf-8").splitlines()
    # Gold links (ParIce s_1, ids 125-141 / 140-157, shifted to the excerpt): "Man, this is gonna be sweet." with
    # "Gasalega verður þetta nú huggulegt.", "Everything will be fine." with "Það verður bara gaman ...", etc.
    gold_one_to_one = {((7,), (7,)), ((8,), (8,)), ((9,), (9,)), ((10,), (10,)), ((14,), (15,)), ((15,), (16,))}
    refined = align_sentences(src, tgt, e5)
    check_beads(refined.beads, len(src), len(tgt))
    assert gold_one_to_one <= links(refined.beads)
    monkeypatch.setattr(refinement, "LARGE_LINK", 99)  # the same second pass, blind to large links
    assert not gold_one_to_one <= links(align_sentences(src, tgt, e5).beads)


def _all_paths(n: int, m: int, types: list[tuple[int, int]]):
    """Every monotone path from (0, 0) to (n, m) as a list of (i0, i1, j0, j1) moves."""
    if (n, m) == (0, 0):
        yield []
        return
    for a, b in types:
        if a <= n and b <= m:
            for path in _all_paths(n - a, m - b, types):
                yield [*path, (n - a, n, m - b, m)]


def _move_score(move, lo, hi, gains, skip_before, types) -> float:
    """What the aligner's DP scores one move of a path with (minus infinity outside the band)."""
    i0, i1, j0, j1 = move
    if not (lo[i1] <= j1 < hi[i1]):  # every cell a path passes lies in the band
        return -np.inf
    if i1 == i0:
        return skip_before[j1] - skip_before[j0]
    return float(gains[types.index((i1 - i0, j1 - j0)), i1, j1 - lo[i1]])


def test_link_posteriors_equal_brute_force_over_every_path() -> None:
    """The forward-backward posteriors behind the confidences must be the exact share of all path weight that
    passes through each link: checked against every monotone path of a small problem, with and without a band."""
    from workbench.alignment import aligner

    rng = np.random.default_rng(11)
    src = rng.normal(size=(5, 16)).astype(np.float32)
    tgt = src[[0, 1, 1, 2, 3, 4]] + 0.6 * rng.normal(size=(6, 16)).astype(np.float32)
    params = AlignParams(max_bead=4, max_side=3, temperature=0.7)
    s = aligner._make_side(src, rng.integers(20, 90, 5).astype(float))
    t = aligner._make_side(tgt, rng.integers(20, 90, 6).astype(float))
    full = aligner._search_band(s, t, params)
    banded = (np.array([0, 0, 1, 2, 3, 4]), np.array([3, 4, 5, 6, 7, 7]))
    for lo, hi in (full, banded):
        stats = aligner._statistics(s, t, lo, hi, params)
        gains, skip_before = aligner._path_gains(s, t, lo, hi, stats, params)
        types = aligner.bead_types(params)
        weights = {}
        for path in _all_paths(5, 6, types):
            total = sum(_move_score(move, lo, hi, gains, skip_before, types) for move in path)
            if total > -1e20:
                weights[tuple(path)] = np.exp(total / params.temperature)
        z = sum(weights.values())
        best = aligner._dp(s, t, lo, hi, stats, params, posteriors=True)
        assert len(weights) > 50
        for i0, i1, j0, j1, _score, posterior in best:
            exact = sum(w for path, w in weights.items() if (i0, i1, j0, j1) in path) / z
            assert posterior == pytest.approx(exact, rel=1e-6, abs=1e-9)
        assert any(p < 0.99 for *_, p in best)  # the repeated target line makes some links doubtful


def _path_score(path, move_score, src_share, tgt_share) -> float:
    """A path's score with runs of skips priced as both passes price them: a 1-0 (0-1) link right after another
    pays its line's share of its score."""
    total, last = 0.0, None
    for move in path:
        i0, i1, j0, j1 = move
        kind = "link" if i1 > i0 and j1 > j0 else "src" if i1 > i0 else "tgt"
        value = move_score(move)
        if kind == last == "src":
            value *= src_share[i0]
        elif kind == last == "tgt":
            value *= tgt_share[j0]
        total, last = total + value, kind
    return total


def test_runs_of_skips_are_priced_alike_by_the_search_its_posteriors_and_the_second_pass() -> None:
    """An unfinished line left out right after another of its side pays ``run_share`` of its cost (a block of
    captions is one omission). The first pass's best path and posteriors, and the second pass's window posteriors,
    must equal brute force over every path of a small problem where lines match nothing and runs of skips win."""
    from workbench.alignment import aligner
    from workbench.alignment.model import ends_open, ends_unfinished
    from workbench.alignment.refinement import _WindowSolver

    rng = np.random.default_rng(13)
    src = rng.normal(size=(4, 16)).astype(np.float32)
    tgt = np.vstack([src[:1], rng.normal(size=(3, 16)), src[1:]]).astype(np.float32)  # three lines of debris
    tgt += 0.3 * rng.normal(size=tgt.shape).astype(np.float32)
    src_texts = ["Der Berg ist hoch.", "Fotos", "Er ging", "Dann kam er zurück."]
    tgt_texts = ["La montagne est haute.", "Photo Schweiz", "Zürich", "- ,r", "Photos", "Il partit", "Puis revint."]
    params = AlignParams(max_bead=4, max_side=3, temperature=0.7, run_share=0.3, skip_unfinished=-1.0)
    s = aligner._make_side(src, [len(x) for x in src_texts], ends_open(src_texts), ends_unfinished(src_texts))
    t = aligner._make_side(tgt, [len(x) for x in tgt_texts], ends_open(tgt_texts), ends_unfinished(tgt_texts))
    lo, hi = aligner._search_band(s, t, params)
    stats = aligner._statistics(s, t, lo, hi, params)
    gains, skip_before = aligner._path_gains(s, t, lo, hi, stats, params)
    types = aligner.bead_types(params)
    src_share, tgt_share = (np.where(side.unended > 0, params.run_share, 1.0) for side in (s, t))
    assert 0 < src_share.sum() < 4 and 0 < tgt_share.sum() < 7  # finished and unfinished lines on both sides

    def first_pass_move(move) -> float:
        return _move_score(move, lo, hi, gains, skip_before, types)

    scores = {tuple(p): _path_score(p, first_pass_move, src_share, tgt_share) for p in _all_paths(4, 7, types)}
    weights = {p: np.exp(v / params.temperature) for p, v in scores.items() if v > -1e20}
    z = sum(weights.values())
    best = aligner._dp(s, t, lo, hi, stats, params, posteriors=True)
    path = tuple((i0, i1, j0, j1) for i0, i1, j0, j1, *_ in best)
    assert scores[path] == pytest.approx(max(scores.values()))
    assert sum(1 for i0, i1, j0, j1 in path if i1 == i0) >= 2  # a run of target lines left out
    for i0, i1, j0, j1, _score, posterior in best:
        exact = sum(w for p, w in weights.items() if (i0, i1, j0, j1) in p) / z
        assert posterior == pytest.approx(exact, rel=1e-6, abs=1e-9)
    # Priced line by line, the same problem takes another path: the run's discount decides it.
    flat = aligner._dp(s, t, lo, hi, stats, replace(params, run_share=1.0))
    assert tuple(move[:4] for move in flat) != path

    # The second pass's window: the same states, its own link scores.
    singles_s = {(i, i + 1): s.vectors[i] for i in range(4)}
    singles_t = {(j, j + 1): t.vectors[j] for j in range(7)}
    solver = _WindowSolver(singles_s, singles_t, s.vectors, t.vectors, src_texts, tgt_texts, stats, params)

    def window_move(move) -> float:
        i0, i1, j0, j1 = move
        if i1 > i0 and j1 > j0:
            return solver.gain(i0, i1, j0, j1)
        return float(solver.skip_src[i0] if i1 > i0 else solver.skip_tgt[j0])

    scores = {tuple(p): _path_score(p, window_move, src_share, tgt_share) for p in _all_paths(4, 7, types)}
    weights = {p: np.exp(v / params.temperature) for p, v in scores.items()}
    z = sum(weights.values())
    lattice = solver._lattice(0, 4, 0, 7, params.temperature)
    checked = 0
    for (r, c), into in lattice.items():
        for p, q, _g, posterior in into:
            exact = sum(w for path, w in weights.items() if (p, r, q, c) in path) / z
            assert posterior == pytest.approx(exact, rel=1e-6, abs=1e-9)
            checked += 1
    assert checked > 100


def _split_translation(rng: np.random.Generator, split_every: int) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """40 source sentences; every ``split_every``-th translated as two lines (0: none), the rest 1-1."""
    src, tgt, tgt_len = [], [], []
    for k in range(40):
        if split_every and k % split_every == 0:
            halves = rng.normal(size=(2, 64))
            src.append(halves.sum(0))
            tgt += [h + 0.4 * rng.normal(size=64) for h in halves]
            tgt_len += [50.0, 50.0]
        else:
            src.append(rng.normal(size=64))
            tgt.append(src[-1] + 0.4 * rng.normal(size=64))
            tgt_len.append(100.0)
    return np.array(src), np.array(tgt), tgt_len


def _typical_one_to_one_score(split_every: int, params: AlignParams) -> float:
    """Median score (margin against the sentences around, over the document's scale) of the final 1-1 links."""
    from workbench.alignment.aligner import align_embeddings_with_statistics

    src, tgt, tgt_len = _split_translation(np.random.default_rng(3), split_every)
    src /= np.linalg.norm(src, axis=1, keepdims=True)
    tgt /= np.linalg.norm(tgt, axis=1, keepdims=True)
    beads, stats = align_embeddings_with_statistics(src, tgt, [100.0] * len(src), tgt_len, params)
    assert stats is not None
    if split_every:
        assert sum(len(b.tgt) == 2 for b in beads) >= 15  # the split translation is found as 1-2 links
    scores = []
    for b in beads:
        if len(b.src) == 1 and len(b.tgt) == 1:
            i, j = b.src[0], b.tgt[0]
            near = [src[i] @ tgt[j + d] for d in (-1, 1) if 0 <= j + d < len(tgt)]
            near += [tgt[j] @ src[i + d] for d in (-1, 1) if 0 <= i + d < len(src)]
            scores.append((src[i] @ tgt[j] - np.mean(near)) / stats.scale)
    return float(np.median(scores))


def test_the_margin_scale_is_measured_on_the_documents_own_one_to_one_links() -> None:
    """A free translation's sentences share their partners with their neighbours, which shrinks the k-NN scale and
    so inflates every score against the fixed skip and merge costs. Measured on the first pass's 1-1 links, the
    scale gives the typical 1-1 link the same score in a free translation as in a close one."""
    params = AlignParams()
    knn_only = replace(params, link_score=0.0)
    close, free = _typical_one_to_one_score(0, knn_only), _typical_one_to_one_score(2, knn_only)
    assert free > 1.2 * close  # the k-NN scale's bias this corrects
    for split_every in (0, 2):
        assert _typical_one_to_one_score(split_every, params) == pytest.approx(params.link_score, rel=0.05)


def test_large_links_are_re_decided_even_when_confident_and_with_one_neighbour_when_both_do_not_fit() -> None:
    """A confident 1-4 link is doubtful (its first-pass span vector is the weakest approximation); its window with
    both neighbours would hold 7 target sentences, more than MAX_WINDOW, so it is re-decided with the neighbour
    that fits rather than not at all."""
    from workbench.alignment.refinement import MAX_WINDOW, _corners, _doubtful, _windows

    beads = [Bead((0,), (0,), 0.99), Bead((1,), (1, 2, 3, 4), 0.99), Bead((2,), (5, 6), 0.99), Bead((3,), (7,), 0.99)]
    doubtful = [_doubtful(b) for b in beads]
    assert doubtful == [False, True, False, False]
    corners = _corners(beads)
    assert corners[3][1] - corners[0][1] > MAX_WINDOW  # both neighbours do not fit
    assert _windows(beads, corners, doubtful, set()) == [(0, 2)]


def test_the_second_pass_embeds_only_the_spans_of_plausible_links_and_finds_the_same_links(e5, monkeypatch) -> None:
    """Scored with the first pass's approximate span vectors, most links of a window have no chance; embedding only
    the spans of those that do must give the links that embedding every span gives, for far fewer span texts."""
    from workbench.alignment import refinement

    src = (DATA / "parice-s1-excerpt.en").read_text(encoding="utf-8").splitlines()
    tgt = (DATA / "parice-s1-excerpt.is").read_text(encoding="utf-8").splitlines()
    pruned = align_sentences(src, tgt, e5)
    monkeypatch.setattr(refinement, "PRUNE", 0.0)  # every span of every window
    every = align_sentences(src, tgt, e5)
    assert [(b.src, b.tgt) for b in pruned.beads] == [(b.src, b.tgt) for b in every.beads]
    assert 0 < 2 * pruned.signature["span_texts_embedded"] <= every.signature["span_texts_embedded"]


def test_a_window_takes_the_links_most_likely_right_not_its_best_path(monkeypatch) -> None:
    """Two lines against two: the best path links them one by one (2.0 + 2.0), but two other paths come close, the
    2-2 link (3.95) and a 2-1 link leaving the second target line out (4.45 - 0.5). At the aligner's temperature
    each 1-1 link is right in only 39% of the paths' weight and the 2-2 link in 30%, so the path of the 2-2 link
    alone (0.30 - 0.5) loses less than the two 1-1 links (2 x (0.39 - 0.5)). Link scores are set by hand so that the
    decision is exact; the solver, its lattice and its posteriors are the real ones."""
    from workbench.alignment import refinement
    from workbench.alignment.aligner import _make_side, _search_band, _statistics

    scores = {(0, 1, 0, 1): 2.0, (1, 2, 1, 2): 2.0, (0, 2, 0, 2): 3.95, (0, 2, 0, 1): 4.45}

    class HandScored(refinement._WindowSolver):
        def gain(self, a0: int, a1: int, b0: int, b1: int) -> float:
            return scores.get((a0, a1, b0, b1), -5.0)

    rng = np.random.default_rng(5)
    src, tgt = rng.normal(size=(2, 16)), rng.normal(size=(2, 16))
    src_texts, tgt_texts = ["He nodded.", "Then he left."], ["Er nickte und ging.", "Dann."]
    params = AlignParams()
    sides = [_make_side(v, [len(t) for t in texts]) for v, texts in ((src, src_texts), (tgt, tgt_texts))]
    lo, hi = _search_band(*sides, params)
    stats = _statistics(*sides, lo, hi, params)
    singles = [{(i, i + 1): v[i] for i in range(len(v))} for v in (src, tgt)]
    solver = HandScored(*singles, src, tgt, src_texts, tgt_texts, stats, params)
    solver.skip_src[:] = -3.0
    solver.skip_tgt[:] = [-3.0, -0.5]

    links = solver.solve(0, 2, 0, 2)
    assert [(b.src, b.tgt) for b in links] == [((0, 1), (0, 1))]
    # Its confidence rests on its posterior (0.30), as a link's does whichever path is taken.
    assert links[0].confidence < refinement.link_confidence(0.5, 3.95, True, params)
    # Counting right links without the cost of a link, the two 1-1 links (0.78 expected right) win.
    monkeypatch.setattr(refinement, "LINK_AT_LEAST", 0.0)
    assert [(b.src, b.tgt) for b in solver.solve(0, 2, 0, 2)] == [((0,), (0,)), ((1,), (1,))]


def test_a_link_beside_a_doubtful_one_is_less_sure_than_its_own_evidence_says() -> None:
    """Wrong links come in runs (a misplaced boundary breaks the links on both sides of it), so the confidence a
    reviewer sees weighs the weaker link beside each link (bench/RESULTS.md: on every held-out development set more
    links can be accepted unread at 99% strict precision)."""
    from workbench.alignment.model import link_evidence, settle_confidences

    params = AlignParams()
    own = link_evidence(0.999, 3.0, params)
    sure = [Bead((0,), (0,), 0.99, own), Bead((1,), (1,), 0.99, own), Bead((2,), (2,), 0.99, own)]
    beside_doubt = [Bead((0,), (0,), 0.99, own), Bead((1,), (1,), 0.99, own), Bead((2,), (2,), 0.3, own)]
    settled_sure, settled_doubt = settle_confidences(sure, params), settle_confidences(beside_doubt, params)
    assert settled_sure[1].confidence > 0.9
    assert settled_doubt[1].confidence < settled_sure[1].confidence - 0.1
    assert settled_doubt[0].confidence == settled_sure[0].confidence  # only the links beside the doubt
    # The first and last links have one neighbour; skips and links given as they are (no evidence) keep theirs.
    skip, given = Bead((3,), (), 0.42), Bead((4,), (3,), 1.0)
    settled = settle_confidences([*beside_doubt, skip, given], params)
    assert settled[3:] == [skip, given] and settled[3].confidence == 0.42 and settled[4].confidence == 1.0
    assert all(b.evidence is None for b in settled)
    # A link kept as the reviewer approved it counts as sure beside a new one, whatever the aligner once gave it.
    approved = Bead((2,), (2,), 0.3)
    assert settle_confidences([*sure[:2], approved], params, fixed=[approved])[1] == settled_sure[1]
    # The first pass alone (align_embeddings) returns settled links too, as align_sentences does.
    assert all(b.evidence is None for b in align_embeddings(*np.eye(3, 8)[None].repeat(2, 0), [9] * 3, [9] * 3))


#: The seed's first eight sentences in Chinese (translated for this test), the first and the seventh cut in two: a
#: Chinese text holds no spaces, between its sentences either.
ZH = [
    "近来，科索沃北部局势持续紧张。",
    "科索沃当局不断激化矛盾和对抗，导致该地区暴力事件频发。",
    "4月22日，联合国安理会就科索沃问题召开会议，表达了国际社会缓和紧张局势、防止对抗升级的愿望。",
    "科索沃问题作为一个长期存在的问题，已经演变为西巴尔干乃至整个欧洲的地缘政治风险。",
    "这一问题背后的根本原因是美国等西方国家以军事手段肆意干涉西巴尔干内部事务。",
    "2022年乌克兰危机爆发后，北约在欧洲安全和地缘政治问题上的立场日益咄咄逼人。",
    "在此背景下，欧盟和美国不断向塞尔维亚施压，要求其向反俄的西方阵营靠拢。",
    "2022年7月，科索沃当局强行要求科索沃北部的塞族人将塞尔维亚车牌换成科索沃颁发的车牌。",
    "此举引发了塞族人与科索沃警察之间的激烈冲突。",
    "2024年4月，由于科索沃当局拒绝履行在科索沃北部建立塞族占多数城市联盟的承诺，占当地人口90%的塞族人抵制了该地区的市长选举。",
]


def test_which_texts_join_their_sentences_without_a_space(en: list[str]) -> None:
    from workbench.alignment.refinement import joiner

    assert joiner(ZH) == ""
    assert joiner(en) == " "
    assert joiner(["今日はいい天気ですね。", "駅まで歩いて行きましょう。"]) == ""
    # Short subtitle lines, many of one word, and Thai (a space between sentences, few inside them) keep the space.
    assert joiner(["Yes.", "No!", "Bíddu,", "Hvað?", "Ok.", "Komdu hingað núna."]) == " "
    assert joiner(["วันนี้อากาศดีมาก", "ฉันจะไปตลาดกับแม่"]) == " "
    # Where the side's language is known, the product's one rule decides (workbench.documents.sentence_joiner);
    # the script decides only for a side of unknown language.
    assert joiner(en, "ja") == "" and joiner(ZH, "en") == " " and joiner(ZH, "zh-Hant") == ""
    assert joiner(ZH, "und") == "" and joiner(["วันนี้อากาศดีมาก"], "th") == " "


def test_the_second_pass_joins_chinese_sentences_as_chinese_is_written(e5, en: list[str], monkeypatch) -> None:
    """A span of Chinese sentences is embedded as the text reads, without the space a Latin script puts between
    sentences (on the development sets: bible_en_zh 0.9799 -> 0.9810, mac_dev_zh_en 0.8479 -> 0.8493 strict F1)."""
    from workbench.alignment import refinement

    class Recording:
        def __init__(self) -> None:
            self.texts: list[str] = []

        def __getattr__(self, name: str):
            return getattr(e5, name)

        def encode(self, texts, **kwargs):
            self.texts.extend(texts)
            return e5.encode(texts, **kwargs)

        def for_languages(self, *languages):
            return self  # languages unknown here: the model stays e5 (and the recording stays in the way)

    monkeypatch.setattr(refinement, "DOUBT", 1.01)  # every link re-decided: windows, and spans, everywhere
    monkeypatch.setattr(refinement, "PRUNE", 0.0)
    recording = Recording()
    alignment = align_sentences(ZH, en[:8], recording)
    check_beads(alignment.beads, len(ZH), len(en[:8]))
    spans = [t for t in recording.texts if t not in ZH and any(t.startswith(s) for s in ZH)]
    assert spans, "no Chinese span was embedded"
    assert all(t in {"".join(ZH[a:b]) for a in range(len(ZH)) for b in range(a + 2, len(ZH) + 1)} for t in spans)
    english = [t for t in recording.texts if t not in en and any(t.startswith(s) for s in en)]
    assert english and all(t in {" ".join(en[a:b]) for a in range(8) for b in range(a + 2, 9)} for t in english)
    assert {((0, 1), (0,)), ((7, 8), (6,))} <= links(alignment.beads)
