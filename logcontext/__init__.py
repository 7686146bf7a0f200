"""The id of the request that caused the work running now, for the log lines it writes.

A request sets it (ops.telemetry); the job engine stores it with each job enqueued meanwhile
and sets it again around the job's run (jobs.cause), so the lines of a job carry the id of the
request that caused it; the log filter (ops.logs.RequestContext) prints it. It lives here, in a
module that imports nothing of ours, because ops (above) and jobs (the lowest layer) both need
it and jobs may not import ops.
"""

from contextvars import ContextVar

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
