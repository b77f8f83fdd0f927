#!/usr/bin/env python3
"""A googleapis ``compute.proto``-like file (~4 MB) for timing the protobuf front end.

googleapis' ``google/cloud/compute/v1/compute.proto`` is the largest real .proto we promise to
check within 5 s: ~4 MB, well over a thousand messages with many ``optional`` fields, long
comments on every element, nested enums with large values, ``google.api`` annotations on
fields and rpcs, and a few dozen services. We have no copy (googleapis is not vendored and
nothing is fetched), so this generator writes a deterministic look-alike, with the custom
options it uses declared in a small local file (``google/api/annotations_lite.proto``).

Reused by ``tests/test_proto_big_file.py``; run by hand to time a one-field change in a git
repository (cold, ``SCHEMACHECK_NO_CACHE=1``) with peak memory::

    python bench/big_proto.py [--size-mb 4] [--keep] [--profile]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OPTIONS_PATH = "google/api/annotations_lite.proto"
TARGET_PATH = "google/cloud/compute/v1/compute.proto"

OPTIONS = """syntax = "proto3";

package google.api;

import "google/protobuf/descriptor.proto";

// Just enough of google/api/{annotations,client,field_behavior}.proto and
// google/cloud/extended_operations.proto for compute.proto-like files.
message HttpRule {
  string selector = 1;
  oneof pattern {
    string get = 2;
    string put = 3;
    string post = 4;
    string delete = 5;
    string patch = 6;
  }
  string body = 7;
  string response_body = 12;
}

enum FieldBehavior {
  FIELD_BEHAVIOR_UNSPECIFIED = 0;
  OPTIONAL = 1;
  REQUIRED = 2;
  OUTPUT_ONLY = 3;
}

extend google.protobuf.MethodOptions {
  HttpRule http = 72295728;
  repeated string method_signature = 1051;
  string operation_service = 1249;
  bool operation_polling_method = 1250;
}

extend google.protobuf.ServiceOptions {
  string default_host = 1049;
  string oauth_scopes = 1050;
}

