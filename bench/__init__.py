"""Benchmarks: a package, run from the project root as ``.venv/bin/python -m bench.NAME`` (no ``sys.path`` edits).

Each module measures one thing and prints its figures; ``bench/RESULTS.md`` keeps them with the command that made
them. Shared helpers are modules here (``bench.gold_sets`` loads the development gold sets, ``bench.tiny_argos``
builds a tiny real Argos package, which the tests use too). Older entries in RESULTS.md were run as
``.venv/bin/python bench/NAME.py``; the ``-m bench.NAME`` form is the same program.
"""
