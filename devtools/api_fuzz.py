"""Schemathesis over the live OpenAPI schema: every operation, positive and negative cases.

Shared by tests/reliability/test_api_fuzz.py (a few cases per operation, in CI) and
bench/fuzz_api.py (≥ 10,000 cases). `run_fuzz` checks one property, no 5xx, and keeps each
failure with a curl command that reproduces it; `run_contract` runs schemathesis with every
check (the OpenAPI document must be true of the server).
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import HypothesisException
from schemathesis.generation.modes import GenerationMode

MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


@dataclass
class Failure:
    operation: str
    status: int
    code: str
    curl: str


@dataclass
class FuzzResult:
    cases: int = 0
    by_status: Counter[int] = field(default_factory=Counter)
    by_operation: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # operation/mode with no case to generate

    def distinct_failures(self) -> dict[tuple[str, int, str], Failure]:
        """One example per (operation, status, error code)."""
        out: dict[tuple[str, int, str], Failure] = {}
        for f in self.failures:
            out.setdefault((f.operation, f.status, f.code), f)
        return out


def run_fuzz(base: str, examples: int, token: str, *, timeout_s: float = 60) -> FuzzResult:
    """Up to `examples` cases per operation and mode against the server at `base`."""
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    result = FuzzResult()
    session = requests.Session()
    for item in schema.get_all_operations():
        operation = item.ok()
        for mode in MODES:
            _fuzz_one(operation, mode, base, examples, token, timeout_s, session, result)
    return result


def _fuzz_one(
    operation: object,
    mode: GenerationMode,
    base: str,
    examples: int,
    token: str,
    timeout_s: float,
    session: requests.Session,
    result: FuzzResult,
) -> None:
    label = operation.label  # type: ignore[attr-defined]
    strategy = operation.as_strategy(generation_mode=mode)  # type: ignore[attr-defined]

    @settings(
        max_examples=examples, deadline=None, database=None, derandomize=False,
        suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    @given(strategy)
    def call(case) -> None:  # type: ignore[no-untyped-def]
        response = case.call(
            base_url=base, session=session, headers={"Authorization": f"Bearer {token}"},
            timeout=timeout_s,
        )  # fmt: skip
        result.cases += 1
        result.by_status[response.status_code] += 1
        result.by_operation[label] += 1
        if response.status_code >= 500:
            try:
                code = str(response.json().get("code", ""))
            except (ValueError, AttributeError):
                code = ""
            result.failures.append(
                Failure(label, response.status_code, code, case.as_curl_command())
            )

    try:
        # Hypothesis prints a "reproduce with @seed" line for every strategy it cannot
        # satisfy; the failures we care about are collected in `result` instead.
        with contextlib.redirect_stdout(io.StringIO()):
            call()
    except HypothesisException as exc:  # e.g. Unsatisfiable: no negative case exists
        result.skipped.append(f"{label} [{mode.value}]: {type(exc).__name__}")


# --- the contract: schemathesis with every check ---------------------------------------------

CONTRACT_CONFIG = (
    Path(__file__).resolve().parents[1] / "tests" / "reliability" / "schemathesis.toml"
)


@dataclass
class ContractResult:
    ok: bool
    summary: str  # the CLI's summary lines (failures, test cases)
    output: str  # everything it printed


def run_contract(
    base: str, examples: int, token: str, *, seed: int | None = 1, timeout_s: float = 1800
) -> ContractResult:
    """`schemathesis run --checks all` against `base` (all phases: examples, coverage,
    fuzzing, stateful), configured by tests/reliability/schemathesis.toml.

    Every check: status codes and media types as documented, response bodies valid against
    their schemas, negative data refused, positive data accepted, methods not allowed answered
    with 405 and an Allow header, and no 5xx.
    """
    cmd = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONTRACT_CONFIG),
        "run", f"{base}/openapi.json", "--checks", "all", "--max-examples", str(examples),
        "-H", f"Authorization: Bearer {token}", "--no-color", "--request-timeout", "60",
    ]  # fmt: skip
    if seed is not None:
        cmd += ["--seed", str(seed)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s)
    out = proc.stdout + proc.stderr
    keep = re.compile(r"^\s*(❌|✅|⚠️|Failures|Test cases|\d+ generated|=+ .* =+$)")
    summary = "\n".join(line for line in out.splitlines() if keep.match(line))
    return ContractResult(proc.returncode == 0, summary, out.replace(token, "[token]"))
