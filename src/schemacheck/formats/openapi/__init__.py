"""OpenAPI 3.0.x, 3.1.x and Swagger 2.0 front end: detection, loading, validation, the API model.

Maintainers: an OpenAPI file is loaded by the JSON Schema loader (``formats/jsonschema``: same
limits, same positions, same ``$ref`` resolver); this package only adds what is OpenAPI's own:
the version, the 3.0/2.0 schema dialect (``dialect.py``), the operations model (``model.py``,
built by ``build.py``) and validation against the version's official schema (``validate.py``).
"""
