"""Rule modules, one package per format; imported by :func:`schemacheck.registry.load_rules`."""
