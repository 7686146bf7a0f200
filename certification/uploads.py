"""An upload handler that keeps nothing of a file larger than the per-file limit.

Django streams uploads to memory or a temporary file whatever their size; a 200 MB upload would
be written out in full before any view could refuse it. This handler, first in
FILE_UPLOAD_HANDLERS, stops passing a file's bytes on once it passes MAX_DOCUMENT_SIZE and
hands the form an empty stand-in that knows the real size, so the domain refuses it with its
usual message. The rest of the request body is still read (and dropped) so that the browser
gets a page, not a reset connection.
"""

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizedUpload(UploadedFile):
    """What is left of a file over the limit: its name, its true size, no content."""

    def __init__(self, name: str, size: int, content_type: str | None, charset: str | None):
        super().__init__(io.BytesIO(), name, content_type, size, charset)
        self.oversized = True


class SizeLimitUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.oversized = False
        # The handlers after this one open their own file for each upload (Django's convention:
        # `handler.file`); remember the earlier ones so only this upload's is discarded.
        self.earlier_files = {id(h): getattr(h, "file", None) for h in self._others()}

    def _others(self):
        handlers = getattr(self.request, "upload_handlers", []) if self.request else []
        return [h for h in handlers if h is not self]

    def receive_data_chunk(self, raw_data: bytes, start: int):
        if self.oversized or start + len(raw_data) > settings.MAX_DOCUMENT_SIZE:
            self.oversized = True
            return None  # the handlers after this one get no more of the file
        return raw_data

    def file_complete(self, file_size: int):
        if not self.oversized:
            return None  # the next handler (memory or temporary file) provides the file
        for handler in self._others():
            partial = getattr(handler, "file", None)
            if partial is not None and partial is not self.earlier_files.get(id(handler)):
                partial.close()  # a temporary file is deleted on close
        return OversizedUpload(self.file_name, file_size, self.content_type, self.charset)
