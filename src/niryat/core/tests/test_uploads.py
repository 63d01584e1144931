"""core.uploads: an upload is stopped as soon as its files pass the limit, and nothing of it is kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.test import RequestFactory
from django.test.client import encode_multipart

from niryat.core.uploads import LimitedUpload, limit_uploads, stopped_upload

BOUNDARY = "niryat-test-boundary"


class Recorder(FileUploadHandler):
    """Stands for Django's handlers after ours: records every byte handed on to it."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.received = 0
        self.completed: list[int] = []

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        return None

    def file_complete(self, file_size: int) -> None:
        self.completed.append(file_size)
        return None


def multipart_request(**data: Any) -> HttpRequest:
    body = encode_multipart(BOUNDARY, data)
    return RequestFactory().post("/upload/", body, content_type=f"multipart/form-data; boundary={BOUNDARY}")


def named(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_chunks_pass_until_the_limit_and_the_next_one_stops_the_upload() -> None:
    handler = LimitedUpload(None, limit=10, message="too big")
    handler.new_file("file", "list.csv", "text/csv", None)
    assert handler.receive_data_chunk(b"12345", 0) == b"12345"
    assert handler.receive_data_chunk(b"67890", 5) == b"67890"  # exactly the limit: fine
    assert not handler.stopped
    with pytest.raises(StopUpload) as stop:
        handler.receive_data_chunk(b"x", 10)
    assert stop.value.connection_reset is False  # the rest is read and thrown away: an answer arrives
    assert handler.stopped and handler.field_name == "file" and handler.message == "too big"


def test_the_limit_counts_every_file_of_the_request() -> None:
    handler = LimitedUpload(None, limit=10)
    handler.new_file("a", "a.csv", "text/csv", None)
    handler.receive_data_chunk(b"123456", 0)
    handler.new_file("b", "b.csv", "text/csv", None)
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"123456", 0)
    assert handler.field_name == "b"


def test_a_request_over_the_limit_keeps_its_fields_but_no_file_and_no_byte_past_the_limit(
    settings: Any,
) -> None:
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100  # the default handlers would spool to a temporary file
    request = multipart_request(note="kept", file=named("list.csv", b"x" * 300_000))
    recorder = Recorder(request)
    request.upload_handlers = [recorder]
    limit = limit_uploads(request, 1000, "too big")
    assert request.upload_handlers[0] is limit
    assert request.POST["note"] == "kept"
    assert "file" not in request.FILES
    assert stopped_upload(request) is limit and limit.field_name == "file"
    assert recorder.received <= 1000 and recorder.completed == []  # never a whole file


def test_a_request_within_the_limit_gets_its_file() -> None:
    request = multipart_request(file=named("list.csv", b"x" * 1000))
    limit_uploads(request, 1000)
    assert request.FILES["file"].read() == b"x" * 1000
    assert stopped_upload(request) is None


def test_no_limit_can_be_put_on_an_upload_already_read() -> None:
    request = multipart_request(file=named("list.csv", b"x" * 10))
    assert request.FILES["file"]
    with pytest.raises(AttributeError):
        limit_uploads(request, 5)
