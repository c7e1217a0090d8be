"""The Streamlit app: one page a step (Open, Translate, Review, Pictures, Spot-check, Export, Models).

Thin on purpose: every page calls the library (``workbench.projects``, ``workbench.translation``,
``workbench.review`` ...), which does the work and saves; the app holds only what a browser session needs (the
open project, the selected link, the page of the table). ``workbench app`` starts it (:mod:`.server`).
"""
