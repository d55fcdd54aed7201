"""moto_server with DynamoDB's atomicity.

DynamoDB applies each request (a conditional write, a transaction) as one
indivisible step. moto's threaded server does not: two transactions checked at
the same moment can both pass their conditions, and a failed one restores a
copy of the table taken before another's write. The contract suites run
concurrent conditional writes (the storage quota, idempotency claims), so the
stand-in must serialise DynamoDB requests as the real service does. S3 and the
rest of moto stay concurrent.

Two more things of the real service that moto leaves out:
- `ClientRequestToken` on TransactWriteItems: a repeat of a transaction that
  succeeded, with the same token and parameters, within ten minutes, answers
  success again without applying anything; the same token with other
  parameters answers `IdempotentParameterMismatchException`.
- Lost answers, on request: `POST /_faults/dynamodb` with
  `{"lose_answers": n}` applies the next n TransactWriteItems requests and
  then answers each with a 500 `InternalServerError`, as DynamoDB may when
  the outcome is unknown. The AWS tests take turns on this server, so one
  test's fault never meets another's requests.

Same arguments as moto_server: -H host -p port.
"""

import argparse
import io
import json
import os
import threading
import time

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple


TRANSACT = "DynamoDB_20120810.TransactWriteItems"
TOKEN_WINDOW_SECS = 600


def json_answer(start_response, status, body):
    payload = json.dumps(body).encode()
    start_response(
        status,
        [
            ("Content-Type", "application/x-amz-json-1.0"),
            ("Content-Length", str(len(payload))),
        ],
    )
    return [payload]


def like_dynamodb(app):
    lock = threading.Lock()
    succeeded = {}  # token -> (parameters, when)
    faults = {"lose_answers": 0}

    def serialised(environ, start_response):
        if environ.get("PATH_INFO") == "/_faults/dynamodb":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            with lock:
                faults.update(json.loads(environ["wsgi.input"].read(length) or b"{}"))
            return json_answer(start_response, "200 OK", faults)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if not target.startswith("DynamoDB_"):
            return app(environ, start_response)
        with lock:
            if target != TRANSACT:
                # Build the whole answer inside the lock: the write happens there.
                return list(app(environ, start_response))
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length)
            environ["wsgi.input"] = io.BytesIO(body)
            request = json.loads(body or b"{}")
            token = request.pop("ClientRequestToken", None)
            now = time.monotonic()
            earlier = succeeded.get(token)
            if earlier and now - earlier[1] < TOKEN_WINDOW_SECS:
                if earlier[0] != request:
                    return json_answer(
                        start_response,
                        "400 Bad Request",
                        {
                            "__type": "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException",
                            "message": "The request uses the same client token as a previous, but non-identical request.",
                        },
                    )
                answer = lambda: json_answer(start_response, "200 OK", {})
            else:
                captured = {}

                def capture(status, headers, exc_info=None):
                    captured["status"], captured["headers"] = status, headers
                    return lambda data: None

                body = list(app(environ, capture))
                if token is not None and captured["status"].startswith("200"):
                    for old in [k for k, (_, at) in succeeded.items() if now - at >= TOKEN_WINDOW_SECS]:
                        del succeeded[old]
                    succeeded[token] = (request, now)

                def answer():
                    start_response(captured["status"], captured["headers"])
                    return body

            if faults["lose_answers"] > 0:
                faults["lose_answers"] -= 1
                return json_answer(
                    start_response,
                    "500 Internal Server Error",
                    {
                        "__type": "com.amazon.coral.service#InternalServerError",
                        "message": "Internal server error",
                    },
                )
            return answer()

    return serialised


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, required=True)
    args = parser.parse_args()
    # moto writes its own address into some answers (as moto_server does).
    os.environ.setdefault("MOTO_PORT", str(args.port))
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(
        args.host,
        args.port,
        like_dynamodb(app),
        threaded=True,
        request_handler=MotoRequestHandler,
    )


if __name__ == "__main__":
    main()
