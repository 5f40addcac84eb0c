"""Validates discotop's JSON output against the schemas in docs/schema.

usage: validate.py list FILE      (one `list --json` document)
       validate.py watch FILE     (`watch --json` lines, one object a line)
Exits 1 naming the first object that does not conform and why. Run by `make test`.
"""
import json
import os
import sys

import jsonschema

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "schema")


def load(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return json.load(f)


def validator(schema, schemas):
    """A validator that resolves the urn: references between the schema files, on jsonschema
    releases before and after the `referencing` library replaced RefResolver (4.18)."""
    cls = jsonschema.validators.validator_for(schema)
    try:
        from referencing import Registry, Resource
    except ImportError:
        resolver = jsonschema.RefResolver.from_schema(schema, store={s["$id"]: s for s in schemas})
        return cls(schema, resolver=resolver, format_checker=cls.FORMAT_CHECKER)
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas)
    return cls(schema, registry=registry, format_checker=cls.FORMAT_CHECKER)


def main():
    kind, path = sys.argv[1], sys.argv[2]
    schemas = [load("list.schema.json"), load("watch.schema.json")]
    check = validator(schemas[0] if kind == "list" else schemas[1], schemas)
    with open(path, encoding="utf-8") as f:
        objects = [json.load(f)] if kind == "list" else [json.loads(line) for line in f if line.strip()]
    if not objects:
        sys.exit(f"{path}: no output to validate")
    for number, obj in enumerate(objects, 1):
        errors = sorted(check.iter_errors(obj), key=lambda e: list(e.absolute_path))
        if errors:
            where = "/".join(str(p) for p in errors[0].absolute_path)
            sys.exit(f"{path}: object {number} does not match the {kind} schema at /{where}: {errors[0].message}\n{json.dumps(obj)[:2000]}")
    print(f"{kind}: {len(objects)} objects match docs/schema/{kind}.schema.json")


if __name__ == "__main__":
    main()
