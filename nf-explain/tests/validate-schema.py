#!/usr/bin/python3
"""Validates NDJSON (stdin) against a JSON Schema file (argv[1]).

Uses the jsonschema package when /usr/bin/python3 has it; otherwise a small
validator of the keywords docs/nf-explain.schema.json uses ($ref, oneOf,
type, const, enum, required, properties, additionalProperties, items,
minItems, minimum). Prints one line per problem; exit 1 if any."""
import json, sys

schema = json.load(open(sys.argv[1]))

def resolve(ref):
    node = schema
    for part in ref.lstrip('#/').split('/'):
        node = node[part]
    return node

TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}

def type_ok(v, t):
    if t == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    if t == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    return isinstance(v, TYPES[t])

def errors(v, s, path):
    if "$ref" in s:
        yield from errors(v, resolve(s["$ref"]), path)
    if "oneOf" in s:
        ok = sum(1 for sub in s["oneOf"] if not list(errors(v, sub, path)))
        if ok != 1:
            yield "%s: matches %d of oneOf" % (path, ok)
    if "type" in s:
        ts = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(type_ok(v, t) for t in ts):
            yield "%s: %r is not %s" % (path, v, s["type"])
            return
    if "const" in s and v != s["const"]:
        yield "%s: %r != %r" % (path, v, s["const"])
    if "enum" in s and v not in s["enum"]:
        yield "%s: %r not in enum" % (path, v)
    if "minimum" in s and isinstance(v, (int, float)) and v < s["minimum"]:
        yield "%s: %r < %r" % (path, v, s["minimum"])
    if isinstance(v, dict):
        for k in s.get("required", []):
            if k not in v:
                yield "%s: missing %s" % (path, k)
        props = s.get("properties", {})
        for k, x in v.items():
            if k in props:
                yield from errors(x, props[k], path + "." + k)
            elif s.get("additionalProperties") is False:
                yield "%s: unexpected key %s" % (path, k)
            elif isinstance(s.get("additionalProperties"), dict):
                yield from errors(x, s["additionalProperties"], path + "." + k)
    if isinstance(v, list):
        if len(v) < s.get("minItems", 0):
            yield "%s: fewer than %d items" % (path, s["minItems"])
        if "items" in s:
            for i, x in enumerate(v):
                yield from errors(x, s["items"], "%s[%d]" % (path, i))

try:
    import jsonschema
    check = lambda rec: [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(rec)]
    how = "jsonschema"
except ImportError:
    check = lambda rec: list(errors(rec, schema, "$"))
    how = "built-in subset validator"

bad = n = 0
for lineno, line in enumerate(sys.stdin, 1):
    if not line.strip():
        continue
    n += 1
    for e in check(json.loads(line)):
        print("line %d: %s" % (lineno, e))
        bad += 1
print("%d records checked with %s, %d problems" % (n, how, bad))
sys.exit(1 if bad or n == 0 else 0)