extend google.protobuf.FieldOptions {
  repeated FieldBehavior field_behavior = 1052;
  string operation_request_field = 1251;
  string operation_response_field = 1252;
  bool operation_field = 1253;
}
"""

_WORDS = ("the instance disk network project zone region resource operation address firewall "
          "route subnetwork backend service policy image snapshot url map target pool health "
          "check label fingerprint status description name creation timestamp self link kind "
          "type of this value an is for in to that when which optional required output only "
          "server defined identifier request response list page token filter order by max "
          "results return partial success warning data item key scope").split()
_SCALARS = ("string", "string", "string", "int32", "int64", "uint64", "bool", "double", "float", "uint32")


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize() + "."


def _comment(rng: random.Random, indent: str, lines: int) -> list[str]:
    return [f"{indent}// {_sentence(rng, rng.randint(8, 14))}" for _ in range(lines)]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.capitalize() for p in rest)


def generate(size_bytes: int = 4 * 1024 * 1024, seed: int = 7) -> str:
    """The text of a compute.proto-like file of about ``size_bytes`` bytes (deterministic)."""
    rng = random.Random(seed)
    out = ['// Copyright 2026 Example', '//', '// A generated look-alike of compute.proto.', "",
           'syntax = "proto3";', "", "package google.cloud.compute.v1;", "",
           f'import "{OPTIONS_PATH}";', "",
           'option csharp_namespace = "Google.Cloud.Compute.V1";',
           'option go_package = "cloud.google.com/go/compute/apiv1/computepb;computepb";',
           'option java_multiple_files = true;', 'option java_package = "com.google.cloud.compute.v1";',
           'option php_namespace = "Google\\\\Cloud\\\\Compute\\\\V1";', ""]
    size = sum(len(line) + 1 for line in out)
    messages: list[str] = []
    i = 0
    while size < size_bytes * 0.93:
        name = f"Resource{i:04d}" if i % 3 else f"Insert{i:04d}Request"
        lines = _comment(rng, "", 2) + [f"message {name} {{"]
        enum_names = []
        if i % 4 == 0:
            enum = f"Status{i:04d}"
            enum_names.append(enum)
            lines += _comment(rng, "  ", 1) + [f"  enum {enum} {{",
                                                "    // A value indicating that the enum field is not set.",
                                                f"    UNDEFINED_{enum.upper()} = 0;"]
            for v in range(rng.randint(3, 12)):
                lines += _comment(rng, "    ", 1) + [f"    VALUE_{v}_{i} = {rng.randint(1, 2**31 - 1)};"]
            lines += ["", "  }", ""]
        numbers = rng.sample(range(20000, 536870911), 24)  # compute.proto numbers are name hashes
        for f in range(1, rng.randint(6, 24)):
            fname = "_".join(rng.sample(_WORDS, 2)) + f"_{f}"
            pick = rng.random()
            if pick < 0.08 and messages:
                ftype, label = rng.choice(messages[-50:]), "repeated "
            elif pick < 0.15:
                ftype, label = "map<string, string>", ""
            elif pick < 0.2 and enum_names:
                ftype, label = "string", "optional "  # compute.proto keeps enums as strings
            else:
                ftype, label = rng.choice(_SCALARS), "optional "
            opts = [f'json_name = "{_camel(fname)}"'] if rng.random() < 0.1 else []
            if name.endswith("Request") and f <= 2:
                opts.append("(google.api.field_behavior) = REQUIRED")
                opts.append(f'(google.api.operation_request_field) = "{fname}"')
            suffix = f" [{', '.join(opts)}]" if opts else ""
            lines += _comment(rng, "  ", rng.randint(1, 4))
            lines.append(f"  {label}{ftype} {fname} = {numbers[f]}{suffix};")
            lines.append("")
        lines += ["}", ""]
        messages.append(name)
        size += sum(len(line) + 1 for line in lines)
        out += lines
        i += 1
    requests = [m for m in messages if m.endswith("Request")]
    for s in range(max(1, len(requests) // 40)):
        out += _comment(rng, "", 1) + [f"service Service{s:02d} {{",
                                        '  option (google.api.default_host) = "compute.googleapis.com";',
                                        '  option (google.api.oauth_scopes) = '
                                        '"https://www.googleapis.com/auth/compute,"',
                                        '    "https://www.googleapis.com/auth/cloud-platform";', ""]
        for r, req in enumerate(requests[s * 40:(s + 1) * 40]):
            out += _comment(rng, "  ", 1)
            out += [f"  rpc Method{r:02d}({req}) returns ({messages[0]}) {{",
                    f'    option (google.api.http) = {{',
                    f'      post: "/compute/v1/projects/{{project}}/zones/{{zone}}/service{s}/method{r}"',
                    '      body: "resource"', "    };",
                    '    option (google.api.method_signature) = "project,zone,resource";',
                    '    option (google.api.operation_service) = "ZoneOperations";', "  }", ""]
        out += ["}", ""]
    return "\n".join(out) + "\n"


def write_repo(root: Path, size_bytes: int = 4 * 1024 * 1024) -> None:
    """A git repository at ``root``: the file committed on ``main``, then one field renamed in
    the work tree (a breaking one-field change)."""
    text = generate(size_bytes)
    (root / Path(TARGET_PATH).parent).mkdir(parents=True, exist_ok=True)
    (root / Path(OPTIONS_PATH).parent).mkdir(parents=True, exist_ok=True)
    (root / OPTIONS_PATH).write_text(OPTIONS)
    (root / TARGET_PATH).write_text(text)
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.com",
           "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.com",
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
    (root / TARGET_PATH).write_text(_rename_one_field(text))


def _rename_one_field(text: str) -> str:
    at = text.index("  optional ", len(text) // 2)
    end = text.index(" = ", at)
    return text[:end] + "_renamed" + text[end:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=4.0)
    parser.add_argument("--keep", action="store_true", help="keep the repository and print its path")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the cold run")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="big-proto-"))
    write_repo(root, int(args.size_mb * 1024 * 1024))
    print(f"{TARGET_PATH}: {(root / TARGET_PATH).stat().st_size} bytes")
    env = {**os.environ, "SCHEMACHECK_NO_CACHE": "1"}
    cmd = [sys.executable, "-m", "schemacheck", "--base", "main"]
    if args.profile:
        cmd = [sys.executable, "-m", "cProfile", "-s", "cumtime", "-m", "schemacheck", "--base", "main"]
    timer = ["/usr/bin/time", "-f", "%e s wall, %M KB peak RSS"] if Path("/usr/bin/time").exists() else []
    start = time.perf_counter()
    proc = subprocess.run(timer + cmd, cwd=root, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    print(proc.stdout[:6000] if args.profile else proc.stdout.strip().splitlines()[-1:])
    print(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "")
    print(f"exit {proc.returncode}, {elapsed:.2f} s")
    if args.keep:
        print(root)
    else:
        shutil.rmtree(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
