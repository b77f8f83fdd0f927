"""Rules specific to Python DTOs (everything else reuses the shape rules of ``rules/jsonschema``)."""
