"""schemacheck's fuzz harness: mutational fuzzing of every front end through the real check path.

Run ``python -m fuzz --help`` from the repository root; see docs/fuzzing.md.
"""
