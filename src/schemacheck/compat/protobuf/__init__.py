"""Protobuf compatibility: pair linked descriptors of two revisions and run buf-style rules."""
