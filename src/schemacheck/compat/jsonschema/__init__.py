"""JSON Schema compatibility: the format checker that wires files to the shape engine."""
