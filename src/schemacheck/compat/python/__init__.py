"""The Python DTO format's checker: settings, roles, pairing and comparison of DTO classes."""
