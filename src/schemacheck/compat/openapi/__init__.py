"""The OpenAPI format checker: pairs operations of two revisions, runs the OpenAPI rules, and
compares every body, parameter and header schema with the shape engine in the data's direction."""
