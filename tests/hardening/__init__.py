"""Hardening tests: fuzzing every reader, hostile XMP, refused writes, SIGKILL during writes."""
