#!/usr/bin/env bash
# Build the sdist and wheel into dist/ and check their metadata.
set -euo pipefail
python -m pip install --upgrade build twine
python -m build
python -m twine check dist/*
