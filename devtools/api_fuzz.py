"""Schemathesis over the live OpenAPI schema: every operation, positive and negative cases.

Shared by tests/reliability/test_api_fuzz.py (a few cases per operation, in CI) and
bench/fuzz_api.py (≥ 10,000 cases). The only property checked here is the one the issue asks
for: no 5xx. Each failure is kept with a curl command that reproduces it.
"""

from __future__ import annotations

import contextlib
import io
from collections import Counter
from dataclasses import dataclass, field

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
