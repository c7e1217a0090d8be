"""workbench: offline multilingual translation and sentence alignment.

Data flows one way: document -> segments -> translation -> embeddings -> alignment -> review -> export.
"""

__version__ = "0.1.0"
