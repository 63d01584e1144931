"""core: reads remembered for the length of one request."""

from __future__ import annotations

from niryat.core.context import forget_remembered, remembered
from niryat.core.tests.helpers import in_a_request


def test_remembered_once_per_request_and_not_outside() -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert in_a_request(lambda: [remembered("k", compute) for _ in range(3)]) == [1, 1, 1]
    assert in_a_request(lambda: remembered("k", compute)) == 2  # a new request reads again
    assert [remembered("k", compute) for _ in range(2)] == [3, 4]  # outside a request: every call


def test_forgetting_reads_again() -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    def work() -> list[int]:
        first = remembered("k", compute)
        forget_remembered()
        return [first, remembered("k", compute), remembered("k", compute)]

    assert in_a_request(work) == [1, 2, 2]
    forget_remembered()  # outside a request: nothing to forget, no error
