"""``schemacheck demo``: the ``total_amount`` -> ``total_cents`` incident in a throw-away repository.

Maintainers: the demo is a script a newcomer can replay by hand. It creates a git repository
in a temporary directory holding two services: the order service (its ``.proto`` and its
OpenAPI document) and the payment service, whose pydantic DTO reads the order service's
``GET /orders/{id}`` response (a contract in ``pyproject.toml``, docs/contracts.md). It
commits them on ``main``, renames the field in the order service only on a branch, then runs
``schemacheck --base main`` as a separate process, printing every command first
(``$ git ...``): the producer's own findings, and the consumer's view (the contract finding
on the payment service's file, which did not change). It exits 0 after showing the findings so that
``pip install -e . && schemacheck demo`` reads as a success; ``--strict`` returns the check's
own status (1 when it found breaking changes). The repository is removed unless ``--keep``.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .errors import GitError

__all__ = ["run_demo", "ORDER_PROTO", "ORDER_OPENAPI", "PAYMENT_DTO", "DEMO_CONFIG"]

ORDER_PROTO = """\
syntax = "proto3";

package shop.orders.v1;

// An order as the checkout service publishes it.
message Order {
  string id = 1;
  string customer_id = 2;
  // Amount due, in cents.
  int64 total_amount = 3;
  string currency = 4;
}

service OrderService {
  rpc GetOrder(GetOrderRequest) returns (Order);
}

message GetOrderRequest {
  string id = 1;
}
"""

ORDER_OPENAPI = """\
openapi: 3.1.0
info: {title: Order service, version: "1.0"}
paths:
  /orders/{id}:
    get:
      operationId: getOrder
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: The order.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Order"}
components:
  schemas:
    Order:
      type: object
      required: [id, customer_id, total_amount, currency]
      properties:
        id: {type: string}
        customer_id: {type: string}
        total_amount: {type: integer, description: Amount due in cents.}
        currency: {type: string}
"""

PAYMENT_DTO = """\
from pydantic import BaseModel


class OrderResponse(BaseModel):
    \"\"\"What the payment service reads from GET /orders/{id}.\"\"\"

    id: str
    total_amount: int
    currency: str


class OrderEvent(BaseModel):
    \"\"\"An order event from the bus: the Order message in ProtoJSON (int64 as a string, camelCase).\"\"\"

    id: str = ""
    totalAmount: str = "0"
"""

DEMO_CONFIG = """\
[tool.schemacheck]

# The payment service reads the order service's response: check one against the other.
[[tool.schemacheck.contracts]]
name = "payments reads orders"
consumer = "services/payments/clients/orders.py:OrderResponse"
producer = "services/orders/openapi.yaml GET /orders/{id} 200"

# ... and the Order messages the order service publishes, read through their ProtoJSON mapping.
[[tool.schemacheck.contracts]]
name = "payments reads order events"
consumer = "services/payments/clients/orders.py:OrderEvent"
producer = "proto/shop/orders/v1/order.proto:shop.orders.v1.Order"
"""

_IDENTITY = {
    "GIT_AUTHOR_NAME": "schemacheck demo",
    "GIT_AUTHOR_EMAIL": "demo@example.invalid",
    "GIT_COMMITTER_NAME": "schemacheck demo",
    "GIT_COMMITTER_EMAIL": "demo@example.invalid",
}


def _say(text: str) -> None:
    print(text, flush=True)


def _run(cmd: list[str], cwd: Path, env: dict[str, str], shown: list[str] | None = None) -> int:
    _say("$ " + " ".join(shlex.quote(part) for part in (shown or cmd)))
    return subprocess.run(cmd, cwd=cwd, env=env, check=False).returncode


def _git(args: list[str], cwd: Path, env: dict[str, str]) -> None:
    proc = subprocess.run(["git", "-c", "commit.gpgsign=false", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)
    _say("$ git " + " ".join(shlex.quote(a) for a in args))
    if proc.returncode != 0:
        raise GitError(f"demo: git {args[0]} failed: {proc.stderr.strip().splitlines()[-1:] or proc.returncode}")


def _write(root: Path, path: str, text: str, note: str) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    _say(f"# {note}: {path}")


def run_demo(*, strict: bool = False, keep: bool = False) -> int:
    """Build the demo repository, run the check and show its report.

    Args:
        strict: Return the check's exit status instead of 0 when it found breaking changes.
        keep: Leave the repository in place and print its path.

    Returns:
        0, or with ``strict`` the status of ``schemacheck --base main``; 2 if the check
        itself failed to run.

    Raises:
        GitError: git is not installed or a git command failed.
    """
    if shutil.which("git") is None:
        raise GitError("the demo needs the git command, which is not on PATH", tip="Install git and try again.")
    root = Path(tempfile.mkdtemp(prefix="schemacheck-demo-"))
    env = {**os.environ, **_IDENTITY}
    try:
        _say(f"# A throw-away repository in {root}\n")
        _git(["init", "-q"], root, env)
        _git(["symbolic-ref", "HEAD", "refs/heads/main"], root, env)
        _write(root, "proto/shop/orders/v1/order.proto", ORDER_PROTO, "the order service's schema")
        _write(root, "services/orders/openapi.yaml", ORDER_OPENAPI, "the order service's HTTP API")
        _write(root, "services/payments/clients/orders.py", PAYMENT_DTO, "the payment service's view of an order")
        _write(root, "pyproject.toml", DEMO_CONFIG, "the contract between them")
        _git(["add", "."], root, env)
        _git(["commit", "-q", "-m", "Order service v1"], root, env)
        _say("\n# On a branch, the order service renames total_amount to total_cents (same number, same type);")
        _say("# the payment service's code is not touched")
        _git(["checkout", "-q", "-b", "rename-total"], root, env)
        _write(root, "proto/shop/orders/v1/order.proto", ORDER_PROTO.replace("total_amount", "total_cents"),
               "edited")
        _write(root, "services/orders/openapi.yaml", ORDER_OPENAPI.replace("total_amount", "total_cents"), "edited")
        _git(["commit", "-q", "-am", "Rename total_amount to total_cents"], root, env)
        _say("\n# Wire-compatible, but JSON readers, generated code and the payment service break. Ask schemacheck:")
        status = _run([sys.executable, "-m", "schemacheck", "--base", "main"], root, env,
                      shown=["schemacheck", "--base", "main"])
        _say(f"\n# schemacheck exited with status {status} (0: clean, 1: breaking changes, 2: input error).")
        if status == 1 and not strict:
            _say("# The demo itself succeeds; run `schemacheck demo --strict` to get the check's status.")
        if keep:
            _say(f"# Kept the repository: cd {shlex.quote(str(root))}")
        return status if strict or status not in (0, 1) else 0
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
