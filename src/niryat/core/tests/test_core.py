"""core: money, spreadsheet-safe cells, jobs and their files, pagination, database helpers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.http import Http404
from django.test import Client, RequestFactory

from niryat.accounts.tests.factories import UserFactory
from niryat.core import jobs
from niryat.core.db import SQLITE_ENGINE, append_only_trigger_sql, connection_options
from niryat.core.models import Job
from niryat.core.money import format_money, minor_units, to_minor
from niryat.core.pagination import KEY_LIST_LIMIT, paginate, query_without_page
from niryat.core.selectors import job_get, job_list
from niryat.core.spreadsheet import spreadsheet_safe

# money ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [("1234.50", "INR", 123450), (Decimal("0.01"), "INR", 1), (7, "INR", 700), ("100", "JPY", 100),
     ("1.005", "KWD", 1005), ("-12.34", "INR", -1234)],
)
def test_to_minor(amount: Any, currency: str, minor: int) -> None:
    assert to_minor(amount, currency) == minor
    assert isinstance(to_minor(amount, currency), int)


@pytest.mark.parametrize(("amount", "currency"), [("0.001", "INR"), ("1.5", "JPY"), ("12.345", "USD")])
def test_to_minor_refuses_fractions_of_the_minor_unit(amount: str, currency: str) -> None:
    with pytest.raises(ValueError):
        to_minor(amount, currency)


def test_minor_units() -> None:
    assert (minor_units("INR"), minor_units("JPY"), minor_units("KWD")) == (2, 0, 3)


def test_format_money_uses_indian_grouping() -> None:
    assert format_money(1234567800) == "₹1,23,45,678.00"
    assert format_money(123456780) == "₹12,34,567.80"
    assert format_money(5) == "₹0.05"
    assert format_money(-5050) == "-₹50.50"


# spreadsheet ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+2", "+91 98765", "-2", "@SUM(A1)", "\t=x", "\r=x", "\n=x"])
def test_spreadsheet_safe_escapes_formula_starts(text: str) -> None:
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize(("value", "expected"), [
    ("Kashi Weaves", "Kashi Weaves"), (None, ""), (42, "42"), ("काशी", "काशी"), ("a=b", "a=b"), ("", ""),
])
def test_spreadsheet_safe_leaves_plain_values(value: object, expected: str) -> None:
    assert spreadsheet_safe(value) == expected


# database helpers -----------------------------------------------------------------------------


def test_connection_options() -> None:
    sqlite = connection_options(SQLITE_ENGINE)["OPTIONS"]
    assert sqlite["transaction_mode"] == "IMMEDIATE" and "foreign_keys=ON" in sqlite["init_command"]
    assert connection_options("django.db.backends.postgresql") == {}


@pytest.mark.parametrize("vendor", ["sqlite", "postgresql"])
def test_append_only_trigger_sql_has_a_way_back(vendor: str) -> None:
    forward, backward = append_only_trigger_sql(vendor, "t")
    assert forward and backward
    assert all("t" in statement for statement in forward + backward)
    assert append_only_trigger_sql("mysql", "t") == ([], [])


# pagination -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("page", "number"), [("1", 1), ("3", 3), ("99", 4), ("abc", 1), ("", 1), ("-1", 4)])
def test_paginate_never_fails_on_a_bad_page(page: str, number: int) -> None:
    result = paginate(RequestFactory().get("/", {"page": page}), list(range(100)), per_page=25)
    assert result.number == number


def test_paginate_caps_the_page_size_and_keeps_filters() -> None:
    request = RequestFactory().get("/", {"page": "2", "q": "silk", "state": "9"})
    assert len(paginate(request, list(range(1000)), per_page=10_000).object_list) == 100
    assert query_without_page(request) == "q=silk&state=9"


def page_of(items: Any, page: str) -> Any:
    return paginate(RequestFactory().get("/", {"page": page}), items, per_page=25)


@pytest.mark.parametrize(("total", "exact"), [(999, True), (1000, True), (1001, False), (5000, False)])
def test_counting_stops_past_1000(total: int, exact: bool) -> None:
    first = page_of(list(range(total)), "1")
    assert first.paginator.exact is exact
    assert first.paginator.count == (total if exact else 1001)
    assert first.has_next() and len(first) == 25


def test_a_later_page_counts_further_and_the_last_is_exact() -> None:
    items = list(range(2510))
    page_40 = page_of(items, "40")  # the end of the first 1,000
    assert (page_40.has_next(), page_40.paginator.exact, page_40.paginator.num_pages) == (True, False, 41)
    page_41 = page_of(items, "41")  # counts to 1,026: a full page, and more after it
    assert list(page_41) == list(range(1000, 1025)) and page_41.has_next()
    page_101 = page_of(items, "101")  # 2,525 is past the end: the count is exact again
    assert page_101.paginator.exact and page_101.paginator.count == 2510
    assert list(page_101) == list(range(2500, 2510)) and not page_101.has_next()
    assert page_of(items, "400").number == 101  # too far: the last page, as before


@pytest.mark.django_db
def test_a_query_is_read_as_keys_then_the_page_s_rows() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from niryat.reference.models import HsCode

    codes = HsCode.objects.order_by("description", "code")
    assert codes.count() > 5000
    with CaptureQueriesContext(connection) as queries:
        page = page_of(codes, "2")
        shown = [c.code for c in page]
    assert page.paginator.count == 1001 and not page.paginator.exact
    assert shown == [c.code for c in codes[25:50]]
    keys, rows = (q["sql"] for q in queries.captured_queries)
    assert "LIMIT 1001" in keys and "ORDER BY" in keys and "COUNT" not in keys
    assert "LIMIT" not in rows and "IN (" in rows  # the page's 25 rows by their keys
    with CaptureQueriesContext(connection) as queries:
        assert page_of(codes.filter(code="nothing"), "1").object_list.count() == 0
    assert len(queries.captured_queries) == 1  # the keys; an empty page is not read


@pytest.mark.django_db
def test_a_far_page_is_counted_without_sorting_and_read_with_an_offset() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from niryat.reference.models import HsCode

    codes = HsCode.objects.order_by("code")
    total = codes.count()
    last = -(-total // 25)
    assert 401 * 25 > KEY_LIST_LIMIT > total
    with CaptureQueriesContext(connection) as queries:  # past the end: the last page
        page = paginate(RequestFactory().get("/", {"page": "401"}), codes, per_page=25)
        shown = [c.code for c in page]
    assert page.number == last and page.paginator.exact and page.paginator.count == total
    assert shown == [c.code for c in codes[(last - 1) * 25:]]
    count, rows = (q["sql"] for q in queries.captured_queries)
    assert "COUNT(" in count and "ORDER BY" not in count and "OFFSET" in rows


def render_pagination(page: Any, language: str) -> str:
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override(language):
        return render_to_string("includes/pagination.html", {"page": page, "query": "q=silk"})


def test_the_count_line_in_english_and_hindi() -> None:
    capped = page_of(list(range(1500)), "1")
    assert "More than 1,000 items" in render_pagination(capped, "en")
    english = render_pagination(capped, "en")
    assert "Page 1<" in english and 'href="?q=silk&amp;page=2"' in english
    assert "1,000 से अधिक प्रविष्टियाँ" in render_pagination(capped, "hi")
    assert "पृष्ठ 1<" in render_pagination(capped, "hi")
    exact = page_of(list(range(60)), "1")
    assert "Page 1 of 3" in render_pagination(exact, "en") and "60 items" in render_pagination(exact, "en")
    assert "60 प्रविष्टियाँ" in render_pagination(exact, "hi")


# jobs -----------------------------------------------------------------------------------------


class NoTask:
    """A task stand-in that records what was enqueued."""

    def __init__(self) -> None:
        self.enqueued: list[dict[str, Any]] = []

    def enqueue(self, **kwargs: Any) -> Any:
        self.enqueued.append(kwargs)
        return type("Result", (), {"id": "result-1"})()


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_job_create_enqueues_only_after_commit(django_capture_on_commit_callbacks: Any) -> None:
    owner = UserFactory()
    task = NoTask()
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_create(actor=owner, kind="test", label=lambda: "Test", task=task, parameters={"a": 1})
        assert task.enqueued == []
    assert task.enqueued == [{"job_id": str(job.id)}]
    job.refresh_from_db()
    assert job.task_result_id == "result-1" and job.status == Job.Status.QUEUED


@pytest.mark.django_db
def test_job_lifecycle_and_percent(media: Path) -> None:
    job = Job.objects.create(owner=UserFactory(), kind="test", label="Test")
    assert job.percent == 0 and not job.is_finished
    started = jobs.job_started(str(job.id), total=200)
    assert started is not None and started.status == Job.Status.RUNNING and started.started_at
    jobs.job_progress(job.id, 50)
    job.refresh_from_db()
    assert job.percent == 25
    path = jobs.job_output_path(job, "out.csv")
    path.write_text("x")
    assert path.is_relative_to(media)
    jobs.job_succeeded(job.id, message="done", result=path)
    job.refresh_from_db()
    assert job.is_finished and job.percent == 100 and job.result_name == "out.csv"
    assert job.result_file == f"jobs/{job.id}/out.csv"
    assert jobs.job_started(str(job.id)) is None  # a finished job is not started again
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED


@pytest.mark.django_db
def test_a_jobs_message_worded_with_gettext_is_kept_in_every_language() -> None:
    from django.utils import translation
    from django.utils.translation import gettext as _

    job = Job.objects.create(owner=UserFactory(), kind="test", label="Test")
    jobs.job_succeeded(job.id, message=lambda: _("Possible duplicates found: %(found)s") % {"found": 3})
    job.refresh_from_db()
    assert job.message == "Possible duplicates found: 3"
    with translation.override("hi"):
        assert job.shown_message == "संभावित दोहराव मिले: 3"
    jobs.job_failed(job.id, "ValueError: technical")  # a plain text has no other language
    job.refresh_from_db()
    with translation.override("hi"):
        assert job.shown_message == "ValueError: technical"
    jobs.job_failed(job.id, "The file is empty.", {"hi": "फ़ाइल खाली है।"})  # worded where it was found
    job.refresh_from_db()
    with translation.override("hi"):
        assert job.shown_message == "फ़ाइल खाली है।"


@pytest.mark.django_db
def test_job_failed_keeps_the_message_short() -> None:
    job = Job.objects.create(owner=UserFactory(), kind="test", label="Test")
    jobs.job_failed(job.id, "x" * 5000)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and len(job.message) == 2000 and job.is_finished
    assert jobs.job_started(str(job.id)) is None


@pytest.mark.django_db
def test_job_started_for_an_unknown_job() -> None:
    assert jobs.job_started("00000000-0000-0000-0000-000000000000") is None


@pytest.mark.django_db
def test_people_see_only_their_own_jobs() -> None:
    mine, theirs = UserFactory(), UserFactory()
    job = Job.objects.create(owner=mine, kind="test", label="Mine")
    assert list(job_list(actor=mine)) == [job]
    assert not job_list(actor=theirs).exists()
    with pytest.raises(Http404):
        job_get(actor=theirs, job_id=job.id)


@pytest.mark.django_db
def test_job_download_for_the_owner_only(client: Client, media: Path) -> None:
    owner, other = UserFactory(), UserFactory()
    job = Job.objects.create(owner=owner, kind="test", label="Test")
    path = jobs.job_output_path(job, "result.csv")
    path.write_text("a,b\n")
    jobs.job_succeeded(job.id, result=path)
    url = f"/jobs/{job.id}/download/"
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"a,b\n"
    assert "attachment" in response["Content-Disposition"] and "result.csv" in response["Content-Disposition"]
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("result_file", ["", "../../secret_key", "/etc/passwd", "jobs/missing.csv"])
def test_job_download_refuses_missing_or_outside_files(client: Client, media: Path, result_file: str) -> None:
    owner = UserFactory()
    job = Job.objects.create(owner=owner, kind="test", label="Test", result_file=result_file,
                             result_name="x.csv", status=Job.Status.SUCCEEDED)
    client.force_login(owner)
    assert client.get(f"/jobs/{job.id}/download/").status_code == 404


@pytest.mark.django_db
def test_bulk_writes_let_sqlite_s_log_grow_and_put_it_back(settings: Any) -> None:
    from django.db import connection

    from niryat.core.db import bulk_writes

    settings.NIRYAT_SQLITE_BULK_WAL_PAGES = 5000

    def pages() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint")
            return int(cursor.fetchone()[0])

    if connection.vendor != "sqlite":
        with bulk_writes():  # nothing to set on PostgreSQL
            assert connection.vendor == "postgresql"
        return
    assert pages() == 1000
    with pytest.raises(RuntimeError), bulk_writes():
        assert pages() == 5000
        raise RuntimeError("a failed import")
    assert pages() == 1000
